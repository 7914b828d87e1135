package io.aistream.server.streams;

import io.aistream.chunk.ChunkError;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.provider.ChatProvider;
import io.aistream.server.resume.StreamBuffer;
import io.aistream.stream.ChatStream;
import io.aistream.stream.ChunkSource;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node does with a stream it took over from a dead node: it continues the answer where the store
 * says it stopped — a new upstream attempt that is given the text already sent and yields only the rest
 * ({@link ChatProvider#openContinuation}), stamped from the next seq on, so a client resuming anywhere gets
 * one gap-free answer whose {@code done} says {@code recovered: true}. Where that is impossible (a tool call
 * was sent, the text was too long to keep, the provider is not configured here or cannot continue an
 * answer), the stream ends honestly: an {@code error} chunk {@value #NODE_LOST} and {@code done(error)}. A
 * stream someone aborted while its node was dead ends with {@code done(aborted)}.
 */
final class Takeovers {
    private static final Logger LOG = LoggerFactory.getLogger(Takeovers.class);

    /** The error code of a stream that could not be continued after its node died. */
    static final String NODE_LOST = "node_lost";

    private Takeovers() {}

    static void run(StreamService service, StreamCluster.Takeover t) {
        StreamBuffer buffer = t.buffer();
        long next = t.lastSeq() + 1;
        if (t.aborted()) {
            appended(buffer, t, DoneChunk.of(FinishReason.ABORTED).withPosition(t.streamId(), next));
            return;
        }
        Optional<String> refusal = Optional.empty();
        StreamRequest request = null;
        try {
            request = StreamRequest.parse(t.requestJson());
        } catch (RuntimeException e) {
            refusal = Optional.of("its request could not be read again");
        }
        ChatProvider provider = request == null ? null : service.providers().get(request.provider());
        if (refusal.isEmpty() && provider == null) {
            refusal = Optional.of("provider '" + t.provider() + "' is not configured on node "
                    + service.cluster().nodeId());
        } else if (refusal.isEmpty() && t.toolCalls()) {
            refusal = Optional.of("a tool call was already sent");
        } else if (refusal.isEmpty() && t.sentText().isEmpty()) {
            refusal = Optional.of("its answer was too long to keep for a takeover");
        }
        Optional<ChunkSource> source = Optional.empty();
        if (refusal.isEmpty()) {
            source = provider.openContinuation(
                    request.request(),
                    t.sentText().orElseThrow(),
                    service.metrics().attempts(request.provider()));
            if (source.isEmpty()) {
                refusal = Optional.of("provider '" + t.provider() + "' cannot continue an answer");
            }
        }
        if (refusal.isPresent()) {
            LOG.warn(
                    "stream {}: node {} died and the stream cannot be continued: {}",
                    t.streamId(),
                    t.previousNode(),
                    refusal.get());
            ErrorChunk error = ErrorChunk.of(new ChunkError(
                    NODE_LOST,
                    "the gateway node producing this stream stopped, and " + refusal.get(),
                    true,
                    Optional.empty(),
                    OptionalInt.empty()));
            if (appended(buffer, t, error.withPosition(t.streamId(), next))) {
                appended(buffer, t, DoneChunk.of(FinishReason.ERROR).withPosition(t.streamId(), next + 1));
            }
            return;
        }
        start(service, t, request, source.get());
    }

    /** Runs the continuation as this node's stream, its chunks stamped from the next seq on. */
    private static void start(
            StreamService service, StreamCluster.Takeover t, StreamRequest request, ChunkSource source) {
        ChatStream stream = ChatStream.builder(source)
                .id(t.streamId())
                .firstSeq(t.lastSeq() + 1)
                .manager(service.manager())
                .backpressure(request.backpressure())
                .bufferCapacity(request.bufferCapacity())
                .byteMeter(service.readAhead())
                .timeouts(request.timeouts())
                .timeSource(service.time())
                .build();
        LiveStream ls = service.liveStream(t.owner(), t.provider(), t.model(), stream, t.buffer());
        LOG.info("stream {}: continuing after seq {} (node {} stopped)", t.streamId(), t.lastSeq(), t.previousNode());
        service.adopt(ls, t.buffer());
    }

    private static boolean appended(
            StreamBuffer buffer, StreamCluster.Takeover t, io.aistream.chunk.StreamChunk chunk) {
        try {
            buffer.append(chunk);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("stream {}: could not end it after its node died: {}", t.streamId(), e.getMessage());
            return false;
        }
    }
}
