package io.aistream.provider.openai;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.Usage;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.support.ChunkErrors;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * What an OpenAI-family decoder remembers until {@code done}: usage (merged field by field), the
 * model the stream names, refusal text, how many tool calls were emitted, and whether {@code done}
 * went out. Builds the terminal chunks the same way for Chat Completions and Responses.
 *
 * <p>Shared by the OpenAI protocol packages; not API (the package is not exported). Not thread-safe:
 * one per stream, used by the thread that feeds the decoder.
 */
public final class OpenAiStreamState {
    private static final long ABSENT = -1;

    private final DecoderContext context;
    private long inputTokens = ABSENT;
    private long outputTokens = ABSENT;
    private long totalTokens = ABSENT;
    private long cacheReadTokens = ABSENT;
    private long reasoningTokens = ABSENT;
    /** {@link #usage()} as last built; null once a report changed the counts. Read after every upstream read, so built once per change. */
    private Optional<Usage> usage;

    private String model;
    private StringBuilder refusal;
    private int toolCalls;
    private boolean done;

    public OpenAiStreamState(DecoderContext context) {
        this.context = context;
    }

    /** Records a usage report without a breakdown; {@code -1} marks a field the report lacks. */
    public void usage(long input, long output, long total) {
        usage(input, output, total, ABSENT, ABSENT);
    }

    /**
     * Records a usage report; {@code -1} marks a field the report lacks. A later report overrides
     * the fields it has.
     *
     * @param input     all input tokens, cached ones included ({@code prompt_tokens}, {@code input_tokens})
     * @param output    output tokens, reasoning included
     * @param total     the reported total
     * @param cacheRead the cached part of the input
     * @param reasoning the reasoning part of the output
     */
    public void usage(long input, long output, long total, long cacheRead, long reasoning) {
        usage = null;
        if (cacheRead >= 0) {
            cacheReadTokens = cacheRead;
        }
        if (reasoning >= 0) {
            reasoningTokens = reasoning;
        }
        if (input >= 0) {
            inputTokens = input;
        }
        if (output >= 0) {
            outputTokens = output;
        }
        if (total >= 0) {
            totalTokens = total;
        }
    }

    /** The model the stream reports, once known; empty names (Azure's filter chunks) are ignored. */
    public void model(String name) {
        if (name != null && !name.isEmpty()) {
            model = name;
        }
    }

    /** The model recorded so far, or null. */
    public String model() {
        return model;
    }

    /** Appends refusal text; it is carried by {@code done}. */
    public void refusal(String delta) {
        if (refusal == null) {
            refusal = new StringBuilder();
        }
        refusal.append(delta);
    }

    /** Allocates the 0-based index of a new tool call. */
    public int newToolCall() {
        return toolCalls++;
    }

    public boolean isDone() {
        return done;
    }

    /** Emits {@code done}; a {@code stop} with tool calls becomes {@code tool_calls}. */
    public void finish(FinishReason reason, Consumer<? super StreamChunk> out) {
        if (done) {
            return;
        }
        done = true;
        FinishReason effective = reason == FinishReason.STOP && toolCalls > 0 ? FinishReason.TOOL_CALLS : reason;
        DoneChunk chunk = DoneChunk.of(effective)
                .withMetadata(
                        usage(), Optional.of(context.provider()), Optional.of(model != null ? model : context.model()));
        if (refusal != null && !refusal.isEmpty()) {
            chunk = chunk.withRefusal(refusal.toString());
        }
        out.accept(chunk);
    }

    /** Emits an error chunk, then {@code done} with {@code error}. */
    public void fail(ChunkError error, Consumer<? super StreamChunk> out) {
        if (done) {
            return;
        }
        out.accept(ErrorChunk.of(error));
        finish(FinishReason.ERROR, out);
    }

    /** Fails with {@code incomplete_stream}: the body ended before {@code terminal} arrived. */
    public void incomplete(String terminal, Consumer<? super StreamChunk> out) {
        fail(
                ChunkErrors.own(ErrorCode.INCOMPLETE_STREAM, "the stream ended before " + terminal, context.provider()),
                out);
    }

    /** Fails with {@code malformed_event}. */
    public void malformed(String detail, Consumer<? super StreamChunk> out) {
        fail(ChunkErrors.own(ErrorCode.MALFORMED_EVENT, detail, context.provider()), out);
    }

    /**
     * An error the provider reported inside the stream.
     *
     * @param type    the provider's error type or code; {@code provider_error} when null or empty
     * @param message the provider's message, verbatim (empty when it gave none)
     * @param status  an HTTP-like status the provider gave, if any
     */
    public ChunkError providerError(String type, String message, OptionalInt status) {
        String code = type == null || type.isEmpty() ? "provider_error" : type;
        return new ChunkError(
                code,
                message == null ? "" : message,
                isRetryable(code, status),
                Optional.of(context.provider()),
                status);
    }

    /** Whether an in-stream error is worth retrying: overload, rate limits, timeouts and 5xx-like errors. */
    static boolean isRetryable(String code, OptionalInt status) {
        if (status.isPresent()) {
            int s = status.getAsInt();
            if (s == 408 || s == 409 || s == 429 || s >= 500) {
                return true;
            }
        }
        String c = code.toLowerCase(Locale.ROOT);
        return c.contains("server_error")
                || c.contains("overloaded")
                || c.contains("rate_limit")
                || c.contains("timeout")
                || c.contains("unavailable")
                || c.contains("internal");
    }

    /** The usage reported so far (merged field by field); empty if none was. The same instance until a report changes it. */
    public Optional<Usage> usage() {
        if (usage == null) {
            usage = buildUsage();
        }
        return usage;
    }

    private Optional<Usage> buildUsage() {
        if (inputTokens < 0 && outputTokens < 0 && totalTokens < 0) {
            return Optional.empty();
        }
        long in = Math.max(inputTokens, 0);
        long out = Math.max(outputTokens, 0);
        return Optional.of(new Usage(in, out, totalTokens >= 0 ? totalTokens : in + out)
                .withCache(Math.max(cacheReadTokens, 0), 0)
                .withReasoning(Math.max(reasoningTokens, 0)));
    }
}
