package io.aistream.provider;

import io.aistream.chunk.StreamChunk;
import io.aistream.provider.spi.StreamDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeding text to a decoder, for the decoder tests (picking chunks out of what it emitted is
 * {@link io.aistream.testing.Chunks}).
 */
public final class DecoderTestSupport {
    private DecoderTestSupport() {}

    /** An SSE event with an {@code event} name and one {@code data} line. */
    public static String sseEvent(String type, String data) {
        return "event: " + type + "\ndata: " + data + "\n\n";
    }

    /** Feeds {@code text} as UTF-8 in one call, adding the chunks to {@code sink}. */
    public static void feed(StreamDecoder decoder, String text, List<StreamChunk> sink) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        decoder.feed(bytes, 0, bytes.length, sink::add);
    }

    /** Feeds each part in its own call, then ends the body; returns every chunk emitted. */
    public static List<StreamChunk> decode(StreamDecoder decoder, String... parts) {
        List<StreamChunk> out = new ArrayList<>();
        for (String part : parts) {
            feed(decoder, part, out);
        }
        decoder.end(out::add);
        return out;
    }
}
