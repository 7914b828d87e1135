package io.aistream.chunk;

/**
 * Token usage of one stream, as the provider reported it.
 *
 * <p>{@code inputTokens} counts <em>all</em> input tokens, cached ones included (for Anthropic:
 * {@code input_tokens + cache_read_input_tokens + cache_creation_input_tokens}); the cached parts
 * are broken out beside it. {@code outputTokens} includes reasoning tokens, broken out in
 * {@code reasoningTokens}. A breakdown the provider did not report is 0 (and omitted in JSON).
 *
 * @param inputTokens     all tokens in the prompt, cached ones included
 * @param outputTokens    tokens generated, reasoning included
 * @param totalTokens     as reported by the provider, or input + output
 * @param cacheReadTokens input tokens read from the provider's prompt cache (part of inputTokens)
 * @param cacheWriteTokens input tokens written to the prompt cache (part of inputTokens)
 * @param reasoningTokens output tokens spent on reasoning (part of outputTokens)
 */
public record Usage(
        long inputTokens,
        long outputTokens,
        long totalTokens,
        long cacheReadTokens,
        long cacheWriteTokens,
        long reasoningTokens) {
    public Usage {
        if (inputTokens < 0
                || outputTokens < 0
                || totalTokens < 0
                || cacheReadTokens < 0
                || cacheWriteTokens < 0
                || reasoningTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }

    /** Usage without a cache or reasoning breakdown. */
    public Usage(long inputTokens, long outputTokens, long totalTokens) {
        this(inputTokens, outputTokens, totalTokens, 0, 0, 0);
    }

    /** Usage whose total is input + output. */
    public static Usage of(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, outputTokens, inputTokens + outputTokens);
    }

    /** This usage with the cache breakdown replaced (inputTokens is left as it is). */
    public Usage withCache(long readTokens, long writeTokens) {
        return new Usage(inputTokens, outputTokens, totalTokens, readTokens, writeTokens, reasoningTokens);
    }

    /** This usage with the reasoning breakdown replaced (outputTokens is left as it is). */
    public Usage withReasoning(long tokens) {
        return new Usage(inputTokens, outputTokens, totalTokens, cacheReadTokens, cacheWriteTokens, tokens);
    }

    /** Input tokens neither read from nor written to the cache. */
    public long uncachedInputTokens() {
        return Math.max(0, inputTokens - cacheReadTokens - cacheWriteTokens);
    }

    /** Whether any breakdown (cache or reasoning) is known. */
    public boolean hasDetails() {
        return cacheReadTokens > 0 || cacheWriteTokens > 0 || reasoningTokens > 0;
    }

    /** The sum of two usages, field by field (two attempts of one answer). */
    public Usage plus(Usage other) {
        return new Usage(
                inputTokens + other.inputTokens,
                outputTokens + other.outputTokens,
                totalTokens + other.totalTokens,
                cacheReadTokens + other.cacheReadTokens,
                cacheWriteTokens + other.cacheWriteTokens,
                reasoningTokens + other.reasoningTokens);
    }
}
