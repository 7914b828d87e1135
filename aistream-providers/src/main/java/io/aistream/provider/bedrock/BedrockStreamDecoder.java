package io.aistream.provider.bedrock;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.Usage;
import io.aistream.json.Jackson;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.support.ChunkErrors;
import io.aistream.provider.support.UnknownEvents;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.eventstream.HeaderType;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decodes an Amazon Bedrock {@code ConverseStream} response body
 * ({@code application/vnd.amazon.eventstream} binary frames) into chunks, following the
 * {@link StreamDecoder} contract.
 *
 * <p>Frames are assembled from arbitrary splits, bounded by {@code maxFrameBytes} (a larger frame
 * throws an {@link AIStreamException} with code {@code event_too_large}, and so does every later
 * call), and checked by the AWS SDK's event-stream codec; a frame failing its CRC or structure is
 * reported as {@code malformed_event} and ends the stream. The frame headers select what to do:
 * {@code :message-type event} with {@code :event-type} (see {@link ConverseEventHandler} for the
 * event mapping), {@code exception} with {@code :exception-type} (an {@code error} chunk whose code
 * is that type, then {@code done}/{@code error}), or {@code error}.
 *
 * <p>Termination: usage arrives in {@code metadata} <em>after</em> {@code messageStop}, so
 * {@code done} is emitted when both have arrived, or at {@link #end} if the body ends after
 * {@code messageStop} without {@code metadata}. A body that ends before {@code messageStop} gives
 * {@code incomplete_stream}. {@code done} carries the context's provider and model (the stream
 * names no model).
 *
 * <p>Not thread-safe: one instance per response body, fed by one thread.
 */
public final class BedrockStreamDecoder implements StreamDecoder {
    /** The default limit on one event-stream frame: 4 MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 4 << 20;

    private static final JsonMapper JSON = Jackson.mapper();

    private final DecoderContext context;
    private final EventStreamFramer framer;
    private final ConverseEventHandler events;
    private boolean done;
    private AIStreamException failure;

    /** A decoder with the default frame size limit. */
    public BedrockStreamDecoder(DecoderContext context) {
        this(context, DEFAULT_MAX_FRAME_BYTES);
    }

    /**
     * @param context       provider and model reported on {@code done} and errors
     * @param maxFrameBytes the largest event-stream frame accepted, in bytes (at least 16)
     */
    public BedrockStreamDecoder(DecoderContext context, int maxFrameBytes) {
        this.context = Objects.requireNonNull(context, "context");
        this.events = new ConverseEventHandler(new UnknownEvents(this.context));
        this.framer = new EventStreamFramer(maxFrameBytes);
    }

    @Override
    public void feed(byte[] bytes, int off, int len, Consumer<? super StreamChunk> out) {
        Objects.checkFromIndexSize(off, len, bytes.length);
        if (failure != null) {
            throw failure;
        }
        if (done) {
            return;
        }
        try {
            framer.feed(bytes, off, len, message -> {
                onMessage(message, out);
                return !done;
            });
        } catch (EventStreamFramer.MalformedFrameException e) {
            fail(ownError(ErrorCode.MALFORMED_EVENT, e.getMessage()), out);
        } catch (EventStreamFramer.FrameTooLargeException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public void end(Consumer<? super StreamChunk> out) {
        if (failure != null) {
            throw failure;
        }
        if (done) {
            return;
        }
        if (events.finish().messageStopSeen()) {
            // the answer is complete; only the trailing metadata (usage) is missing
            finish(out);
            return;
        }
        String why = framer.hasPartialFrame()
                ? "the Bedrock stream ended inside an event-stream frame, before messageStop"
                : "the Bedrock stream ended before messageStop";
        fail(ownError(ErrorCode.INCOMPLETE_STREAM, why), out);
    }

    /** The usage of the {@code metadata} event, if it has come (Bedrock reports usage only there). */
    @Override
    public Optional<Usage> usageSoFar() {
        return events.finish().usage();
    }

    @Override
    public boolean isDone() {
        return done;
    }

    private void onMessage(Message message, Consumer<? super StreamChunk> out) {
        String messageType = header(message, ":message-type");
        switch (messageType == null ? "event" : messageType) {
            case "event" -> onEvent(header(message, ":event-type"), message.getPayload(), out);
            case "exception" ->
                fail(
                        StreamExceptions.exception(
                                header(message, ":exception-type"), message.getPayload(), JSON, context.provider()),
                        out);
            case "error" ->
                fail(
                        StreamExceptions.errorFrame(
                                header(message, ":error-code"), header(message, ":error-message"), context.provider()),
                        out);
            default -> events.unknown().skipped(":message-type " + messageType);
        }
    }

    private void onEvent(String eventType, byte[] payload, Consumer<? super StreamChunk> out) {
        if (eventType == null) {
            return;
        }
        JsonNode event;
        try {
            event = payload.length == 0 ? JSON.createObjectNode() : JSON.readTree(payload);
        } catch (JacksonException e) {
            fail(
                    ownError(
                            ErrorCode.MALFORMED_EVENT,
                            "invalid JSON in Bedrock " + eventType + " event: " + e.getOriginalMessage()),
                    out);
            return;
        }
        if (!event.isObject()) {
            fail(
                    ownError(ErrorCode.MALFORMED_EVENT, "Bedrock " + eventType + " event payload is not a JSON object"),
                    out);
            return;
        }
        events.handle(eventType, event, out);
        if (events.finish().complete()) {
            finish(out);
        }
    }

    private void finish(Consumer<? super StreamChunk> out) {
        done = true;
        out.accept(events.finish().done(events.toolCallCount(), context.provider(), context.model()));
    }

    private void fail(ChunkError error, Consumer<? super StreamChunk> out) {
        done = true;
        out.accept(ErrorChunk.of(error));
        out.accept(events.finish().failed(context.provider(), context.model()));
    }

    /** An error detected by this decoder, attributed to the provider. */
    private ChunkError ownError(ErrorCode code, String message) {
        return ChunkErrors.own(code, message, context.provider());
    }

    private static String header(Message message, String name) {
        HeaderValue value = message.getHeaders().get(name);
        return value != null && value.getType() == HeaderType.STRING ? value.getString() : null;
    }
}
