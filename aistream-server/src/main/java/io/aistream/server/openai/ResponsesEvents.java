package io.aistream.server.openai;

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
import io.aistream.json.Jackson;
import io.aistream.server.http.Responses;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns one stream's chunks into the Responses API's output items and, when it has a writer, into its typed
 * SSE events ({@code event: <type>} + {@code data: {"type":<type>,"sequence_number":n,…}}), the way OpenAI
 * streams them. The same state builds the final {@code response} object, so a streamed and a non-streamed
 * answer agree.
 *
 * <p><b>Events.</b> {@link #start} writes {@code response.created} and {@code response.in_progress}. Then,
 * per output item, in order:
 *
 * <ul>
 *   <li>text → a {@code message} item ({@code msg_…}): {@code output_item.added}, {@code content_part.added}
 *       ({@code output_text}), {@code output_text.delta}s, and when the item ends {@code output_text.done},
 *       {@code content_part.done}, {@code output_item.done};</li>
 *   <li>reasoning → a {@code reasoning} item ({@code rs_…}) with one summary part:
 *       {@code reasoning_summary_part.added}, {@code reasoning_summary_text.delta}s,
 *       {@code reasoning_summary_text.done}, {@code reasoning_summary_part.done}. An OpenAI Responses
 *       state ({@link ReasoningState#OPENAI}) ends the item (opening one with an empty summary if its
 *       summary had no text): {@code output_item.done} and the final response carry the upstream's item
 *       id (the id announced at {@code output_item.added} is the gateway's, as the upstream's is known
 *       only when the item ends) and, when the request's {@code include} has
 *       {@code reasoning.encrypted_content}, its {@code encrypted_content};</li>
 *   <li>tool call → a {@code function_call} item ({@code fc_…}, the provider's call id or
 *       {@link OpenAiSse#callId}): {@code function_call_arguments.delta}s, {@code .done};</li>
 *   <li>a refusal (reported on {@code done}) → a {@code refusal} part of the message item (opened if need be):
 *       {@code refusal.delta} with the whole text, {@code refusal.done}.</li>
 * </ul>
 *
 * <p>A message or reasoning item ends when output of another kind starts. The calls of a run of tool-call
 * fragments stay open together (fragments of parallel calls may interleave) and end, in output order, when
 * other output starts or the stream ends. A fragment for a call that has already ended (no provider is known
 * to send one) cannot be placed in this protocol: it is left out of the events but kept in the final
 * {@code response}'s item. The stream ends with:
 *
 * <ul>
 *   <li>{@code stop}, {@code tool_calls}, {@code other} → {@code response.completed};</li>
 *   <li>{@code length} → {@code response.incomplete}, {@code incomplete_details.reason: max_output_tokens};
 *       {@code content_filter} → the same with reason {@code content_filter}; open items end
 *       {@code incomplete};</li>
 *   <li>{@code error} (the last error chunk) and {@code aborted} (a {@code DELETE}, a drain, a shutdown) → an
 *       {@code error} event ({@code {"error":{type, code, message, param}}}, as OpenAI sends it, so SDKs
 *       raise it) followed by {@code response.failed} ({@code error: {code, message}}; an abort has code
 *       {@code stream_aborted}). Open items are not ended; they are in the failed response with status
 *       {@code incomplete}. An error chunk the stream recovered from is not shown.</li>
 * </ul>
 *
 * <p>Sequence numbers count every event from 0. Unknown chunks are skipped. Memory: the items' text is kept
 * for the {@code .done} events and the final response, as OpenAI repeats it there; the stream's own limits
 * bound it.
 *
 * <p>Not thread-safe: one instance per response, driven by one thread (the caller serialises writes with
 * keep-alives).
 */
final class ResponsesEvents {
    /** Writes the events: no separator between root values, so each event is exactly the bytes written. */
    private static final JsonMapper EVENTS = JsonMapper.builder(Jackson.factoryBuilder()
                    .rootValueSeparator((SerializableString) null)
                    .build())
            .build();

    /** The {@code include} value that asks for reasoning items' encrypted content. */
    static final String ENCRYPTED_REASONING = "reasoning.encrypted_content";

    private final ResponseObject head;
    /** The request's {@code include} has {@code reasoning.encrypted_content}. */
    private final boolean includeEncrypted;

    private final String streamId;
    private final String idSuffix;
    private final JsonGenerator g;
    private final Consumer<ObjectNode> onFinished;
    private long sequence;
    private long skipThrough = -1;

    /** Ended items' JSON, and the open ones (in output order) with their output index. */
    private final Map<Integer, ObjectNode> ended = new LinkedHashMap<>();

    private Item current; // the open message or reasoning item
    private final Map<Integer, Call> openCalls = new LinkedHashMap<>(); // by tool-call index
    private final Map<Integer, Call> endedCalls = new LinkedHashMap<>();
    private final Set<Integer> lateCalls = new HashSet<>();
    private int nextOutputIndex;
    private ChunkError lastError;
    private ObjectNode result;

    /**
     * @param head     the response's id, creation time, model and echoed settings
     * @param streamId the stream's id, for item and call ids
     * @param out      where the events go; null to build only the final response (a non-streamed answer)
     */
    ResponsesEvents(ResponseObject head, String streamId, OutputStream out) {
        this(head, streamId, out, response -> {});
    }

    /**
     * @param head       the response's id, creation time, model and echoed settings
     * @param streamId   the stream's id, for item and call ids
     * @param out        where the events go; null to build only the final response (a non-streamed answer)
     * @param onFinished given the final {@code response} of a completed or incomplete (not a failed) stream,
     *                   before its terminal event is written: what it does (keep the response) is done before
     *                   the client can see the response end
     */
    ResponsesEvents(ResponseObject head, String streamId, OutputStream out, Consumer<ObjectNode> onFinished) {
        this.onFinished = onFinished;
        this.head = head;
        this.includeEncrypted = includesEncryptedReasoning(head.echo());
        this.streamId = streamId;
        this.idSuffix = streamId.substring(streamId.indexOf('_') + 1);
        this.g = out == null ? null : EVENTS.createGenerator(out);
    }

    /** Whether the request's (echoed) {@code include} asks for {@code reasoning.encrypted_content}. */
    static boolean includesEncryptedReasoning(ObjectNode echo) {
        for (JsonNode value : echo.path("include")) {
            if (value.isString() && value.asString().equals(ENCRYPTED_REASONING)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Leaves out the events with a sequence number up to {@code sequenceNumber}: a background response's events
     * replayed for {@code starting_after} (the same chunks give the same events, so the numbers match). Before
     * {@link #start}.
     */
    void skipThrough(long sequenceNumber) {
        this.skipThrough = sequenceNumber;
    }

    /** Writes {@code response.created} and {@code response.in_progress}. */
    void start() {
        ObjectNode response = head.build(
                ResponseObject.IN_PROGRESS,
                Responses.JSON.createArrayNode(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        event("response.created", () -> g.writePOJOProperty("response", response));
        event("response.in_progress", () -> g.writePOJOProperty("response", response));
    }

    /** Handles one chunk: events for it, if any, written (not flushed). */
    void on(StreamChunk chunk) {
        if (result != null) {
            return;
        }
        switch (chunk) {
            case ContentChunk c -> text(c.delta());
            case ReasoningChunk r -> {
                reasoning(r.delta());
                r.state().ifPresent(this::reasoningState);
            }
            case ToolCallChunk t -> toolCall(t.toolCall());
            case ErrorChunk e -> lastError = e.error();
            case DoneChunk d -> done(d);
            case UnknownChunk u -> {} // the Responses API has no place for it: skipped
        }
    }

    /** The final {@code response} object; empty until the done chunk has been handled. */
    Optional<ObjectNode> response() {
        return Optional.ofNullable(result);
    }

    /** Flushes what has been written. */
    void flush() {
        g.flush();
    }

    /** Writes the comment {@code : keepalive} and flushes (SSE comments are ignored by every client). */
    void keepAlive() {
        g.writeRaw(": keepalive\n\n");
        g.flush();
    }

    /** Closes the generator (and so the output stream). */
    void close() {
        g.close();
    }

    // ---- chunks

    private void text(String delta) {
        if (delta.isEmpty()) {
            return;
        }
        endCalls();
        Message m = current instanceof Message open ? open : openMessage();
        if (m.text == null) {
            openTextPart(m);
        }
        m.text.append(delta);
        event("response.output_text.delta", () -> {
            itemFields(m);
            g.writeNumberProperty("content_index", m.parts.size());
            g.writeStringProperty("delta", delta);
            g.writeName("logprobs");
            g.writeStartArray();
            g.writeEndArray();
        });
    }

    private void reasoning(String delta) {
        if (delta.isEmpty()) {
            return;
        }
        endCalls();
        Reasoning r;
        if (current instanceof Reasoning open) {
            r = open;
        } else {
            r = openReasoning(itemId("rs_"));
            event("response.reasoning_summary_part.added", () -> {
                itemFields(r);
                g.writeNumberProperty("summary_index", 0);
                g.writePOJOProperty("part", summary(""));
            });
        }
        r.text.append(delta);
        event("response.reasoning_summary_text.delta", () -> {
            itemFields(r);
            g.writeNumberProperty("summary_index", 0);
            g.writeStringProperty("delta", delta);
        });
    }

    /**
     * An OpenAI Responses item state ends its reasoning item (opened, with an empty summary, when its
     * summary had no text): the item takes the upstream's id, which is what must come back in the next
     * request, and its {@code encrypted_content} when the request asked for it. Other states have no
     * place in this protocol.
     */
    private void reasoningState(ReasoningState state) {
        if (!state.from(ReasoningState.OPENAI)) {
            return;
        }
        Reasoning r;
        if (current instanceof Reasoning open) {
            r = open;
        } else {
            endCalls();
            r = openReasoning(state.itemId().orElseGet(() -> itemId("rs_")));
        }
        state.itemId().ifPresent(id -> r.upstreamId = id);
        if (includeEncrypted) {
            r.encryptedContent = state.encryptedContent().orElse(null);
        }
        endCurrent(ResponseObject.COMPLETED);
    }

    private Reasoning openReasoning(String id) {
        endCurrent(ResponseObject.COMPLETED);
        Reasoning r = new Reasoning(nextOutputIndex, id);
        nextOutputIndex++;
        current = r;
        event("response.output_item.added", () -> {
            g.writeNumberProperty("output_index", r.index);
            g.writePOJOProperty("item", r.json(ResponseObject.IN_PROGRESS, false));
        });
        return r;
    }

    private void toolCall(ToolCallDelta t) {
        endCurrent(ResponseObject.COMPLETED);
        Call call = openCalls.get(t.index());
        if (call == null) {
            Call late = endedCalls.get(t.index());
            if (late != null) {
                late.arguments.append(t.argumentsDelta()); // cannot be streamed any more; kept for the response
                lateCalls.add(t.index());
                return;
            }
            String callId = t.callId().orElseGet(() -> OpenAiSse.callId(streamId, t.index()));
            call = new Call(nextOutputIndex, itemId("fc_"), callId, t.name().orElse(""));
            nextOutputIndex++;
            openCalls.put(t.index(), call);
            Call added = call;
            event("response.output_item.added", () -> {
                g.writeNumberProperty("output_index", added.index);
                g.writePOJOProperty("item", added.json(ResponseObject.IN_PROGRESS));
            });
        } else if (call.name.isEmpty() && t.name().isPresent()) {
            call.name = t.name().get();
        }
        if (t.argumentsDelta().isEmpty()) {
            return;
        }
        call.arguments.append(t.argumentsDelta());
        Call c = call;
        event("response.function_call_arguments.delta", () -> {
            itemFields(c);
            g.writeStringProperty("delta", t.argumentsDelta());
        });
    }

    private void done(DoneChunk d) {
        FinishReason reason = d.finishReason();
        if (reason == FinishReason.ERROR || reason == FinishReason.ABORTED) {
            failed(d, OpenAiError.fromStream(Optional.ofNullable(lastError), reason));
            return;
        }
        if (d.refusal().isPresent()) {
            refusal(d.refusal().get());
        }
        Optional<String> incomplete = switch (reason) {
            case LENGTH -> Optional.of("max_output_tokens");
            case CONTENT_FILTER -> Optional.of("content_filter");
            default -> Optional.empty();
        };
        String itemStatus = incomplete.isPresent() ? ResponseObject.INCOMPLETE : ResponseObject.COMPLETED;
        endCurrent(itemStatus);
        endCalls(itemStatus);
        result = head.build(
                incomplete.isPresent() ? ResponseObject.INCOMPLETE : ResponseObject.COMPLETED,
                output(),
                d.usage(),
                Optional.empty(),
                incomplete);
        ObjectNode response = result;
        onFinished.accept(response);
        event(
                incomplete.isPresent() ? "response.incomplete" : "response.completed",
                () -> g.writePOJOProperty("response", response));
    }

    private void refusal(String text) {
        endCalls();
        Message m = current instanceof Message open ? open : openMessage();
        endTextPart(m);
        int contentIndex = m.parts.size();
        ObjectNode empty =
                Responses.JSON.createObjectNode().put("type", "refusal").put("refusal", "");
        ObjectNode full =
                Responses.JSON.createObjectNode().put("type", "refusal").put("refusal", text);
        event("response.content_part.added", () -> {
            itemFields(m);
            g.writeNumberProperty("content_index", contentIndex);
            g.writePOJOProperty("part", empty);
        });
        event("response.refusal.delta", () -> {
            itemFields(m);
            g.writeNumberProperty("content_index", contentIndex);
            g.writeStringProperty("delta", text);
        });
        event("response.refusal.done", () -> {
            itemFields(m);
            g.writeNumberProperty("content_index", contentIndex);
            g.writeStringProperty("refusal", text);
        });
        event("response.content_part.done", () -> {
            itemFields(m);
            g.writeNumberProperty("content_index", contentIndex);
            g.writePOJOProperty("part", full);
        });
        m.parts.add(full);
    }

    private void failed(DoneChunk d, OpenAiError e) {
        ObjectNode error = Responses.JSON.createObjectNode();
        error.put("code", e.code().orElse("error"));
        error.put("message", e.message());
        result = head.build(ResponseObject.FAILED, output(), d.usage(), Optional.of(error), Optional.empty());
        ObjectNode response = result;
        event("error", () -> {
            g.writeName("error");
            g.writeStartObject();
            g.writeStringProperty("type", e.type());
            g.writeStringProperty("code", e.code().orElse("error"));
            g.writeStringProperty("message", e.message());
            g.writeNullProperty("param");
            g.writeEndObject();
        });
        event("response.failed", () -> g.writePOJOProperty("response", response));
    }

    // ---- items

    private Message openMessage() {
        endCurrent(ResponseObject.COMPLETED);
        Message m = new Message(nextOutputIndex, itemId("msg_"));
        nextOutputIndex++;
        current = m;
        event("response.output_item.added", () -> {
            g.writeNumberProperty("output_index", m.index);
            g.writePOJOProperty("item", m.json(ResponseObject.IN_PROGRESS, false));
        });
        return m;
    }

    private void openTextPart(Message m) {
        m.text = new StringBuilder();
        int contentIndex = m.parts.size();
        event("response.content_part.added", () -> {
            itemFields(m);
            g.writeNumberProperty("content_index", contentIndex);
            g.writePOJOProperty("part", outputText(""));
        });
    }

    private void endTextPart(Message m) {
        if (m.text == null) {
            return;
        }
        String text = m.text.toString();
        int contentIndex = m.parts.size();
        m.text = null;
        event("response.output_text.done", () -> {
            itemFields(m);
            g.writeNumberProperty("content_index", contentIndex);
            g.writeStringProperty("text", text);
            g.writeName("logprobs");
            g.writeStartArray();
            g.writeEndArray();
        });
        ObjectNode part = outputText(text);
        event("response.content_part.done", () -> {
            itemFields(m);
            g.writeNumberProperty("content_index", contentIndex);
            g.writePOJOProperty("part", part);
        });
        m.parts.add(part);
    }

    /** Ends the open message or reasoning item with {@code status}. */
    private void endCurrent(String status) {
        Item item = current;
        if (item == null) {
            return;
        }
        current = null;
        ObjectNode json;
        if (item instanceof Message m) {
            endTextPart(m);
            json = m.json(status, true);
        } else {
            Reasoning r = (Reasoning) item;
            String text = r.text.toString();
            if (!text.isEmpty()) { // an item opened by its state alone has no summary part
                event("response.reasoning_summary_text.done", () -> {
                    itemFields(r);
                    g.writeNumberProperty("summary_index", 0);
                    g.writeStringProperty("text", text);
                });
                event("response.reasoning_summary_part.done", () -> {
                    itemFields(r);
                    g.writeNumberProperty("summary_index", 0);
                    g.writePOJOProperty("part", summary(text));
                });
            }
            json = r.json(status, true);
        }
        itemDone(item.index, json);
    }

    private void endCalls() {
        endCalls(ResponseObject.COMPLETED);
    }

    /** Ends the open calls, in output order, with {@code status}. */
    private void endCalls(String status) {
        for (Map.Entry<Integer, Call> e : openCalls.entrySet()) {
            Call c = e.getValue();
            String arguments = c.arguments.toString();
            event("response.function_call_arguments.done", () -> {
                itemFields(c);
                g.writeStringProperty("name", c.name);
                g.writeStringProperty("arguments", arguments);
            });
            c.status = status;
            itemDone(c.index, c.json(status));
            endedCalls.put(e.getKey(), c);
        }
        openCalls.clear();
    }

    private void itemDone(int index, ObjectNode json) {
        ended.put(index, json);
        event("response.output_item.done", () -> {
            g.writeNumberProperty("output_index", index);
            g.writePOJOProperty("item", json);
        });
    }

    /** Every item in output order: ended ones as they ended (late call fragments added), open ones incomplete. */
    private ArrayNode output() {
        ObjectNode[] items = new ObjectNode[nextOutputIndex];
        ended.forEach((index, json) -> items[index] = json);
        for (Integer late : lateCalls) {
            Call c = endedCalls.get(late);
            items[c.index] = c.json(c.status);
        }
        if (current instanceof Message m) {
            if (m.text != null) {
                m.parts.add(outputText(m.text.toString()));
                m.text = null;
            }
            items[m.index] = m.json(ResponseObject.INCOMPLETE, true);
        } else if (current instanceof Reasoning r) {
            items[r.index] = r.json(ResponseObject.INCOMPLETE, true);
        }
        openCalls.values().forEach(c -> items[c.index] = c.json(ResponseObject.INCOMPLETE));
        ArrayNode output = Responses.JSON.createArrayNode();
        for (ObjectNode item : items) {
            if (item != null) {
                output.add(item);
            }
        }
        return output;
    }

    /** The id of the next output item: unique in the response, and across responses (it holds the stream id). */
    private String itemId(String prefix) {
        return prefix + idSuffix + "_" + nextOutputIndex;
    }

    private static ObjectNode outputText(String text) {
        ObjectNode part = Responses.JSON.createObjectNode();
        part.put("type", "output_text");
        part.putArray("annotations");
        part.putArray("logprobs");
        part.put("text", text);
        return part;
    }

    private static ObjectNode summary(String text) {
        return Responses.JSON.createObjectNode().put("type", "summary_text").put("text", text);
    }

    // ---- writing

    private interface Fields {
        void write();
    }

    /** One event: {@code event: type}, then its data with {@code type}, {@code sequence_number} and {@code fields}. */
    private void event(String type, Fields fields) {
        long seq = sequence++;
        if (g == null || seq <= skipThrough) {
            return;
        }
        g.writeRaw("event: ");
        g.writeRaw(type);
        g.writeRaw("\ndata: ");
        g.writeStartObject();
        g.writeStringProperty("type", type);
        g.writeNumberProperty("sequence_number", seq);
        fields.write();
        g.writeEndObject();
        g.writeRaw("\n\n");
    }

    /** {@code item_id} and {@code output_index} of an item-scoped event. */
    private void itemFields(Item item) {
        g.writeStringProperty("item_id", item.id);
        g.writeNumberProperty("output_index", item.index);
    }

    /** An output item: its position and id. */
    private abstract static class Item {
        final int index;
        final String id;

        Item(int index, String id) {
            this.index = index;
            this.id = id;
        }
    }

    /** A {@code message} item: its ended parts and the text part being written (null when none is open). */
    private static final class Message extends Item {
        final List<ObjectNode> parts = new ArrayList<>();
        StringBuilder text;

        Message(int index, String id) {
            super(index, id);
        }

        ObjectNode json(String status, boolean withContent) {
            ObjectNode m = Responses.JSON.createObjectNode();
            m.put("id", id);
            m.put("type", "message");
            m.put("status", status);
            ArrayNode content = m.putArray("content");
            if (withContent) {
                parts.forEach(content::add);
            }
            m.put("role", "assistant");
            return m;
        }
    }

    /**
     * A {@code reasoning} item with one summary part (none when it has no text), the upstream's id once
     * its state came, and its encrypted content when asked for.
     */
    private static final class Reasoning extends Item {
        final StringBuilder text = new StringBuilder();
        String upstreamId;
        String encryptedContent;

        Reasoning(int index, String id) {
            super(index, id);
        }

        ObjectNode json(String status, boolean withSummary) {
            ObjectNode r = Responses.JSON.createObjectNode();
            r.put("id", withSummary && upstreamId != null ? upstreamId : id);
            r.put("type", "reasoning");
            ArrayNode summary = r.putArray("summary");
            if (withSummary && !text.isEmpty()) {
                summary.add(summary(text.toString()));
            }
            if (withSummary && encryptedContent != null) {
                r.put("encrypted_content", encryptedContent);
            }
            if (!status.equals(ResponseObject.COMPLETED) && !status.equals(ResponseObject.IN_PROGRESS)) {
                r.put("status", status);
            }
            return r;
        }
    }

    /** A {@code function_call} item. */
    private static final class Call extends Item {
        final String callId;
        final StringBuilder arguments = new StringBuilder();
        String name;
        String status = ResponseObject.IN_PROGRESS;

        Call(int index, String id, String callId, String name) {
            super(index, id);
            this.callId = callId;
            this.name = name;
        }

        ObjectNode json(String itemStatus) {
            ObjectNode c = Responses.JSON.createObjectNode();
            c.put("id", id);
            c.put("type", "function_call");
            c.put("status", itemStatus);
            c.put("arguments", itemStatus.equals(ResponseObject.IN_PROGRESS) ? "" : arguments.toString());
            c.put("call_id", callId);
            c.put("name", name);
            return c;
        }
    }
}
