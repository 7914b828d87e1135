package io.aistream.provider.cohere;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
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
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Decodes a Cohere v2 Chat stream ({@code text/event-stream}, one JSON object per event whose
 * {@code type} equals the SSE {@code event} name) into chunks, following the {@link StreamDecoder}
 * contract.
 *
 * <ul>
 *   <li>{@code content-delta}: {@code delta.message.content.text} → content,
 *       {@code .thinking} → reasoning; {@code tool-plan-delta} → reasoning (the model's plan before
 *       calling tools).</li>
 *   <li>{@code tool-call-start} starts a tool call (id, name, first arguments),
 *       {@code tool-call-delta} adds arguments; calls are numbered from 0 by Cohere's {@code index}
 *       in order of first appearance.</li>
 *   <li>{@code message-end} is the terminal signal: {@code done} with the mapped finish reason (see
 *       {@link CohereProtocol}) and usage from {@code delta.usage.tokens}. {@code finish_reason: ERROR}
 *       gives an {@code error} chunk ({@code provider_error}, the {@code delta.error} text, retryable),
 *       {@code TIMEOUT} one with code {@code timeout}, then {@code done}/{@code error}.</li>
 *   <li>Citations, {@code debug} events and a {@code [DONE]} sentinel are skipped; so is an unknown event
 *       type, reported to the context's observer ({@link UnknownEvents}).
 *       Cohere names no model in the stream, so {@code done} carries the requested one.</li>
 * </ul>
 *
 * <p>Not thread-safe: one thread feeds it, and the consumer is called on that thread.
 */
final class CohereDecoder extends SseStreamDecoder {
    private final DecoderContext context;
    private final UnknownEvents unknown;
    private final ToolCallIndex toolCalls = new ToolCallIndex();
    private boolean done;

    /** A decoder with the default SSE size limits. */
    CohereDecoder(DecoderContext context) {
        this(context, SseLimits.DEFAULTS);
    }

    /** A decoder enforcing {@code limits} on SSE lines and events. */
    CohereDecoder(DecoderContext context, SseLimits limits) {
        super(limits);
        this.context = Objects.requireNonNull(context, "context");
        this.unknown = new UnknownEvents(context);
    }

    @Override
    protected void endOfBody() {
        fail(
                ChunkError.of(ErrorCode.INCOMPLETE_STREAM, "the Cohere stream ended before message-end"),
                Optional.empty());
    }

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public void onEvent(SseEvent event) {
        if (done || isBlankOrDone(event.data())) {
            return;
        }
        JsonNode json = readObject(event, "Cohere");
        if (json == null) {
            return;
        }
        JsonNode message = json.path("delta").path("message");
        String type = Json.text(json.path("type"), event.event());
        switch (type) {
            case "content-start", "content-delta" -> {
                JsonNode content = message.path("content");
                emitText(Json.text(content.path("thinking"), ""), true);
                emitText(Json.text(content.path("text"), ""), false);
            }
            case "tool-plan-delta" -> emitText(Json.text(message.path("tool_plan"), ""), true);
            case "tool-call-start" -> toolCallStart(json.path("index").asInt(0), message.path("tool_calls"));
            case "tool-call-delta" -> toolCallDelta(json.path("index").asInt(0), message.path("tool_calls"));
            case "message-end" -> messageEnd(json);
            case "message-start", "content-end", "tool-call-end", "citation-start", "citation-end", "debug" -> {
                // nothing to emit
            }
            default -> unknown.skipped(type);
        }
    }

    private void toolCallStart(int index, JsonNode call) {
        JsonNode function = call.path("function");
        emit(ToolCallChunk.of(ToolCallDelta.start(
                toolCalls.allocate(index),
                Json.text(call.path("id"), ""),
                Json.text(function.path("name"), ""),
                Json.text(function.path("arguments"), ""))));
    }

    private void toolCallDelta(int index, JsonNode call) {
        String fragment = Json.text(call.path("function").path("arguments"), "");
        if (!fragment.isEmpty()) {
            emit(ToolCallChunk.of(ToolCallDelta.arguments(toolCalls.allocate(index), fragment)));
        }
    }

    private void messageEnd(JsonNode json) {
        MessageEnd end = MessageEnd.read(json, context.provider());
        if (end.error().isPresent()) {
            fail(end.error().get(), end.usage());
            return;
        }
        FinishReason reason = end.finishReason();
        finish(reason == FinishReason.STOP && toolCalls.count() > 0 ? FinishReason.TOOL_CALLS : reason, end.usage());
    }

    private void emitText(String text, boolean reasoning) {
        if (!text.isEmpty()) {
            emit(reasoning ? ReasoningChunk.of(text) : ContentChunk.of(text));
        }
    }

    @Override
    protected void malformed(String what) {
        fail(ChunkError.of(ErrorCode.MALFORMED_EVENT, what), Optional.empty());
    }

    /** Emits {@code error} (stamped with this provider) and then done/error. */
    private void fail(ChunkError error, Optional<Usage> usage) {
        emit(ErrorChunk.of(ChunkErrors.withProvider(error, context.provider())));
        finish(FinishReason.ERROR, usage);
    }

    private void finish(FinishReason reason, Optional<Usage> usage) {
        emit(DoneChunk.of(reason).withMetadata(usage, Optional.of(context.provider()), Optional.of(context.model())));
        done = true;
    }

    private void emit(StreamChunk chunk) {
        sink().accept(chunk);
    }
}
