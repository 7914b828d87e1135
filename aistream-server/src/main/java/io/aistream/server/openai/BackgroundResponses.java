package io.aistream.server.openai;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.server.http.Responses;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The background responses ({@code background: true}) whose streams still run, each with its keeper: the
 * stream's producer tap ({@link io.aistream.server.streams.StreamService#start(io.aistream.server.streams.StreamRequest,
 * String, java.util.function.Function)}), which feeds every chunk to a {@link ResponsesEvents} without a writer
 * on the producer's thread — so no chunk is lost however far the buffer's followers fall behind — builds the
 * final {@code response} object at the {@code done}, whoever is (or is not) connected, and hands it to
 * {@code keep} (the endpoint's {@link ResponseStore}) before the entry leaves this registry. A response that
 * {@link Entry#cancel()} asked to stop and that ended aborted is kept with status {@code cancelled} (and no
 * error), as OpenAI shows it.
 *
 * <p>Bounded by the gateway's stream limits: an entry lives exactly as long as its stream's keeper. Thread-safe.
 */
final class BackgroundResponses {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundResponses.class);

    private final ConcurrentHashMap<String, Entry> running = new ConcurrentHashMap<>();
    private final BiConsumer<Entry, ObjectNode> keep;

    /** @param keep given each finished entry and its final {@code response}, on the keeper's thread */
    BackgroundResponses(BiConsumer<Entry, ObjectNode> keep) {
        this.keep = keep;
    }

    /** One running background response. */
    static final class Entry {
        final String owner;
        final ResponseObject head;
        final ArrayNode input;
        final String streamId;
        private final CountDownLatch kept = new CountDownLatch(1);
        private volatile boolean cancelled;
        private volatile ObjectNode result;

        Entry(String owner, ResponseObject head, ArrayNode input, String streamId) {
            this.owner = owner;
            this.head = head;
            this.input = input;
            this.streamId = streamId;
        }

        /** Marks the response cancelled: if its stream then ends aborted, it is kept as {@code cancelled}. */
        void cancel() {
            cancelled = true;
        }

        /** The final {@code response}, once the keeper built it, waiting at most {@code limit} for it. */
        Optional<ObjectNode> awaitResult(Duration limit) throws InterruptedException {
            kept.await(limit.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.ofNullable(result);
        }
    }

    /**
     * Registers {@code entry} and returns its keeper: the tap of its stream's producer, called on that thread with
     * each chunk, a {@code done} last.
     */
    Consumer<StreamChunk> keeper(Entry entry) {
        running.put(entry.head.id(), entry);
        ResponsesEvents events = new ResponsesEvents(entry.head, entry.streamId, null);
        boolean[] ended = new boolean[1]; // producer thread only
        return chunk -> {
            if (ended[0]) {
                return;
            }
            try {
                events.on(chunk);
            } catch (RuntimeException e) {
                LOG.warn("background response {}: its keeper failed", entry.head.id(), e);
                ended[0] = true;
                finish(entry, lost(entry));
                return;
            }
            if (chunk instanceof DoneChunk) {
                ended[0] = true;
                finish(entry, events.response().orElseGet(() -> lost(entry)));
            }
        };
    }

    /** {@code owner}'s running background response {@code id}. */
    Optional<Entry> get(String owner, String id) {
        Entry e = running.get(id);
        return e != null && e.owner.equals(owner) ? Optional.of(e) : Optional.empty();
    }

    private void finish(Entry entry, ObjectNode result) {
        if (entry.cancelled
                && ResponseObject.FAILED.equals(result.path("status").asString())) {
            result.put("status", ResponseObject.CANCELLED);
            result.putNull("error");
        }
        entry.result = result;
        try {
            keep.accept(entry, result);
        } catch (RuntimeException e) {
            LOG.warn("background response {} could not be kept", entry.head.id(), e);
        } finally {
            running.remove(entry.head.id(), entry);
            entry.kept.countDown();
        }
    }

    /** A response whose keeper failed before the end of its stream. */
    private static ObjectNode lost(Entry entry) {
        ObjectNode error = Responses.JSON.createObjectNode();
        error.put("code", "stream_lost");
        error.put("message", "the gateway could not build this background response from its stream");
        return entry.head.build(
                ResponseObject.FAILED,
                Responses.JSON.createArrayNode(),
                Optional.empty(),
                Optional.of(error),
                Optional.empty());
    }
}
