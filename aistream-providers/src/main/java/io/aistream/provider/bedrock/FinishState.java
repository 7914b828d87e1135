package io.aistream.provider.bedrock;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.Usage;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the stream said about how it ended: the {@code messageStop} stop reason and the usage of
 * the {@code metadata} event(s), merged field by field. Not thread-safe.
 *
 * <p>Stop reasons (botocore {@code StopReason}): {@code end_turn}, {@code stop_sequence} →
 * {@code stop}; {@code max_tokens}, {@code model_context_window_exceeded} → {@code length};
 * {@code tool_use} → {@code tool_calls}; {@code guardrail_intervened}, {@code content_filtered} →
 * {@code content_filter}; anything else (e.g. {@code malformed_model_output},
 * {@code malformed_tool_use}) → {@code other}. A mapped {@code stop} with at least one tool call
 * becomes {@code tool_calls}.
 */
final class FinishState {
    private String stopReason;
    private boolean metadataSeen;
    private OptionalLong inputTokens = OptionalLong.empty();
    private OptionalLong outputTokens = OptionalLong.empty();
    private OptionalLong totalTokens = OptionalLong.empty();
    private OptionalLong cacheReadTokens = OptionalLong.empty();
    private OptionalLong cacheWriteTokens = OptionalLong.empty();
    /** {@link #usage()} as last built; null once a report changed the counts. Read after every upstream read, so built once per change. */
    private Optional<Usage> usage;

    void messageStop(String reason) {
        stopReason = reason;
    }

    boolean messageStopSeen() {
        return stopReason != null;
    }

    void metadata(OptionalLong input, OptionalLong output, OptionalLong total) {
        usage = null;
        metadataSeen = true;
        if (input.isPresent()) {
            inputTokens = input;
        }
        if (output.isPresent()) {
            outputTokens = output;
        }
        if (total.isPresent()) {
            totalTokens = total;
        }
    }

    /** Records a {@code metadata} event's cache counts (absent ones keep their earlier value). */
    void cache(OptionalLong read, OptionalLong write) {
        usage = null;
        if (read.isPresent()) {
            cacheReadTokens = read;
        }
        if (write.isPresent()) {
            cacheWriteTokens = write;
        }
    }

    /** Both terminal events have arrived: the stream is complete. */
    boolean complete() {
        return stopReason != null && metadataSeen;
    }

    /**
     * The usage reported so far (Bedrock reports it only in {@code metadata}, at the end), empty if
     * none. Bedrock's {@code inputTokens} excludes the cache, so the input is
     * {@code inputTokens + cacheReadInputTokens + cacheWriteInputTokens} with the cache counts broken
     * out; the total is the reported one unless it leaves out the cache counts, then input + output.
     */
    Optional<Usage> usage() {
        if (usage == null) {
            usage = buildUsage();
        }
        return usage;
    }

    private Optional<Usage> buildUsage() {
        if (inputTokens.isEmpty() && outputTokens.isEmpty() && totalTokens.isEmpty()) {
            return Optional.empty();
        }
        long read = cacheReadTokens.orElse(0);
        long write = cacheWriteTokens.orElse(0);
        long in = inputTokens.orElse(0) + read + write;
        long out = outputTokens.orElse(0);
        long total = Math.max(totalTokens.orElse(0), in + out);
        return Optional.of(new Usage(in, out, total).withCache(read, write));
    }

    /** The done chunk for a stream that reached {@code messageStop}. */
    DoneChunk done(int toolCalls, String provider, String model) {
        FinishReason reason = map(stopReason);
        if (reason == FinishReason.STOP && toolCalls > 0) {
            reason = FinishReason.TOOL_CALLS;
        }
        return DoneChunk.of(reason).withMetadata(usage(), Optional.of(provider), Optional.of(model));
    }

    /** The done chunk for a stream that ended in error (usage kept if any was reported). */
    DoneChunk failed(String provider, String model) {
        return DoneChunk.of(FinishReason.ERROR).withMetadata(usage(), Optional.of(provider), Optional.of(model));
    }

    static FinishReason map(String stopReason) {
        return switch (stopReason) {
            case "end_turn", "stop_sequence" -> FinishReason.STOP;
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "guardrail_intervened", "content_filtered" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }
}
