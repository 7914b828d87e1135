package io.aistream.provider.gemini;

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
import io.aistream.json.Jackson;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.support.ChunkErrors;
import io.aistream.provider.support.Json;
import io.aistream.provider.support.UnknownEvents;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the {@code GenerateContentResponse} objects of one Gemini stream, whatever framing
 * delivered them, into chunks, and keeps the state of the turn: finish reason, usage snapshot,
 * model, tool-call count and whether {@code done} has been emitted.
 *
 * <p>Only candidate 0 is streamed (a candidate without {@code index} counts as 0): aistream
 * streams have one answer. Parts: {@code text} → content, {@code text} with {@code thought: true}
 * → reasoning, {@code functionCall} → one whole tool call (id synthesized as {@code call_<n>} when
 * Gemini sends none). A part's {@code thoughtSignature} becomes {@link ReasoningState#GOOGLE} state on
 * the chunk of that part (Gemini requires it back on the same part of the next request); an empty text
 * part that carries only a signature becomes an empty content (or, with {@code thought: true},
 * reasoning) chunk with that state. Empty text without a signature, {@code inlineData},
 * {@code executableCode} and the other documented part kinds are skipped (with their signatures: those
 * parts are not streamed, so cannot be sent back); a part of none of the
 * documented kinds is skipped and reported as {@code part:<its first field>} to the context's observer
 * ({@link UnknownEvents}). Not thread-safe.
 */
final class GeminiResponseReader {
    static final JsonMapper JSON = Jackson.mapper();
    private static final Set<String> RETRYABLE_STATUSES =
            Set.of("UNAVAILABLE", "RESOURCE_EXHAUSTED", "INTERNAL", "DEADLINE_EXCEEDED");
    /** The fields of the part kinds Gemini documents (a part has one data field plus metadata). */
    private static final Set<String> KNOWN_PART_FIELDS = Set.of(
            "text",
            "thought",
            "thoughtSignature",
            "functionCall",
            "functionResponse",
            "inlineData",
            "fileData",
            "executableCode",
            "codeExecutionResult",
            "videoMetadata",
            "partMetadata",
            "mediaResolution");

    private final DecoderContext context;
    private final GeminiUsage usage = new GeminiUsage();
    private final UnknownEvents unknown;
    private String model;
    private FinishReason finish;
    private int toolCalls;
    private boolean done;

    GeminiResponseReader(DecoderContext context) {
        this.context = context;
        this.unknown = new UnknownEvents(context);
    }

    boolean isDone() {
        return done;
    }

    /** The usage of the last {@code usageMetadata} seen; empty if none was. */
    Optional<Usage> usageSoFar() {
        return usage.current();
    }

    /** Reads one response given as JSON bytes (a JSON array element). */
    void read(byte[] json, int off, int len, Consumer<? super StreamChunk> out) {
        JsonNode node;
        try {
            node = JSON.readTree(json, off, len);
        } catch (JacksonException e) {
            malformed("a Gemini stream element is not valid JSON: " + Json.shortDescription(e), out);
            return;
        }
        read(node, out);
    }

    /** Reads one response given as JSON text (an SSE event's data). */
    void read(String json, Consumer<? super StreamChunk> out) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JacksonException e) {
            malformed("a Gemini event is not valid JSON: " + Json.shortDescription(e), out);
            return;
        }
        read(node, out);
    }

    private void read(JsonNode response, Consumer<? super StreamChunk> out) {
        if (done) {
            return;
        }
        if (response == null || !response.isObject()) {
            malformed("a Gemini event is not a JSON object", out);
            return;
        }
        JsonNode error = response.get("error");
        if (error != null && !error.isNull()) {
            providerError(error, out);
            return;
        }
        JsonNode modelVersion = response.get("modelVersion");
        if (modelVersion != null
                && modelVersion.isString()
                && !modelVersion.stringValue().isEmpty()) {
            model = modelVersion.stringValue();
        }
        usage.update(response.get("usageMetadata"));
        JsonNode blockReason = response.path("promptFeedback").get("blockReason");
        if (blockReason != null && blockReason.isString()) {
            finish = FinishReason.CONTENT_FILTER;
        }
        JsonNode candidates = response.get("candidates");
        if (candidates != null && candidates.isArray()) {
            for (JsonNode candidate : candidates.values()) {
                if (candidate.isObject() && candidate.path("index").asInt(0) == 0) {
                    readCandidate(candidate, out);
                }
            }
        }
    }

    private void readCandidate(JsonNode candidate, Consumer<? super StreamChunk> out) {
        JsonNode parts = candidate.path("content").get("parts");
        if (parts != null && parts.isArray()) {
            for (JsonNode part : parts.values()) {
                readPart(part, out);
            }
        }
        JsonNode reason = candidate.get("finishReason");
        if (reason != null && reason.isString()) {
            finish = GeminiFinishReasons.map(reason.stringValue());
        }
    }

    private void readPart(JsonNode part, Consumer<? super StreamChunk> out) {
        if (!part.isObject()) {
            return;
        }
        Optional<ReasoningState> state = signature(part);
        JsonNode call = part.get("functionCall");
        if (call != null && call.isObject()) {
            readFunctionCall(call, state, out);
            return;
        }
        JsonNode text = part.get("text");
        if (text == null && !part.isEmpty() && part.propertyNames().stream().noneMatch(KNOWN_PART_FIELDS::contains)) {
            unknown.skipped("part:" + part.propertyNames().iterator().next());
            return;
        }
        String value = text != null && text.isString() ? text.stringValue() : "";
        boolean textual = text != null || isSignatureOnly(part);
        if (!textual || (value.isEmpty() && state.isEmpty())) {
            return; // empty text, or a part kind aistream does not stream (its signature cannot be sent back)
        }
        if (part.path("thought").asBoolean(false)) {
            out.accept(state.map(s -> ReasoningChunk.of(value, s)).orElseGet(() -> ReasoningChunk.of(value)));
        } else {
            out.accept(state.map(s -> ContentChunk.of(value, s)).orElseGet(() -> ContentChunk.of(value)));
        }
    }

    /** The part's {@code thoughtSignature} as {@link ReasoningState#GOOGLE} state, if it has a non-empty one. */
    private static Optional<ReasoningState> signature(JsonNode part) {
        JsonNode signature = part.get("thoughtSignature");
        return signature != null
                        && signature.isString()
                        && !signature.stringValue().isEmpty()
                ? Optional.of(ReasoningState.signature(ReasoningState.GOOGLE, signature.stringValue()))
                : Optional.empty();
    }

    /** A part that carries nothing but a thought signature (and perhaps {@code thought}): empty text. */
    private static boolean isSignatureOnly(JsonNode part) {
        for (String name : part.propertyNames()) {
            if (!name.equals("thoughtSignature") && !name.equals("thought")) {
                return false;
            }
        }
        return part.has("thoughtSignature");
    }

    private void readFunctionCall(JsonNode call, Optional<ReasoningState> state, Consumer<? super StreamChunk> out) {
        int index = toolCalls++;
        JsonNode id = call.get("id");
        String callId = id != null && id.isString() && !id.stringValue().isEmpty() ? id.stringValue() : "call_" + index;
        JsonNode name = call.get("name");
        JsonNode args = call.get("args");
        String arguments = args == null || args.isNull() ? "{}" : JSON.writeValueAsString(args);
        ToolCallDelta delta = ToolCallDelta.start(
                index, callId, name != null && name.isString() ? name.stringValue() : "", arguments);
        out.accept(state.map(s -> ToolCallChunk.of(delta, s)).orElseGet(() -> ToolCallChunk.of(delta)));
    }

    private void providerError(JsonNode error, Consumer<? super StreamChunk> out) {
        JsonNode status = error.get("status");
        JsonNode code = error.get("code");
        JsonNode message = error.get("message");
        String type;
        if (status != null && status.isString() && !status.stringValue().isEmpty()) {
            type = status.stringValue();
        } else if (code != null && (code.isNumber() || code.isString())) {
            type = code.asString();
        } else {
            type = "provider_error";
        }
        OptionalInt httpStatus = code != null && code.isIntegralNumber() && code.canConvertToInt()
                ? OptionalInt.of(code.intValue())
                : OptionalInt.empty();
        boolean retryable = RETRYABLE_STATUSES.contains(type)
                || httpStatus.orElse(0) == 429
                || httpStatus.orElse(0) == 408
                || httpStatus.orElse(0) >= 500;
        String text = message != null && message.isString() ? message.stringValue() : error.toString();
        fail(new ChunkError(type, text, retryable, Optional.of(context.provider()), httpStatus), out);
    }

    private void malformed(String message, Consumer<? super StreamChunk> out) {
        fail(ownError(ErrorCode.MALFORMED_EVENT, message), out);
    }

    /** Emits an error and the done chunk that follows it. */
    void fail(ChunkError error, Consumer<? super StreamChunk> out) {
        if (done) {
            return;
        }
        out.accept(ErrorChunk.of(error));
        emitDone(FinishReason.ERROR, out);
    }

    /** An error raised by this decoder itself (not the provider). */
    ChunkError ownError(ErrorCode code, String message) {
        return ChunkErrors.own(code, message, context.provider());
    }

    /**
     * The stream reached its terminal signal (end of body, or the JSON array's closing bracket):
     * {@code done} with the finish reason seen, or {@code incomplete_stream} when none was seen.
     */
    void finish(Consumer<? super StreamChunk> out) {
        if (done) {
            return;
        }
        if (finish == null) {
            fail(ownError(ErrorCode.INCOMPLETE_STREAM, "the Gemini stream ended without a finishReason"), out);
            return;
        }
        emitDone(finish == FinishReason.STOP && toolCalls > 0 ? FinishReason.TOOL_CALLS : finish, out);
    }

    /** The body ended in the middle of an event or element. */
    void incomplete(Consumer<? super StreamChunk> out) {
        fail(ownError(ErrorCode.INCOMPLETE_STREAM, "the Gemini stream ended inside an event"), out);
    }

    private void emitDone(FinishReason reason, Consumer<? super StreamChunk> out) {
        done = true;
        out.accept(DoneChunk.of(reason)
                .withMetadata(
                        usage.current(),
                        Optional.of(context.provider()),
                        Optional.of(model != null ? model : context.model())));
    }
}
