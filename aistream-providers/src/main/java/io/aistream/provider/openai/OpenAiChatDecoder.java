package io.aistream.provider.openai;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.chunk.Usage;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.support.JsonCursor.MalformedJsonException;
import io.aistream.provider.support.SseStreamDecoder;
import io.aistream.provider.support.ToolCallIndex;
import io.aistream.provider.support.UnknownEvents;
import io.aistream.sse.SseDataListener;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseLimits;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;

/**
 * Decodes an OpenAI Chat Completions stream ({@code data:} events of {@code chat.completion.chunk}
 * JSON, ended by {@code data: [DONE]}) from OpenAI and every {@link OpenAiCompatible} server.
 *
 * <p>Finish reasons: {@code stop} → stop, {@code length}/{@code model_length} → length,
 * {@code tool_calls}/{@code function_call} → tool_calls, {@code content_filter} → content_filter,
 * {@code error} → error, anything else → other; a {@code stop} with tool calls (forced tool choice)
 * becomes tool_calls. {@code done} goes out at {@code [DONE]}; a body that ends after a finish reason
 * but without {@code [DONE]} still ends normally, one that ends before any finish reason ends with
 * {@code incomplete_stream}. An {@code error} object in the stream ends it at once. The protocol names no
 * SSE events: one with an {@code event:} name other than {@code error} is reported to the context's
 * observer as unknown ({@link UnknownEvents}), and its data read like any other.
 *
 * <p>Usage: {@code prompt_tokens} (which counts cached input) → input,
 * {@code prompt_tokens_details.cached_tokens} (else DeepSeek's {@code prompt_cache_hit_tokens}) →
 * cache read, {@code completion_tokens} → output, {@code completion_tokens_details.reasoning_tokens} →
 * reasoning.
 *
 * <p>Not thread-safe: one instance per stream, fed by one thread (see {@link StreamDecoder}).
 */
final class OpenAiChatDecoder extends SseStreamDecoder implements SseDataListener, ChatChunkParser.Handler {
    private final ChatChunkParser parser = new ChatChunkParser();
    private final OpenAiStreamState state;
    private final UnknownEvents unknown;
    private final ToolCallIndex toolCalls;
    /** The consumer of the event in progress, for the parser's callbacks. */
    private Consumer<? super StreamChunk> out;

    private FinishReason finish;
    private boolean finishWasError;

    OpenAiChatDecoder(DecoderContext context) {
        this(context, SseLimits.DEFAULTS);
    }

    OpenAiChatDecoder(DecoderContext context, SseLimits limits) {
        super(limits);
        this.state = new OpenAiStreamState(context);
        this.toolCalls = new ToolCallIndex(state::newToolCall);
        this.unknown = new UnknownEvents(context);
    }

    @Override
    protected void endOfBody() {
        if (finish != null) {
            state.finish(finish, sink());
        } else {
            state.incomplete("[DONE] or a finish_reason", sink());
        }
    }

    @Override
    public boolean isDone() {
        return state.isDone();
    }

    /** The last usage chunk's counts (sent only with {@code stream_options.include_usage}). */
    @Override
    public Optional<Usage> usageSoFar() {
        return state.usage();
    }

    @Override
    public void onEvent(SseEvent event) {
        if (!state.isDone()) {
            checkType(event.event());
            onData(event.data(), sink());
        }
    }

    /**
     * The common case: well-formed data as bytes, parsed in place when it is a JSON object, so no
     * String is built for the event. Anything else (blank, {@code [DONE]}, not an object) takes the
     * String path, which decides it exactly as before.
     */
    @Override
    public void onEventData(String type, byte[] data, int off, int len) {
        if (state.isDone()) {
            return;
        }
        checkType(type);
        int i = off;
        int end = off + len;
        while (i < end && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t')) {
            i++;
        }
        if (i == end || data[i] != '{') {
            // the data is well-formed UTF-8, so the JDK decodes it as the SSE decoder would have
            onData(new String(data, off, len, StandardCharsets.UTF_8), sink());
            return;
        }
        Consumer<? super StreamChunk> previous = out;
        out = sink();
        try {
            try {
                parser.parse(data, off, len, this);
            } catch (MalformedJsonException | JacksonException e) {
                malformedJson(e);
                return;
            }
            afterChunk(out);
        } finally {
            out = previous;
        }
    }

    private void checkType(String type) {
        if (!type.equals("message") && !type.equals("error")) {
            // Chat Completions names no events; a named one is something new (still read: its data
            // is a chunk or an error object like any other)
            unknown.skipped(type);
        }
    }

    @Override
    protected void malformed(String what) {
        state.malformed(what, out);
    }

    /**
     * A chunk whose JSON could not be read. A {@link JacksonException} comes only from re-serializing tool-call
     * arguments sent as a JSON value (already checked); its original message leaves out Jackson's location.
     */
    private void malformedJson(RuntimeException e) {
        String why = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
        malformed("malformed JSON in a chat completion chunk: " + why);
    }

    /** Decodes one event's data (an already framed payload); package-private for benchmarks. */
    void onData(String data, Consumer<? super StreamChunk> sink) {
        Consumer<? super StreamChunk> previous = out;
        out = sink;
        try {
            if (isDoneSentinel(data)) {
                state.finish(finish != null ? finish : FinishReason.STOP, sink);
                return;
            }
            if (data.isBlank()) {
                return;
            }
            try {
                parser.parse(data, this);
            } catch (MalformedJsonException | JacksonException e) {
                malformedJson(e);
                return;
            }
            afterChunk(sink);
        } finally {
            out = previous;
        }
    }

    /** After a parsed chunk: a {@code finish_reason} of {@code error} ends the stream. */
    private void afterChunk(Consumer<? super StreamChunk> sink) {
        if (finishWasError && !state.isDone()) {
            state.fail(
                    state.providerError(
                            "provider_error",
                            "the provider ended the stream with finish_reason \"error\"",
                            OptionalInt.empty()),
                    sink);
        }
    }

    private static boolean isDoneSentinel(String data) {
        return data.length() < 16 && data.strip().equals("[DONE]");
    }

    @Override
    public void content(String delta) {
        out.accept(ContentChunk.of(delta));
    }

    @Override
    public void reasoning(String delta) {
        out.accept(ReasoningChunk.of(delta));
    }

    @Override
    public void refusal(String delta) {
        state.refusal(delta);
    }

    @Override
    public void toolCall(int index, String id, String name, String args) {
        emitToolCall(toolCalls.resolve(index, id), id, name, args);
    }

    @Override
    public void functionCall(String name, String args) {
        // The deprecated form has one call per turn and no id; its name marks its start.
        emitToolCall(toolCalls.resolve(-1, name == null ? null : "\u0000function_call"), null, name, args);
    }

    private void emitToolCall(int resolved, String id, String name, String args) {
        int ours = resolved & ~ToolCallIndex.NEW;
        String fragment = args == null ? "" : args;
        if ((resolved & ToolCallIndex.NEW) != 0) {
            String callId = id != null && !id.isEmpty() ? id : "call_" + ours;
            out.accept(ToolCallChunk.of(ToolCallDelta.start(ours, callId, name == null ? "" : name, fragment)));
        } else if (!fragment.isEmpty()) {
            out.accept(ToolCallChunk.of(ToolCallDelta.arguments(ours, fragment)));
        }
    }

    @Override
    public void finishReason(String reason) {
        finish = mapFinish(reason);
        finishWasError = finish == FinishReason.ERROR;
    }

    static FinishReason mapFinish(String reason) {
        return switch (reason) {
            case "stop", "end_turn" -> FinishReason.STOP;
            case "length", "model_length" -> FinishReason.LENGTH;
            case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            case "error" -> FinishReason.ERROR;
            default -> FinishReason.OTHER;
        };
    }

    @Override
    public void usage(long input, long output, long total, long cacheRead, long reasoning) {
        state.usage(input, output, total, cacheRead, reasoning);
    }

    @Override
    public void model(String model) {
        state.model(model);
    }

    @Override
    public String currentModel() {
        return state.model();
    }

    @Override
    public void error(String type, String message, OptionalInt status) {
        state.fail(state.providerError(type, message, status), out);
    }
}
