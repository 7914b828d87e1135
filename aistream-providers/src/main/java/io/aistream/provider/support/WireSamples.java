package io.aistream.provider.support;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Builds the synthetic bodies of {@link io.aistream.provider.spi.ProviderDescriptor#sampleBody}: a
 * head, {@code n} events each carrying one small text delta, a tail. The deltas cycle through short
 * words with the characters that cost a decoder most (multi-byte UTF-8, escaped quotes). Stateless.
 */
public final class WireSamples {
    // already escaped for a JSON string
    private static final String[] WORDS = {
        " the", " model", " streams", ",", " Über", " 東京", " ✓", " \\\"q\\\"", " answer", " is"
    };

    private WireSamples() {}

    /** The {@code i}-th delta's text, escaped for a JSON string. */
    public static String word(int i) {
        return WORDS[i % WORDS.length];
    }

    /** {@code head}, then {@code event} of each of {@code deltas} words (JSON-escaped), then {@code tail}, as UTF-8. */
    public static byte[] text(String head, int deltas, Function<String, String> event, String tail) {
        StringBuilder b = new StringBuilder(head);
        for (int i = 0; i < deltas; i++) {
            b.append(event.apply(word(i)));
        }
        return b.append(tail).toString().getBytes(StandardCharsets.UTF_8);
    }
}
