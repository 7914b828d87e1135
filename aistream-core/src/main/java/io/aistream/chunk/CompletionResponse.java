package io.aistream.chunk;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole stream folded into one answer: see {@link Accumulator} for the rules.
 *
 * @param parts        reasoning blocks (with their state), text runs and tool calls in stream
 *                     order: what the next request's assistant turn needs
 * @param content      the answer text: the concatenated content deltas, or the {@code done} chunk's
 *                     full {@code content} when deltas were dropped
 * @param reasoning    the concatenated reasoning deltas
 * @param refusal      the refusal text the {@code done} chunk carries, if any
 * @param toolCalls    the tool calls, ordered by index
 * @param finishReason why the stream ended; empty if no {@code done} chunk was seen
 * @param usage        token usage from the {@code done} chunk, if any
 * @param provider     the provider named by the {@code done} chunk, if any
 * @param model        the model named by the {@code done} chunk, if any
 * @param dropped      how many deltas were dropped under backpressure (from {@code done})
 * @param recovered    whether the {@code done} chunk says the stream recovered from a failure
 * @param errors       every error chunk's error, in stream order
 */
public record CompletionResponse(
        List<AnswerPart> parts,
        String content,
        String reasoning,
        Optional<String> refusal,
        List<ToolCall> toolCalls,
        Optional<FinishReason> finishReason,
        Optional<Usage> usage,
        Optional<String> provider,
        Optional<String> model,
        long dropped,
        boolean recovered,
        List<ChunkError> errors) {

    public CompletionResponse {
        parts = List.copyOf(parts);
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(reasoning, "reasoning");
        Objects.requireNonNull(refusal, "refusal");
        toolCalls = List.copyOf(toolCalls);
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        errors = List.copyOf(errors);
    }

    /**
     * Folds a complete or partial stream into one response.
     *
     * @throws InvalidToolArgumentsException if a tool call's arguments are not valid JSON
     * @throws IllegalStateException         if a chunk follows the {@code done} chunk
     */
    public static CompletionResponse accumulate(Iterable<? extends StreamChunk> chunks) {
        Accumulator accumulator = new Accumulator();
        for (StreamChunk chunk : chunks) {
            accumulator.add(chunk);
        }
        return accumulator.result();
    }

    /** Whether the stream ended with a {@code done} chunk. */
    public boolean complete() {
        return finishReason.isPresent();
    }
}
