package io.aistream.server.anthropic;

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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One Messages API stream ({@code stream: true}), written as Anthropic writes it: SSE events
 * {@code event: <type>} + {@code data: {"type":"<type>",…}}.
 *
 * <ul>
 *   <li>{@code message_start} first: {@code message} with id {@code msg_…}, the request's model text,
 *       empty content, null stop reason and usage {@code input_tokens} = {@link TokenEstimate} of the
 *       request (the real count is known only at the end), {@code output_tokens} 0.</li>
 *   <li>Then one content block per run of chunks of one kind, numbered from 0, each opened by
 *       {@code content_block_start} and closed by {@code content_block_stop} before the next opens:
 *       content → {@code text} block, {@code text_delta}s; reasoning → {@code thinking} block
 *       ({@code signature ""}), {@code thinking_delta}s, and, when the block's state is a Claude
 *       signature ({@link ReasoningState#CLAUDE_SOURCES}), its {@code signature_delta}, which ends the
 *       block; Claude redacted reasoning → a {@code redacted_thinking} block ({@code data} in its
 *       {@code content_block_start}); reasoning with another provider's state or none → a thinking
 *       block without signature (a state ends it); a tool call → {@code tool_use} block (id
 *       {@code toolu_…} when the provider gave none, {@code input {}}), its argument fragments as
 *       {@code input_json_delta}s. A fragment of a call whose block is already closed (a provider
 *       interleaving parallel calls) is still sent on that block's index.</li>
 *   <li>done → the open block's stop; a refusal the provider reported on its own channel as one more
 *       text block; {@code message_delta} with the stop reason ({@link #stopReason}), stop sequence
 *       null (the chunk model does not say which sequence matched) and the real usage in Anthropic's
 *       terms ({@link MessageObject#usage(Optional, long)}); {@code message_stop}.</li>
 *   <li>done with {@code error} or {@code aborted} → one {@code error} event
 *       {@code {"type":"error","error":{type, message}}} ({@link AnthropicError#fromStream}) and the
 *       response ends there, as Anthropic's does: the SDKs raise it as an error. An error chunk the
 *       stream recovered from is not shown.</li>
 * </ul>
 *
 * <p>After {@code keepAlive} of silence an {@code event: ping} goes out. One flush per event.
 *
 * <p><b>Threading.</b> The stream's thread calls {@link #send}; the keep-alive timer writes under the
 * same lock ({@link KeepAlive}). A failed write marks the session failed and runs {@code onFailure}
 * once; {@link #close} ends the response.
 */
final class MessagesEvents implements AutoCloseable {
    private static final JsonFactory JSON = Jackson.factoryBuilder()
            .rootValueSeparator((SerializableString) null)
            .build();

    private static final SerializedString TEXT_DELTA =
            raw("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":");
    private static final SerializedString TEXT = raw(",\"delta\":{\"type\":\"text_delta\",\"text\":");
    private static final SerializedString THINKING = raw(",\"delta\":{\"type\":\"thinking_delta\",\"thinking\":");
    private static final SerializedString SIGNATURE = raw(",\"delta\":{\"type\":\"signature_delta\",\"signature\":");
    private static final SerializedString JSON_DELTA =
            raw(",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":");
    private static final SerializedString DELTA_END = raw("}}\n\n");
    private static final SerializedString PING = raw("event: ping\ndata: {\"type\":\"ping\"}\n\n");

    /** At most this many tool calls are remembered by index; later ones still stream (see {@link #toolCall}). */
    private static final int MAX_TRACKED_CALLS = 1024;

    private enum Block {
        NONE,
        TEXT,
        THINKING,
        TOOL
    }

    private final String streamId;
    private final long inputEstimate;
    private final JsonGenerator g;
    private final KeepAlive keepAlive;
    /** Block index of each tool call seen, by the call's index. */
    private final Map<Integer, Integer> toolBlocks = new HashMap<>();

    private Block open = Block.NONE;
    private int openCall = -1;
    private int blocks;
    private ChunkError lastError;

    private MessagesEvents(
            OutputStream out,
            String streamId,
            long inputEstimate,
            TimeSource time,
            Duration keepAlive,
            Runnable onFailure) {
        this.streamId = streamId;
        this.inputEstimate = inputEstimate;
        this.g = JSON.createGenerator(ObjectWriteContext.empty(), out);
        this.keepAlive =
                new KeepAlive(time, keepAlive, "aistream-anthropic-keepalive", this::writeKeepAlive, onFailure);
    }

    /**
     * Sets the SSE headers, arms the keep-alive timer and writes {@code message_start}, which commits
     * the headers.
     *
     * @param model         the request's {@code model} text, echoed in the message
     * @param inputEstimate the request's estimated input tokens
     */
    static MessagesEvents open(
            HttpResponse response,
            String streamId,
            String model,
            long inputEstimate,
            TimeSource time,
            Duration keepAlive,
            Runnable onFailure) {
        response.eventStream(streamId);
        MessagesEvents events =
                new MessagesEvents(response.body(), streamId, inputEstimate, time, keepAlive, onFailure);
        events.keepAlive.start();
        ObjectNode start = Responses.JSON.createObjectNode();
        start.put("type", "message_start");
        ObjectNode message = start.putObject("message");
        message.put("id", messageId(streamId));
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", MessageObject.usage(inputEstimate, 0));
        events.keepAlive.writeOpening(() -> {
            events.event("message_start", start);
            events.g.flush();
        });
        return events;
    }

    /** The {@code msg_…} id of the message a stream answers. */
    static String messageId(String streamId) {
        return "msg_" + suffix(streamId);
    }

    /** The {@code toolu_…} id of tool call {@code index} when the provider gave it none. */
    static String toolUseId(String streamId, int index) {
        return "toolu_" + suffix(streamId) + "_" + index;
    }

    private static String suffix(String streamId) {
        return streamId.substring(streamId.indexOf('_') + 1);
    }

    /** Anthropic's stop reason for ours ({@code error} and {@code aborted} never get here). */
    static String stopReason(FinishReason reason) {
        return switch (reason) {
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
            case CONTENT_FILTER -> "refusal";
            default -> "end_turn";
        };
    }

    /**
     * Writes what {@code chunk} means in Anthropic's protocol (an error chunk only remembers the
     * error) and flushes. False if the client is gone.
     */
    boolean send(StreamChunk chunk) {
        return switch (chunk) {
            case ContentChunk c -> c.delta().isEmpty() || textDelta(Block.TEXT, TEXT, c.delta());
            case ReasoningChunk r -> reasoning(r);
            case ToolCallChunk t -> toolCall(t.toolCall());
            case ErrorChunk e -> {
                lastError = e.error();
                yield !keepAlive.stopped();
            }
            case DoneChunk d -> done(d);
            case UnknownChunk u -> !keepAlive.stopped(); // no place for it in Anthropic's protocol: skipped
        };
    }

    /**
     * A reasoning delta goes into the open thinking block (opened if need be); a state ends the block:
     * a Claude signature as its {@code signature_delta} (a block of its own when none is open),
     * Claude redacted data as a {@code redacted_thinking} block; another provider's state has no place
     * in Anthropic's protocol and only ends the block.
     */
    private boolean reasoning(ReasoningChunk r) {
        if (!r.delta().isEmpty() && !textDelta(Block.THINKING, THINKING, r.delta())) {
            return false;
        }
        if (r.state().isEmpty()) {
            return !keepAlive.stopped();
        }
        ReasoningState state = r.state().get();
        boolean claude = state.from(ReasoningState.CLAUDE_SOURCES);
        return write(() -> {
            if (claude && state.redacted().isPresent()) {
                closeBlock();
                ObjectNode block = Responses.JSON.createObjectNode();
                block.put("type", "redacted_thinking");
                block.put("data", state.redacted().get());
                startBlock(Block.THINKING, block);
            } else if (claude && state.signature().isPresent()) {
                if (open != Block.THINKING) {
                    closeBlock();
                    startBlock(Block.THINKING, thinkingBlock());
                }
                delta(blocks - 1, SIGNATURE, state.signature().get());
            }
            if (open == Block.THINKING) {
                closeBlock();
            }
        });
    }

    private static ObjectNode thinkingBlock() {
        ObjectNode block = Responses.JSON.createObjectNode();
        block.put("type", "thinking");
        block.put("thinking", "");
        block.put("signature", "");
        return block;
    }

    private boolean textDelta(Block kind, SerializedString field, String text) {
        return write(() -> {
            if (open != kind) {
                closeBlock();
                ObjectNode block = Responses.JSON.createObjectNode();
                if (kind == Block.TEXT) {
                    block.put("type", "text");
                    block.put("text", "");
                    startBlock(kind, block);
                } else {
                    startBlock(kind, thinkingBlock());
                }
            }
            delta(blocks - 1, field, text);
        });
    }

    private boolean toolCall(ToolCallDelta t) {
        return write(() -> {
            Integer known = toolBlocks.get(t.index());
            int index;
            if (open == Block.TOOL && openCall == t.index()) {
                index = blocks - 1;
            } else if (known != null) {
                index = known; // an interleaved fragment of an earlier call
            } else {
                closeBlock();
                ObjectNode block = Responses.JSON.createObjectNode();
                block.put("type", "tool_use");
                block.put("id", t.callId().filter(id -> !id.isEmpty()).orElseGet(() -> toolUseId(streamId, t.index())));
                block.put("name", t.name().orElse(""));
                block.putObject("input");
                startBlock(Block.TOOL, block);
                openCall = t.index();
                index = blocks - 1;
                if (toolBlocks.size() < MAX_TRACKED_CALLS) {
                    toolBlocks.put(t.index(), index);
                }
            }
            if (!t.argumentsDelta().isEmpty()) {
                delta(index, JSON_DELTA, t.argumentsDelta());
            }
        });
    }

    private boolean done(DoneChunk d) {
        if (d.finishReason() == FinishReason.ERROR || d.finishReason() == FinishReason.ABORTED) {
            AnthropicError e = AnthropicError.fromStream(Optional.ofNullable(lastError), d.finishReason());
            return write(() -> event("error", e.body()));
        }
        return write(() -> {
            closeBlock();
            if (d.refusal().isPresent() && !d.refusal().get().isEmpty()) {
                ObjectNode block = Responses.JSON.createObjectNode();
                block.put("type", "text");
                block.put("text", "");
                startBlock(Block.TEXT, block);
                delta(blocks - 1, TEXT, d.refusal().get());
                closeBlock();
            }
            ObjectNode delta = Responses.JSON.createObjectNode();
            delta.put("type", "message_delta");
            ObjectNode stop = delta.putObject("delta");
            stop.put("stop_reason", stopReason(d.finishReason()));
            stop.putNull("stop_sequence");
            delta.set("usage", MessageObject.usage(d.usage(), inputEstimate));
            event("message_delta", delta);
            ObjectNode messageStop = Responses.JSON.createObjectNode();
            messageStop.put("type", "message_stop");
            event("message_stop", messageStop);
        });
    }

    /** Writes {@code content_block_start} for a new block of this kind; under the lock. */
    private void startBlock(Block kind, ObjectNode contentBlock) {
        ObjectNode start = Responses.JSON.createObjectNode();
        start.put("type", "content_block_start");
        start.put("index", blocks);
        start.set("content_block", contentBlock);
        event("content_block_start", start);
        blocks++;
        open = kind;
    }

    /** Writes {@code content_block_stop} for the open block, if any; under the lock. */
    private void closeBlock() {
        if (open == Block.NONE) {
            return;
        }
        ObjectNode stop = Responses.JSON.createObjectNode();
        stop.put("type", "content_block_stop");
        stop.put("index", blocks - 1);
        event("content_block_stop", stop);
        open = Block.NONE;
        openCall = -1;
    }

    private void delta(int index, SerializedString field, String text) {
        g.writeRaw(TEXT_DELTA);
        g.writeNumber(index);
        g.writeRaw(field);
        g.writeString(text);
        g.writeRaw(DELTA_END);
    }

    /** One whole event: {@code event: <name>} and the data line; under the lock. */
    private void event(String name, ObjectNode data) {
        g.writeRaw("event: " + name + "\ndata: ");
        g.writeRaw(Responses.JSON.writeValueAsString(data));
        g.writeRaw("\n\n");
    }

    boolean failed() {
        return keepAlive.failed();
    }

    /** Runs {@code writes} (whole events) under the lock and flushes. */
    private boolean write(Runnable writes) {
        return keepAlive.write(() -> {
            writes.run();
            g.flush();
        });
    }

    private void writeKeepAlive() {
        g.writeRaw(PING);
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
}
