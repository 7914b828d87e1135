package io.aistream.provider.anthropic;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.ReasoningState;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.chunk.Usage;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.support.ChunkErrors;
import io.aistream.provider.support.Json;
import io.aistream.provider.support.SseStreamDecoder;
import io.aistream.provider.support.ToolCallIndex;
import io.aistream.provider.support.UnknownEvents;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseLimits;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Decodes an Anthropic Messages stream ({@code text/event-stream}, one JSON object per event whose
 * {@code type} equals the SSE {@code event} name) into chunks, following the
 * {@link StreamDecoder} contract.
 *
 * <ul>
 *   <li>{@code text_delta} → content; {@code thinking_delta} → reasoning; {@code signature_delta} →
 *       an empty reasoning chunk carrying {@code ReasoningState.signature("anthropic", sig)}, which
 *       ends the thinking block; a {@code redacted_thinking} block → an empty reasoning chunk carrying
 *       {@code ReasoningState.redacted("anthropic", data)} (a block of its own). A non-empty
 *       {@code signature} on a thinking block's start with no {@code signature_delta} after it (a
 *       gateway replaying whole blocks) is emitted the same way at the block's stop. {@code citations_delta}
 *       and server-tool blocks are skipped.</li>
 *   <li>A {@code tool_use} block starts a tool call (its id and name); its {@code input_json_delta}
 *       fragments are that call's arguments. Calls are numbered from 0 in order of their blocks.</li>
 *   <li>Usage: {@code message_start} gives input (and a placeholder output), every
 *       {@code message_delta} cumulative counts; each field keeps its last report. Input is
 *       {@code input_tokens + cache_read_input_tokens + cache_creation_input_tokens}, the two cache
 *       counts broken out ({@link MessageState#usage()}); {@link #usageSoFar()} is that usage from
 *       {@code message_start} on.</li>
 *   <li>{@code message_stop} is the terminal signal: {@code done} with the mapped stop reason (see
 *       {@link AnthropicProtocol}). An {@code error} event gives an {@code error} chunk whose code is
 *       Anthropic's error type (e.g. {@code overloaded_error}, retryable), then {@code done}/{@code error}.</li>
 *   <li>{@code ping} is skipped; an event or delta type not listed here is skipped and reported to the
 *       context's observer ({@link UnknownEvents}).</li>
 *   <li>A {@code message_start} with a different message id inside an open message (a proxy
 *       splicing two responses) is reported as {@code malformed_event}.</li>
 * </ul>
 *
 * <p>Not thread-safe: one thread feeds it, and the consumer is called on that thread.
 */
final class AnthropicDecoder extends SseStreamDecoder {
    private final DecoderContext context;
    private final UnknownEvents unknown;
    private final MessageState message = new MessageState();
    private final ToolCallIndex toolCalls = new ToolCallIndex();
    /** The tool_use blocks by call index. */
    private final Map<Integer, ToolUseBlock> toolUses = new HashMap<>();
    /**
     * Signatures that came on a thinking block's start (not the API's own form, which sends an
     * empty one and a {@code signature_delta}), by block index, until the block stops.
     */
    private final Map<Integer, String> startSignatures = new HashMap<>();

    private boolean done;

    /** A decoder with the default SSE size limits. */
    AnthropicDecoder(DecoderContext context) {
        this(context, SseLimits.DEFAULTS);
    }

    /** A decoder enforcing {@code limits} on SSE lines and events. */
    AnthropicDecoder(DecoderContext context, SseLimits limits) {
        super(limits);
        this.context = Objects.requireNonNull(context, "context");
        this.unknown = new UnknownEvents(context);
    }

    @Override
    protected void endOfBody() {
        fail(ChunkError.of(ErrorCode.INCOMPLETE_STREAM, "the Anthropic stream ended before message_stop"));
    }

    @Override
    public Optional<Usage> usageSoFar() {
        return message.usage();
    }

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public void onEvent(SseEvent event) {
        if (done || event.data().isBlank()) {
            return;
        }
        JsonNode json = readObject(event, "Anthropic");
        if (json == null) {
            return;
        }
        String type = Json.text(json.path("type"), event.event());
        switch (type) {
            case "message_start" -> messageStart(json);
            case "content_block_start" -> blockStart(json);
            case "content_block_delta" -> blockDelta(json);
            case "content_block_stop" -> blockStop(json);
            case "message_delta" -> message.delta(json);
            case "message_stop" -> finish(message.finishReason(toolCalls.count()));
            case "error" -> fail(AnthropicErrors.streamError(json, context.provider()));
            case "ping" -> {
                // keep-alive
            }
            default -> unknown.skipped(type);
        }
    }

    private void messageStart(JsonNode json) {
        JsonNode msg = json.path("message");
        String openId = message.messageId();
        if (message.start(msg) == MessageState.Start.SPLICED) {
            malformed("a second message (" + Json.text(msg.path("id"), "?") + ") started inside message " + openId);
        }
    }

    private void blockStart(JsonNode json) {
        int index = json.path("index").asInt(-1);
        JsonNode block = json.path("content_block");
        switch (Json.text(block.path("type"), "")) {
            case "text" -> content(Json.text(block.path("text"), ""));
            case "thinking" -> {
                reasoning(Json.text(block.path("thinking"), ""));
                String signature = Json.text(block.path("signature"), "");
                if (!signature.isEmpty()) {
                    // a gateway that sends the whole block on its start: the signature ends it at its stop
                    startSignatures.put(index, signature);
                }
            }
            case "redacted_thinking" ->
                emit(ReasoningChunk.of(
                        "", ReasoningState.redacted(ReasoningState.ANTHROPIC, Json.text(block.path("data"), ""))));
            case "tool_use" -> {
                JsonNode input = block.path("input");
                String initial = input.isObject() && !input.isEmpty() ? Json.MAPPER.writeValueAsString(input) : null;
                ToolUseBlock call =
                        toolUses.computeIfAbsent(toolCalls.allocate(index), i -> new ToolUseBlock(i, initial));
                emit(ToolCallChunk.of(ToolCallDelta.start(
                        call.callIndex, Json.text(block.path("id"), ""), Json.text(block.path("name"), ""), "")));
            }
            default -> {
                // server_tool_use and server tool results: nothing to show
            }
        }
    }

    private void blockDelta(JsonNode json) {
        JsonNode delta = json.path("delta");
        switch (Json.text(delta.path("type"), "")) {
            case "text_delta" -> content(Json.text(delta.path("text"), ""));
            case "thinking_delta" -> reasoning(Json.text(delta.path("thinking"), ""));
            case "input_json_delta" -> {
                ToolUseBlock call = toolUse(json.path("index").asInt(-1));
                String fragment = Json.text(delta.path("partial_json"), "");
                if (call != null && !fragment.isEmpty()) {
                    call.sawArguments = true;
                    emit(ToolCallChunk.of(ToolCallDelta.arguments(call.callIndex, fragment)));
                }
            }
            case "signature_delta" -> {
                String signature = Json.text(delta.path("signature"), "");
                startSignatures.remove(json.path("index").asInt(-1));
                if (!signature.isEmpty()) {
                    // the signature closes the thinking block; the next request must send it back
                    emit(ReasoningChunk.of("", ReasoningState.signature(ReasoningState.ANTHROPIC, signature)));
                }
            }
            case "citations_delta" -> {
                // citations are not mapped
            }
            default -> unknown.skipped("content_block_delta/" + Json.text(delta.path("type"), ""));
        }
    }

    private void blockStop(JsonNode json) {
        String signature = startSignatures.remove(json.path("index").asInt(-1));
        if (signature != null) {
            emit(ReasoningChunk.of("", ReasoningState.signature(ReasoningState.ANTHROPIC, signature)));
        }
        ToolUseBlock call = toolUse(json.path("index").asInt(-1));
        if (call != null && !call.sawArguments && call.initialInput != null) {
            // A gateway that sends the whole input on the start event and no fragments.
            call.sawArguments = true;
            emit(ToolCallChunk.of(ToolCallDelta.arguments(call.callIndex, call.initialInput)));
        }
    }

    /** The tool_use block at this content-block index, or null if it is not one. */
    private ToolUseBlock toolUse(int blockIndex) {
        int call = toolCalls.find(blockIndex);
        return call < 0 ? null : toolUses.get(call);
    }

    /** One open or closed tool_use block. */
    private static final class ToolUseBlock {
        final int callIndex;
        /** The {@code input} of {@code content_block_start} when it was a non-empty object, else null. */
        final String initialInput;

        boolean sawArguments;

        ToolUseBlock(int callIndex, String initialInput) {
            this.callIndex = callIndex;
            this.initialInput = initialInput;
        }
    }

    private void content(String text) {
        if (!text.isEmpty()) {
            emit(ContentChunk.of(text));
        }
    }

    private void reasoning(String text) {
        if (!text.isEmpty()) {
            emit(ReasoningChunk.of(text));
        }
    }

    @Override
    protected void malformed(String what) {
        fail(ChunkError.of(ErrorCode.MALFORMED_EVENT, what));
    }

    /** Emits {@code error} (stamped with this provider) and then done/error. */
    private void fail(ChunkError error) {
        emit(ErrorChunk.of(ChunkErrors.withProvider(error, context.provider())));
        finish(FinishReason.ERROR);
    }

    private void finish(FinishReason reason) {
        emit(DoneChunk.of(reason)
                .withMetadata(
                        message.usage(),
                        Optional.of(context.provider()),
                        Optional.of(message.model().orElse(context.model()))));
        done = true;
    }

    private void emit(StreamChunk chunk) {
        sink().accept(chunk);
    }
}
