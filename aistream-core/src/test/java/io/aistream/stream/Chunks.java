package io.aistream.stream;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.StreamChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small helpers for reading streams in tests. */
final class Chunks {
    private Chunks() {}

    /** Everything the stream delivers until its end. */
    static List<StreamChunk> drain(PullStream<StreamChunk> stream) {
        List<StreamChunk> out = new ArrayList<>();
        for (Optional<StreamChunk> c = stream.next(); c.isPresent(); c = stream.next()) {
            out.add(c.get());
        }
        return out;
    }

    /** The concatenated content text. */
    static String text(List<StreamChunk> chunks) {
        StringBuilder sb = new StringBuilder();
        for (StreamChunk c : chunks) {
            if (c instanceof ContentChunk content) {
                sb.append(content.delta());
            }
        }
        return sb.toString();
    }

    static DoneChunk lastDone(List<StreamChunk> chunks) {
        return (DoneChunk) chunks.getLast();
    }

    static ErrorChunk error(StreamChunk chunk) {
        return (ErrorChunk) chunk;
    }

    static long count(List<StreamChunk> chunks, Class<? extends StreamChunk> type) {
        return chunks.stream().filter(type::isInstance).count();
    }
}
