package io.aistream.server.openai;

import io.aistream.chunk.StreamChunk;
import io.aistream.server.http.Responses;
import io.aistream.server.resume.ChunksEvictedException;
import io.aistream.server.resume.StreamBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The background responses ({@code background: true}) whose streams still run, each with its keeper: a
 * virtual thread that follows the stream's resume buffer through a {@link ResponsesEvents} without a writer,
 * builds the final {@code response} object whoever is (or is not) connected, and hands it to {@code keep}
 * (the endpoint's {@link ResponseStore}) before the entry leaves this registry. A response that
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

    /** Registers {@code entry} and starts its keeper on {@code buffer}. */
    void start(Entry entry, StreamBuffer buffer) {
        running.put(entry.head.id(), entry);
        Thread.ofVirtual().name("aistream-background-" + entry.streamId).start(() -> run(entry, buffer));
    }

    /** {@code owner}'s running background response {@code id}. */
    Optional<Entry> get(String owner, String id) {
        Entry e = running.get(id);
        return e != null && e.owner.equals(owner) ? Optional.of(e) : Optional.empty();
    }

    private void run(Entry entry, StreamBuffer buffer) {
        ResponsesEvents events = new ResponsesEvents(entry.head, entry.streamId, null);
        try (StreamBuffer.Follower follower = buffer.follow(-1)) {
            for (Optional<StreamChunk> next = follower.next(); next.isPresent(); next = follower.next()) {
                events.on(next.get());
            }
        } catch (ChunksEvictedException e) {
            LOG.warn("background response {} lost chunks of its stream: {}", entry.head.id(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("background response {} keeper failed", entry.head.id(), e);
        }
        ObjectNode result = events.response().orElseGet(() -> lost(entry));
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

    /** A response whose stream could not be followed to its end. */
    private static ObjectNode lost(Entry entry) {
        ObjectNode error = Responses.JSON.createObjectNode();
        error.put("code", "stream_lost");
        error.put("message", "the gateway lost this background response's stream before it ended");
        return entry.head.build(
                ResponseObject.FAILED,
                Responses.JSON.createArrayNode(),
                Optional.empty(),
                Optional.of(error),
                Optional.empty());
    }
}
