package io.aistream.provider.transport;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChunkSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Helpers shared by the transport tests (also those of the internal transport package). */
public final class Streams {
    static final ChatRequest REQUEST = ChatRequest.builder().user("Say hello").build();

    private Streams() {
    }

    /** Reads {@code source} to its end and closes it. */
    public static List<StreamChunk> drain(ChunkSource source) throws Exception {
        List<StreamChunk> chunks = new ArrayList<>();
        try (source) {
            for (Optional<StreamChunk> c = source.next(); c.isPresent(); c = source.next()) {
                chunks.add(c.get());
            }
        }
        return chunks;
    }

    public static String text(List<StreamChunk> chunks) {
        return chunks.stream().filter(ContentChunk.class::isInstance).map(c -> ((ContentChunk) c).delta())
                .collect(Collectors.joining());
    }

    public static DoneChunk done(List<StreamChunk> chunks) {
        StreamChunk last = chunks.getLast();
        if (!(last instanceof DoneChunk d)) {
            throw new AssertionError("the last chunk is not done: " + chunks);
        }
        return d;
    }

    public static List<ErrorChunk> errors(List<StreamChunk> chunks) {
        return chunks.stream().filter(ErrorChunk.class::isInstance).map(ErrorChunk.class::cast).toList();
    }
}
