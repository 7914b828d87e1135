package io.aistream.provider.gemini;

import io.aistream.chunk.Usage;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The latest {@code usageMetadata} snapshot of a stream, merged field by field (Gemini repeats a
 * running total on nearly every chunk: never summed). Input tokens are {@code promptTokenCount},
 * which already counts cached content; {@code cachedContentTokenCount} is the cache-read part of it.
 * Output tokens are {@code candidatesTokenCount + thoughtsTokenCount}: Gemini counts thoughts apart
 * from the candidates ({@code totalTokenCount} = prompt + candidates + thoughts + tool-use prompt),
 * and {@code thoughtsTokenCount} is the reasoning part of the output. Not thread-safe.
 */
final class GeminiUsage {
    private long prompt = -1;
    private long candidates = -1;
    private long thoughts = -1;
    private long cached = -1;
    private long total = -1;
    /** {@link #current()} as last built; null once a report changed the counts. Read after every upstream read, so built once per change. */
    private Optional<Usage> usage;

    /** Takes the fields present in one {@code usageMetadata} object; ignores anything else. */
    void update(JsonNode usageMetadata) {
        if (usageMetadata == null || !usageMetadata.isObject()) {
            return;
        }
        usage = null;
        prompt = count(usageMetadata, "promptTokenCount", prompt);
        candidates = count(usageMetadata, "candidatesTokenCount", candidates);
        thoughts = count(usageMetadata, "thoughtsTokenCount", thoughts);
        cached = count(usageMetadata, "cachedContentTokenCount", cached);
        total = count(usageMetadata, "totalTokenCount", total);
    }

    private static long count(JsonNode node, String field, long previous) {
        JsonNode value = node.get(field);
        return value != null && value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 0
                ? value.longValue()
                : previous;
    }

    /** The usage so far; empty if no count was ever reported. */
    Optional<Usage> current() {
        if (usage == null) {
            usage = build();
        }
        return usage;
    }

    private Optional<Usage> build() {
        if (prompt < 0 && candidates < 0 && thoughts < 0 && cached < 0 && total < 0) {
            return Optional.empty();
        }
        long input = Math.max(prompt, 0);
        long reasoning = Math.max(thoughts, 0);
        long output = Math.max(candidates, 0) + reasoning;
        return Optional.of(new Usage(input, output, total >= 0 ? total : input + output)
                .withCache(Math.max(cached, 0), 0)
                .withReasoning(reasoning));
    }
}
