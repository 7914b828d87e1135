package io.aistream.provider.openai.responses;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.ReasoningState;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.Usage;
import io.aistream.provider.openai.OpenAiStreamState;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.support.JsonCursor.MalformedJsonException;
import io.aistream.provider.support.SseStreamDecoder;
import io.aistream.provider.support.UnknownEvents;
import io.aistream.sse.SseDataListener;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseLimits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Decodes an OpenAI Responses stream ({@code event:} + {@code data:} SSE, no {@code [DONE]}).
 *
 * <p>Text from {@code response.output_text.delta}; reasoning from
 * {@code response.reasoning_summary_text.delta} and {@code response.reasoning_text.delta}; refusal
 * from {@code response.refusal.delta} (carried by {@code done}); function calls from
 * {@code response.output_item.added} ({@code call_id} is the id) and
 * {@code response.function_call_arguments.delta} (keyed by {@code item_id}). At
 * {@code response.output_item.done} of a {@code reasoning} item, an empty reasoning chunk with
 * {@link ReasoningState#openAiItem openai state} (the {@code rs_…} id and, if present,
 * {@code encrypted_content}) ends that reasoning block. Usage: {@code input_tokens} (cached included),
 * {@code input_tokens_details.cached_tokens} → cache read, {@code output_tokens},
 * {@code output_tokens_details.reasoning_tokens} → reasoning. The stream ends at
 * {@code response.completed} (stop, or tool_calls when calls were made), {@code response.incomplete}
 * ({@code max_output_tokens}/{@code max_tokens} → length, {@code content_filter} → content_filter,
 * else other), {@code response.failed} or an {@code error} event (flat or nested shape) → error.
 * Usage and model come from the terminal event. A trailing {@code data: [DONE]} is tolerated; a body
 * that ends before a terminal event ends with {@code incomplete_stream}. Lifecycle, annotation, built-in
 * tool and audio events are skipped; an event type not known at all is skipped and reported to the
 * context's observer ({@link UnknownEvents}).
 *
 * <p>Not thread-safe: one instance per stream, fed by one thread (see {@link StreamDecoder}).
 */
final class OpenAiResponsesDecoder extends SseStreamDecoder implements SseDataListener {
    private final OpenAiStreamState state;
    private final FunctionCalls calls;
    private final ResponsesEvent event = new ResponsesEvent();
    private final ResponsesEventParser parser = new ResponsesEventParser();
    private final UnknownEvents unknown;

    OpenAiResponsesDecoder(DecoderContext context) {
        this(context, SseLimits.DEFAULTS);
    }

    OpenAiResponsesDecoder(DecoderContext context, SseLimits limits) {
        super(limits);
        this.state = new OpenAiStreamState(context);
        this.calls = new FunctionCalls(state);
        this.unknown = new UnknownEvents(context);
    }

    @Override
    protected void endOfBody() {
        state.incomplete("response.completed, response.incomplete or response.failed", sink());
    }

    @Override
    public boolean isDone() {
        return state.isDone();
    }

    /** The Responses API reports usage only on its terminal event: empty before it. */
    @Override
    public Optional<Usage> usageSoFar() {
        return state.usage();
    }

    @Override
    public void onEvent(SseEvent sseEvent) {
        if (state.isDone()) {
            return;
        }
        String data = sseEvent.data();
        if (isBlankOrDone(data)) {
            return;
        }
        try {
            parser.parse(data, event);
        } catch (MalformedJsonException e) {
            malformed("malformed JSON in a Responses event: " + e.getMessage());
            return;
        }
        String type = event.type != null ? event.type : sseEvent.event();
        dispatch(type, sink());
    }

    /**
     * The common case: well-formed data as bytes, parsed in place when it is a JSON object (no String
     * for the event's data). Anything else takes {@link #onEvent}, which decides it as before.
     */
    @Override
    public void onEventData(String sseType, byte[] data, int off, int len) {
        if (state.isDone()) {
            return;
        }
        int i = off;
        int end = off + len;
        while (i < end && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t')) {
            i++;
        }
        if (i == end || data[i] != '{') {
            // well-formed UTF-8: the JDK decodes it as the SSE decoder would have; only data and type are read
            onEvent(new SseEvent(
                    sseType, new String(data, off, len, StandardCharsets.UTF_8), "", OptionalLong.empty()));
            return;
        }
        try {
            parser.parse(data, off, len, event);
        } catch (MalformedJsonException e) {
            malformed("malformed JSON in a Responses event: " + e.getMessage());
            return;
        }
        dispatch(event.type != null ? event.type : sseType, sink());
    }

    @Override
    protected void malformed(String what) {
        state.malformed(what, sink());
    }

    private void dispatch(String type, Consumer<? super StreamChunk> out) {
        switch (type) {
            case "response.output_text.delta" -> text(event.delta, out);
            case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" ->
                reasoning(event.delta, out);
            case "response.refusal.delta" -> {
                if (event.delta != null) {
                    state.refusal(event.delta);
                }
            }
            case "response.output_item.added" -> {
                if ("function_call".equals(event.itemType)) {
                    calls.added(event, out);
                }
            }
            case "response.function_call_arguments.delta" -> calls.argumentsDelta(event.itemId, event.delta, out);
            case "response.function_call_arguments.done" ->
                calls.argumentsDone(event.itemId, null, null, event.arguments, out);
            case "response.output_item.done" -> {
                if ("function_call".equals(event.itemType)) {
                    calls.argumentsDone(event.itemOwnId, event.itemCallId, event.itemName, event.itemArguments, out);
                } else if ("reasoning".equals(event.itemType)) {
                    reasoningItemDone(out);
                }
            }
            case "response.created", "response.in_progress", "response.queued" -> state.model(event.model);
            case "response.completed" -> terminal(FinishReason.STOP, out);
            case "response.incomplete" -> terminal(incompleteReason(event.incompleteReason), out);
            case "response.failed" -> failed(out);
            case "error" -> error(out);
            default -> {
                if (!carriesNothingWeMap(type)) {
                    unknown.skipped(type);
                }
            }
        }
    }

    /** Lifecycle, "done" echoes, annotation, built-in tool and audio events: known, nothing to map. */
    private static boolean carriesNothingWeMap(String type) {
        return IGNORED.contains(type) || IGNORED_PREFIXES.stream().anyMatch(type::startsWith);
    }

    private static final Set<String> IGNORED = Set.of(
            "response.output_text.done",
            "response.content_part.added",
            "response.content_part.done",
            "response.output_text.annotation.added",
            "response.reasoning_summary_part.added",
            "response.reasoning_summary_part.done",
            "response.reasoning_summary_text.done",
            "response.reasoning_text.done",
            "response.refusal.done",
            "keepalive");
    private static final List<String> IGNORED_PREFIXES = List.of(
            "response.web_search_call.",
            "response.file_search_call.",
            "response.code_interpreter_call",
            "response.image_generation_call.",
            "response.mcp_",
            "response.custom_tool_call_input.",
            "response.audio.",
            "response.output_audio");

    private static void text(String delta, Consumer<? super StreamChunk> out) {
        if (delta != null && !delta.isEmpty()) {
            out.accept(ContentChunk.of(delta));
        }
    }

    private static void reasoning(String delta, Consumer<? super StreamChunk> out) {
        if (delta != null && !delta.isEmpty()) {
            out.accept(ReasoningChunk.of(delta));
        }
    }

    /**
     * A reasoning item is complete: a state-only reasoning chunk ends its block, with the item id and
     * (when requested) its encrypted content, which a stateless next turn must send back.
     */
    private void reasoningItemDone(Consumer<? super StreamChunk> out) {
        if (event.itemOwnId != null && !event.itemOwnId.isEmpty()) {
            out.accept(ReasoningChunk.of(
                    "",
                    ReasoningState.openAiItem(
                            event.itemOwnId,
                            Optional.ofNullable(event.itemEncryptedContent).filter(c -> !c.isEmpty()))));
        }
    }

    private void usageAndModel() {
        state.model(event.model);
        if (event.hasUsage()) {
            state.usage(
                    event.inputTokens,
                    event.outputTokens,
                    event.totalTokens,
                    event.cachedTokens,
                    event.reasoningTokens);
        }
    }

    private void terminal(FinishReason reason, Consumer<? super StreamChunk> out) {
        usageAndModel();
        state.finish(reason, out);
    }

    static FinishReason incompleteReason(String reason) {
        if (reason == null) {
            return FinishReason.OTHER;
        }
        return switch (reason) {
            case "max_output_tokens", "max_tokens" -> FinishReason.LENGTH;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }

    private void failed(Consumer<? super StreamChunk> out) {
        usageAndModel();
        String message = event.responseErrorMessage != null ? event.responseErrorMessage : "the response failed";
        state.fail(state.providerError(event.responseErrorCode, message, OptionalInt.empty()), out);
    }

    /** The documented flat shape ({@code code}, {@code message}) or the observed nested one. */
    private void error(Consumer<? super StreamChunk> out) {
        String code = firstNonEmpty(event.code, event.nestedCode, event.nestedType);
        String message = event.message != null ? event.message : event.nestedMessage;
        state.fail(state.providerError(code, message, OptionalInt.empty()), out);
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }
}
