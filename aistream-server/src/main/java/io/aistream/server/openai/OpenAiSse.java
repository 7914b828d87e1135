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
import io.aistream.server.http.HttpResponse;
import io.aistream.server.http.Responses;
import io.aistream.server.streams.KeepAlive;
import io.aistream.stream.TimeSource;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One {@code chat.completion.chunk} SSE response, written exactly like OpenAI's:
 * {@code data: <json>} events (no {@code id:} lines), a first chunk with
 * {@code delta: {"role":"assistant","content":""}}, then per aistream chunk:
 *
 * <ul>
 *   <li>content → {@code delta.content};</li>
 *   <li>reasoning → {@code delta.reasoning_content} (the field DeepSeek, vLLM and others use; clients
 *       that do not know it ignore it); reasoning state ({@link ChatReasoningFields}) in a delta of its
 *       own when it ends its block: {@code thinking_blocks} (Claude: the block's whole text and its
 *       signature, or redacted data; a block longer than {@link #MAX_BLOCK_CHARS} gets none),
 *       {@code reasoning_details} (OpenAI Responses items), {@code extra_content} (Gemini);</li>
 *   <li>a Gemini thought signature on content → {@code extra_content} beside {@code delta.content}, on
 *       a tool call → the call's {@code extra_content};</li>
 *   <li>tool call → {@code delta.tool_calls[{index, id, type:"function", function:{name, arguments}}]}
 *       for a call's first fragment, {@code [{index, function:{arguments}}]} after (a call the
 *       provider gave no id gets {@link #callId});</li>
 *   <li>done → a refusal delta if the provider reported one, then a chunk with an empty delta and
 *       {@code finish_reason} ({@code stop | length | tool_calls | content_filter}; {@code other} is
 *       {@code stop}), the usage chunk ({@code choices: []}) when {@code include_usage} (its
 *       {@code usage} per {@link ChatReasoningFields#usage}, {@code null} when the provider reported
 *       none: no numbers are made up), and
 *       {@code data: [DONE]};</li>
 *   <li>done with {@code error} or {@code aborted} → {@code data: {"error":{…}}} (from the last error
 *       chunk), and the response ends without {@code [DONE]}. An error chunk the stream recovered
 *       from is not shown.</li>
 * </ul>
 *
 * <p>Every chunk has the same {@code id}, {@code object}, {@code created} and {@code model}. That
 * head is encoded once per stream; each event is the head's bytes, a few constant bytes and the
 * delta strings escaped by one reused Jackson generator straight into the response — no tree, no
 * per-chunk string building. One flush per event; {@code : keepalive} comments after
 * {@code keepAlive} of silence (as the native protocol's {@code SseSession} does).
 *
 * <p><b>Threading.</b> The stream's thread calls {@link #send}; the keep-alive timer hands its
 * comment to a virtual thread taking the same lock (both {@link KeepAlive}'s). A failed write marks
 * the session failed and runs {@code onFailure} once.
 */
final class OpenAiSse implements AutoCloseable {
    private static final JsonFactory JSON = Jackson.factoryBuilder()
            .rootValueSeparator((SerializableString) null)
            .build();

    private static final SerializedString CHOICE = raw(",\"choices\":[{\"index\":0,\"delta\":{");
    private static final SerializedString ROLE = raw("\"role\":\"assistant\",\"content\":\"\"");
    private static final SerializedString CONTENT = raw("\"content\":");
    private static final SerializedString REASONING = raw("\"reasoning_content\":");
    private static final SerializedString REFUSAL = raw("\"refusal\":");
    private static final SerializedString TOOL_CALL = raw("\"tool_calls\":[{\"index\":");
    private static final SerializedString CALL_ID = raw(",\"id\":");
    private static final SerializedString CALL_NAME = raw(",\"type\":\"function\",\"function\":{\"name\":");
    private static final SerializedString ARGUMENTS = raw(",\"arguments\":");
    private static final SerializedString ONLY_ARGUMENTS = raw(",\"function\":{\"arguments\":");
    private static final SerializedString TOOL_CALL_END = raw("}]");
    private static final SerializedString DELTA_END = raw("},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    private static final SerializedString FINISH = raw("},\"logprobs\":null,\"finish_reason\":\"");
    private static final SerializedString FINISH_END = raw("\"}]}\n\n");
    private static final SerializedString USAGE = raw(",\"choices\":[],\"usage\":");
    private static final SerializedString NO_USAGE = raw("null}\n\n");
    private static final SerializedString ERROR = raw("data: {\"error\":{\"message\":");
    private static final SerializedString ERROR_TYPE = raw(",\"type\":");
    private static final SerializedString ERROR_PARAM_CODE = raw(",\"param\":null,\"code\":");
    private static final SerializedString ERROR_END = raw("}}\n\n");
    private static final SerializedString DONE = raw("data: [DONE]\n\n");
    private static final SerializedString KEEPALIVE = raw(": keepalive\n\n");
    /** The longest reasoning block kept for {@code thinking_blocks} (chars); a longer one gets no entry. */
    static final int MAX_BLOCK_CHARS = 4 * 1024 * 1024;

    private final String streamId;
    private final boolean includeUsage;
    /** {@code data: {"id":…,"object":"chat.completion.chunk","created":…,"model":…}: the part every chunk starts with. */
    private final SerializedString head;

    private final JsonGenerator g;
    private final KeepAlive keepAlive;
    private final Set<Integer> startedCalls = new HashSet<>();
    /** The reasoning block being streamed: its whole text goes into its {@code thinking_blocks} entry. */
    private final StringBuilder block = new StringBuilder();
    /** The block outgrew {@link #MAX_BLOCK_CHARS}: its signature cannot be sent back with a whole text. */
    private boolean blockOverflow;
    /** {@code reasoning_details} entries written so far (their {@code index}). */
    private int details;

    private ChunkError lastError;

    private OpenAiSse(
            OutputStream out,
            String streamId,
            String completionId,
            long created,
            String model,
            boolean includeUsage,
            TimeSource time,
            Duration keepAlive,
            Runnable onFailure) {
        this.streamId = streamId;
        this.includeUsage = includeUsage;
        this.head = raw("data: {\"id\":" + quote(completionId) + ",\"object\":\"chat.completion.chunk\",\"created\":"
                + created + ",\"model\":" + quote(model));
        this.g = JSON.createGenerator(ObjectWriteContext.empty(), out);
        this.keepAlive = new KeepAlive(time, keepAlive, "aistream-openai-keepalive", this::writeKeepAlive, onFailure);
    }

    /**
     * Sets the SSE headers, arms the keep-alive timer and writes the first chunk (the assistant role),
     * which commits the headers.
     */
    static OpenAiSse open(
            HttpResponse response,
            String streamId,
            String completionId,
            long created,
            String model,
            boolean includeUsage,
            TimeSource time,
            Duration keepAlive,
            Runnable onFailure) {
        response.eventStream(streamId);
        OpenAiSse sse = new OpenAiSse(
                response.body(), streamId, completionId, created, model, includeUsage, time, keepAlive, onFailure);
        sse.keepAlive.start();
        sse.write(() -> {
            sse.g.writeRaw(sse.head);
            sse.g.writeRaw(CHOICE);
            sse.g.writeRaw(ROLE);
            sse.g.writeRaw(DELTA_END);
        });
        return sse;
    }

    /** The id of tool call {@code index} when the provider gave it none. */
    static String callId(String streamId, int index) {
        return "call_" + streamId.substring(streamId.indexOf('_') + 1) + "_" + index;
    }

    /**
     * Writes what {@code chunk} means in OpenAI's protocol (an error chunk only remembers the error)
     * and flushes. False if the client is gone.
     */
    boolean send(StreamChunk chunk) {
        return switch (chunk) {
            case ContentChunk c -> content(c);
            case ReasoningChunk r -> reasoning(r);
            case ToolCallChunk t -> toolCall(t.toolCall(), t.state());
            case ErrorChunk e -> {
                lastError = e.error();
                yield !keepAlive.stopped();
            }
            case DoneChunk d -> done(d);
            case UnknownChunk u -> !keepAlive.stopped(); // OpenAI's protocol has no place for it: skipped
        };
    }

    private boolean content(ContentChunk c) {
        endBlock();
        Optional<ObjectNode> extra = c.state().flatMap(ChatReasoningFields::googleExtra);
        if (extra.isEmpty()) {
            return delta(CONTENT, c.delta());
        }
        return write(() -> {
            g.writeRaw(head);
            g.writeRaw(CHOICE);
            g.writeRaw(CONTENT);
            g.writeString(c.delta());
            g.writeRaw(",\"extra_content\":");
            g.writeRaw(Responses.JSON.writeValueAsString(extra.get()));
            g.writeRaw(DELTA_END);
        });
    }

    /**
     * A reasoning delta goes out as {@code reasoning_content} and is kept for its block's
     * {@code thinking_blocks} entry; a state ends the block and goes out in its own delta
     * ({@link ChatReasoningFields}).
     */
    private boolean reasoning(ReasoningChunk r) {
        boolean ok = true;
        if (!r.delta().isEmpty()) {
            ok = delta(REASONING, r.delta());
            if (block.length() + r.delta().length() <= MAX_BLOCK_CHARS) {
                block.append(r.delta());
            } else {
                blockOverflow = true;
            }
        }
        if (r.state().isEmpty()) {
            return ok;
        }
        ReasoningState state = r.state().get();
        String text = block.toString();
        boolean whole = !blockOverflow;
        endBlock();
        if (!ok) {
            return false;
        }
        Optional<String> field = whole
                ? ChatReasoningFields.thinkingBlock(text, state).map(b -> "\"thinking_blocks\":[" + json(b) + "]")
                : Optional.empty();
        if (field.isEmpty()) {
            List<ObjectNode> entries = ChatReasoningFields.reasoningDetails(text, state, details);
            if (!entries.isEmpty()) {
                details += entries.size();
                ArrayNode array = Responses.JSON.createArrayNode();
                entries.forEach(array::add);
                field = Optional.of("\"reasoning_details\":" + Responses.JSON.writeValueAsString(array));
            }
        }
        if (field.isEmpty()) {
            field = ChatReasoningFields.googleExtra(state).map(e -> "\"extra_content\":" + json(e));
        }
        if (field.isEmpty()) {
            return !keepAlive.stopped(); // a state this protocol cannot carry (or a block too long to sign)
        }
        String fields = field.get();
        return write(() -> {
            g.writeRaw(head);
            g.writeRaw(CHOICE);
            g.writeRaw(fields);
            g.writeRaw(DELTA_END);
        });
    }

    private void endBlock() {
        block.setLength(0);
        blockOverflow = false;
    }

    private static String json(ObjectNode node) {
        return Responses.JSON.writeValueAsString(node);
    }

    private boolean delta(SerializedString field, String text) {
        return write(() -> {
            g.writeRaw(head);
            g.writeRaw(CHOICE);
            g.writeRaw(field);
            g.writeString(text);
            g.writeRaw(DELTA_END);
        });
    }

    private boolean toolCall(ToolCallDelta t, Optional<ReasoningState> state) {
        endBlock();
        Optional<String> extra = state.flatMap(ChatReasoningFields::googleExtra).map(OpenAiSse::json);
        boolean first = startedCalls.size() < 1024 ? startedCalls.add(t.index()) : !startedCalls.contains(t.index());
        return write(() -> {
            g.writeRaw(head);
            g.writeRaw(CHOICE);
            g.writeRaw(TOOL_CALL);
            g.writeNumber(t.index());
            if (first) {
                g.writeRaw(CALL_ID);
                g.writeString(t.callId().orElseGet(() -> callId(streamId, t.index())));
                g.writeRaw(CALL_NAME);
                g.writeString(t.name().orElse(""));
                g.writeRaw(ARGUMENTS);
            } else {
                g.writeRaw(ONLY_ARGUMENTS);
            }
            g.writeString(t.argumentsDelta());
            g.writeRaw("}");
            if (extra.isPresent()) {
                g.writeRaw(",\"extra_content\":");
                g.writeRaw(extra.get());
            }
            g.writeRaw(TOOL_CALL_END);
            g.writeRaw(DELTA_END);
        });
    }

    private boolean done(DoneChunk d) {
        if (d.finishReason() == FinishReason.ERROR || d.finishReason() == FinishReason.ABORTED) {
            OpenAiError e = OpenAiError.fromStream(Optional.ofNullable(lastError), d.finishReason());
            return write(() -> {
                g.writeRaw(ERROR);
                g.writeString(e.message());
                g.writeRaw(ERROR_TYPE);
                g.writeString(e.type());
                g.writeRaw(ERROR_PARAM_CODE);
                g.writeString(e.code().orElse("error"));
                g.writeRaw(ERROR_END);
            });
        }
        if (d.refusal().isPresent() && !delta(REFUSAL, d.refusal().get())) {
            return false;
        }
        boolean ok = write(() -> {
            g.writeRaw(head);
            g.writeRaw(CHOICE);
            g.writeRaw(FINISH);
            g.writeRaw(finishReason(d.finishReason()));
            g.writeRaw(FINISH_END);
        });
        if (ok && includeUsage) {
            ok = write(() -> {
                g.writeRaw(head);
                g.writeRaw(USAGE);
                if (d.usage().isPresent()) {
                    g.writeRaw(json(ChatReasoningFields.usage(d.usage().get())));
                    g.writeRaw("}\n\n");
                } else {
                    g.writeRaw(NO_USAGE);
                }
            });
        }
        return ok && write(() -> g.writeRaw(DONE));
    }

    /** OpenAI's finish reason for ours ({@code error} and {@code aborted} never get here). */
    static String finishReason(FinishReason reason) {
        return switch (reason) {
            case LENGTH -> "length";
            case TOOL_CALLS -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
            default -> "stop";
        };
    }

    boolean failed() {
        return keepAlive.failed();
    }

    private interface Writes {
        void run();
    }

    /** Runs {@code writes} (one event) under the lock and flushes. */
    private boolean write(Writes writes) {
        return keepAlive.write(() -> {
            writes.run();
            g.flush();
        });
    }

    private void writeKeepAlive() {
        g.writeRaw(KEEPALIVE);
        g.flush();
    }

    /** Stops the keep-alives and ends the response. Idempotent. */
    @Override
    public void close() {
        keepAlive.close(g::close); // closes the response's output stream: the last write
    }

    private static SerializedString raw(String text) {
        return new SerializedString(text);
    }

    private static String quote(String text) {
        return Responses.JSON.writeValueAsString(text);
    }
}
