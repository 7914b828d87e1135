package io.aistream.chunk;

/**
 * Token usage of one stream.
 *
 * @param inputTokens  tokens in the prompt
 * @param outputTokens tokens generated (reasoning included, where the provider counts it so)
 * @param totalTokens  as reported by the provider, or input + output
 */
public record Usage(long inputTokens, long outputTokens, long totalTokens) {
    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || totalTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }

    /** Usage whose total is input + output. */
    public static Usage of(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, outputTokens, inputTokens + outputTokens);
    }
}
