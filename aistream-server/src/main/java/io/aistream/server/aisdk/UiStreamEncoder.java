package io.aistream.server.aisdk;

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
import io.aistream.chunk.UnknownChunk;
import io.aistream.chunk.Usage;
import io.aistream.json.Jackson;
import io.aistream.server.aisdk.UiReasoningMetadata.Placement;
import io.aistream.server.http.Responses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Translates one native stream into the AI SDK's UI message stream (protocol v1), chunk by chunk.
 * A pure function of the native chunks and its constructor arguments, so a replay of the same
 * chunks (a resume) gives the same UI chunks, ids included.
 *
 * <pre>
 * (start)            → start {messageId, messageMetadata: {streamId}}, start-step
 * content deltas     → text-start {id}, text-delta {id, delta}…, text-end {id}
 * reasoning deltas   → reasoning-start {id}, reasoning-delta {id, delta}…, reasoning-end {id}
 * tool_call deltas   → tool-input-start {toolCallId, toolName}, tool-input-delta {toolCallId, inputTextDelta}…,
 *                      and once the call is complete tool-input-available {toolCallId, toolName, input}
 *                      (arguments that are not JSON: input is the raw text, then tool-output-error)
 * error              → error {errorText}
 * done               → (open parts ended) finish-step, finish {messageMetadata: {streamId, finishReason, usage
 *                      (with cacheReadTokens, cacheWriteTokens, reasoningTokens when reported), cost, provider,
 *                      model}}; done(aborted) → abort instead (incomplete tool calls are left open)
 * </pre>
 *
 * <p>A text or reasoning part ends when the other kind, a tool call or the end comes; tool calls
 * complete when text or reasoning follows them, or at the end. Empty deltas are skipped. Parts follow
 * the blocks {@link io.aistream.chunk.Accumulator} forms, so that the UI message's parts read back
 * ({@link UiMessages}) are the answer's {@link io.aistream.chunk.CompletionResponse#parts() parts}:
 * a reasoning chunk with state ends its reasoning part (redacted reasoning is a part of its own),
 * a second state on text starts a new text part.
 *
 * <p>Reasoning state goes in {@code providerMetadata} where the provider's own AI SDK package puts it
 * (see {@link UiReasoningMetadata}), so {@code useChat}'s UI message holds it exactly as it would
 * from that package: e.g. an Anthropic signature is an empty {@code reasoning-delta} with
 * {@code providerMetadata: {anthropic: {signature}}}, a Gemini thought signature rides on its
 * text delta and on the function call's {@code tool-input-available}. These fields are in
 * {@code ai@5.0.0}'s schema, so they are always written. Part ids
 * are {@code text-N} / {@code reasoning-N}, numbered in order within the message. Only the fields of
 * {@code ai@5.0.0}'s schema are written unless {@link UiStreamOptions} asks for more.
 *
 * <p>Not thread-safe: one stream, one thread.
 */
final class UiStreamEncoder {
    private static final JsonMapper STRICT = Jackson.mapperBuilder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String streamId;
    private final String messageId;
    private final String provider;
    private final String model;
    private final UiStreamOptions options;
    private final Map<Integer, ToolState> tools = new LinkedHashMap<>();
    private String openKind; // "text", "reasoning" or null
    private String openId;
    /** The provider metadata of the open part's state, if any. */
    private ObjectNode openMeta;

    private int parts;
    private boolean ended;

    UiStreamEncoder(String streamId, String messageId, String provider, String model, UiStreamOptions options) {
        this.streamId = streamId;
        this.messageId = messageId;
        this.provider = provider;
        this.model = model;
        this.options = options;
    }

    /** The id of the answer's UI message for a stream without a given one. */
    static String messageIdFor(String streamId) {
        return "msg-" + streamId;
    }

    /** The chunks that open the message. */
    List<ObjectNode> start() {
        ObjectNode start = chunk("start");
        start.put("messageId", messageId);
        start.putObject("messageMetadata").put("streamId", streamId);
        return List.of(start, chunk("start-step"));
    }

    /** The UI chunks for the next native chunk (possibly none). */
    List<ObjectNode> next(StreamChunk chunk) {
        if (ended) {
            return List.of();
        }
        List<ObjectNode> out = new ArrayList<>(3);
        switch (chunk) {
            case ContentChunk c -> text(c, out);
            case ReasoningChunk r -> reasoning(r, out);
            case ToolCallChunk t -> toolDelta(t, out);
            case ErrorChunk e -> out.add(error(e.error()));
            case DoneChunk d -> done(d, out);
            case UnknownChunk u -> {} // the UI message stream has no place for it: skipped
        }
        return out;
    }

    /** The chunk for a failure outside the native stream (e.g. a follower that fell behind). */
    static ObjectNode errorChunk(String errorText) {
        ObjectNode e = chunk("error");
        e.put("errorText", errorText);
        return e;
    }

    /** Text: one part per run, as {@link io.aistream.chunk.Accumulator} forms runs (a second state starts a new one). */
    private void text(ContentChunk c, List<ObjectNode> out) {
        Optional<ObjectNode> meta = c.state().flatMap(UiReasoningMetadata::of);
        if (c.delta().isEmpty() && meta.isEmpty()) {
            return;
        }
        if (!"text".equals(openKind) || (meta.isPresent() && openMeta != null)) {
            open("text", meta, out);
        }
        out.add(delta(c.delta(), meta));
        meta.ifPresent(m -> openMeta = m);
    }

    /**
     * Reasoning: one part per block. A chunk with state ends its block (the decoders' convention);
     * redacted reasoning is a part of its own. The state's metadata goes where the provider's AI SDK
     * package puts it ({@link UiReasoningMetadata#reasoningPlacement}).
     */
    private void reasoning(ReasoningChunk r, List<ObjectNode> out) {
        Optional<ObjectNode> meta = r.state().flatMap(UiReasoningMetadata::of);
        if (meta.isEmpty()) {
            if (!r.delta().isEmpty()) {
                if (!"reasoning".equals(openKind)) {
                    open("reasoning", Optional.empty(), out);
                }
                out.add(delta(r.delta(), Optional.empty()));
            }
            if (r.state().isPresent() && "reasoning".equals(openKind)) {
                endOpenPart(false, out); // a state the UI has no place for still ends its block
            }
            return;
        }
        ReasoningState state = r.state().get();
        Set<Placement> placement = UiReasoningMetadata.reasoningPlacement(state);
        if (!"reasoning".equals(openKind) || state.redacted().isPresent()) {
            open("reasoning", meta.filter(m -> placement.contains(Placement.START)), out);
        }
        if (!r.delta().isEmpty() || placement.contains(Placement.DELTA)) {
            out.add(delta(r.delta(), meta.filter(m -> placement.contains(Placement.DELTA))));
        }
        openMeta = meta.get();
        endOpenPart(placement.contains(Placement.END), out);
    }

    /** Ends the open part and any incomplete tool calls, then opens a part of {@code kind}. */
    private void open(String kind, Optional<ObjectNode> meta, List<ObjectNode> out) {
        endOpenPart(false, out);
        completeTools(out);
        openKind = kind;
        openId = kind + "-" + parts++;
        openMeta = null;
        ObjectNode start = chunk(kind + "-start");
        start.put("id", openId);
        meta.ifPresent(m -> start.set("providerMetadata", m.deepCopy()));
        out.add(start);
    }

    private ObjectNode delta(String text, Optional<ObjectNode> meta) {
        ObjectNode d = chunk(openKind + "-delta");
        d.put("id", openId);
        d.put("delta", text);
        meta.ifPresent(m -> d.set("providerMetadata", m.deepCopy()));
        return d;
    }

    /**
     * Ends the open part. Its state's metadata goes on the end chunk when {@code withState}, and also
     * whenever the gateway's own metadata is written there: the SDK replaces a part's metadata with the
     * end chunk's, so the state must be repeated beside it.
     */
    private void endOpenPart(boolean withState, List<ObjectNode> out) {
        if (openKind == null) {
            return;
        }
        ObjectNode end = chunk(openKind + "-end");
        end.put("id", openId);
        providerMetadata(end, withState || options.providerMetadata() ? openMeta : null);
        out.add(end);
        openKind = null;
        openId = null;
        openMeta = null;
    }

    private void toolDelta(ToolCallChunk chunk, List<ObjectNode> out) {
        ToolCallDelta delta = chunk.toolCall();
        endOpenPart(false, out);
        ToolState state = tools.get(delta.index());
        if (state == null || state.complete) {
            if (state != null) {
                tools.remove(delta.index()); // a later call reusing an index: a new call
            }
            String id = delta.callId().filter(s -> !s.isEmpty()).orElse("call-" + streamId + "-" + delta.index());
            String name = delta.name().filter(s -> !s.isEmpty()).orElse("unknown");
            state = new ToolState(id, name);
            tools.put(delta.index(), state);
            ObjectNode start = chunk("tool-input-start");
            start.put("toolCallId", id);
            start.put("toolName", name);
            out.add(start);
        }
        ToolState call = state;
        chunk.state().flatMap(UiReasoningMetadata::of).ifPresent(m -> call.meta = m);
        if (!delta.argumentsDelta().isEmpty()) {
            state.arguments.append(delta.argumentsDelta());
            ObjectNode d = chunk("tool-input-delta");
            d.put("toolCallId", state.id);
            d.put("inputTextDelta", delta.argumentsDelta());
            out.add(d);
        }
    }

    private void completeTools(List<ObjectNode> out) {
        for (ToolState state : tools.values()) {
            if (state.complete) {
                continue;
            }
            state.complete = true;
            String text = state.arguments.toString();
            JsonNode input;
            String invalid = null;
            if (text.isBlank()) {
                input = Responses.JSON.createObjectNode();
            } else {
                try {
                    input = STRICT.readTree(text);
                } catch (JacksonException e) {
                    input = Responses.JSON.getNodeFactory().stringNode(text);
                    invalid = "the model sent tool arguments that are not valid JSON";
                }
            }
            ObjectNode available = chunk("tool-input-available");
            available.put("toolCallId", state.id);
            available.put("toolName", state.name);
            available.set("input", input);
            providerMetadata(available, state.meta);
            out.add(available);
            if (invalid != null) {
                ObjectNode error = chunk("tool-output-error");
                error.put("toolCallId", state.id);
                error.put("errorText", invalid);
                out.add(error);
            }
        }
    }

    private ObjectNode error(ChunkError error) {
        return errorChunk(error.message() + " (" + error.code() + ")");
    }

    private void done(DoneChunk d, List<ObjectNode> out) {
        ended = true;
        endOpenPart(false, out);
        if (d.finishReason() == FinishReason.ABORTED) {
            out.add(chunk("abort"));
            return;
        }
        if (d.finishReason() != FinishReason.ERROR) {
            completeTools(out);
        }
        out.add(chunk("finish-step"));
        ObjectNode finish = chunk("finish");
        if (options.finishReason()) {
            finish.put("finishReason", uiFinishReason(d.finishReason()));
        }
        ObjectNode meta = finish.putObject("messageMetadata");
        meta.put("streamId", streamId);
        meta.put("finishReason", d.finishReason().wireName());
        if (d.usage().isPresent()) {
            Usage u = d.usage().get();
            ObjectNode usage = meta.putObject("usage");
            usage.put("inputTokens", u.inputTokens());
            usage.put("outputTokens", u.outputTokens());
            usage.put("totalTokens", u.totalTokens());
            // the breakdown, where the provider reported it (0 = not reported: left out)
            if (u.cacheReadTokens() > 0) {
                usage.put("cacheReadTokens", u.cacheReadTokens());
            }
            if (u.cacheWriteTokens() > 0) {
                usage.put("cacheWriteTokens", u.cacheWriteTokens());
            }
            if (u.reasoningTokens() > 0) {
                usage.put("reasoningTokens", u.reasoningTokens());
            }
        }
        d.cost().ifPresent(cost -> meta.put("cost", cost));
        meta.put("provider", d.provider().orElse(provider));
        String m = d.model().orElse(model);
        if (!m.isEmpty()) {
            meta.put("model", m);
        }
        d.refusal().ifPresent(r -> meta.put("refusal", r));
        if (d.recovered()) {
            meta.put("recovered", true);
        }
        out.add(finish);
    }

    /** The AI SDK's finish reason names (ai ≥ 6.0's {@code finish.finishReason}). */
    static String uiFinishReason(FinishReason reason) {
        return switch (reason) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case TOOL_CALLS -> "tool-calls";
            case CONTENT_FILTER -> "content-filter";
            case ERROR -> "error";
            case ABORTED, OTHER -> "other";
        };
    }

    /** Sets {@code providerMetadata}: the state's ({@code stateMeta}, if any) and the gateway's own when asked for. */
    private void providerMetadata(ObjectNode chunk, ObjectNode stateMeta) {
        if (stateMeta == null && !options.providerMetadata()) {
            return;
        }
        ObjectNode meta = chunk.putObject("providerMetadata");
        if (stateMeta != null) {
            meta.setAll(stateMeta.deepCopy());
        }
        if (options.providerMetadata()) {
            ObjectNode a = meta.putObject("aistream");
            a.put("streamId", streamId);
            a.put("provider", provider);
            if (!model.isEmpty()) {
                a.put("model", model);
            }
        }
    }

    private static ObjectNode chunk(String type) {
        ObjectNode node = Responses.JSON.createObjectNode();
        node.put("type", type);
        return node;
    }

    private static final class ToolState {
        final String id;
        final String name;
        final StringBuilder arguments = new StringBuilder();
        boolean complete;
        /** The provider metadata of the call's state (a Gemini thought signature), if any. */
        ObjectNode meta;

        ToolState(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }
}
