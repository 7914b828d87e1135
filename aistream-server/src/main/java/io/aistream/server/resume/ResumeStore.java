package io.aistream.server.resume;

import io.aistream.server.memory.MemoryBudget;
import io.aistream.stream.TimeSource;
import java.time.Duration;

/**
 * Where the gateway keeps resumable streams, so that a client that lost its connection can come
 * back with {@code Last-Event-ID} and get exactly the chunks it missed.
 *
 * <p>The built-in store ({@link #inMemory}) serves one node. A store shared by several nodes (Redis,
 * say) implements the same two interfaces: this one and {@link StreamBuffer}.
 *
 * <p><b>Lifecycle of an entry.</b> {@link #create} when a resumable stream starts; the producer
 * appends every chunk; after the {@code done} chunk the entry is kept for the time to live, then
 * expires: {@link #lookup} then answers {@link Lookup.Expired} for a while (the gateway replies
 * {@code 204}), and finally {@link Lookup.Unknown} like for an id never seen ({@code 404}).
 *
 * <p>Thread-safe.
 */
public interface ResumeStore extends AutoCloseable {

    /**
     * A new, empty buffer for a stream.
     *
     * @param streamId the stream's id, unique in this store
     * @param owner    the opaque principal id of whoever started it
     * @throws IllegalStateException if the store already has a buffer for this id
     */
    StreamBuffer create(String streamId, String owner);

    /**
     * {@link #create(String, String)}, telling the store where the stream came from, so that a store shared by
     * several nodes can let another node continue it when this one dies. A store of one node ignores it (the
     * default does).
     *
     * @param origin the provider, model and request the stream answers
     */
    default StreamBuffer create(String streamId, String owner, Origin origin) {
        return create(streamId, owner);
    }

    /**
     * Where a stream came from: enough for another node to open the same request again.
     *
     * @param provider    the provider-map name
     * @param model       the model the request named, or empty
     * @param requestJson the gateway's native request body ({@code POST /v1/stream}'s JSON) the stream answers
     */
    record Origin(String provider, String model, String requestJson) {
        public Origin {
            java.util.Objects.requireNonNull(provider, "provider");
            java.util.Objects.requireNonNull(model, "model");
            java.util.Objects.requireNonNull(requestJson, "requestJson");
        }
    }

    /** What the store knows of a stream id. */
    Lookup lookup(String streamId);

    /** Releases the store's resources; buffers become unusable. */
    @Override
    void close();

    /**
     * The in-memory store: per stream at most {@code maxChunks} chunks and about {@code maxBytes}
     * bytes (oldest evicted first), kept for {@code ttl} after {@code done}; expiry runs on
     * {@code time}.
     */
    static ResumeStore inMemory(int maxChunks, long maxBytes, Duration ttl, TimeSource time) {
        return new InMemoryResumeStore(maxChunks, maxBytes, ttl, time);
    }

    /**
     * The in-memory store, counting what it keeps in {@code budget} and giving finished streams back to it
     * when it fills (see {@link InMemoryResumeStore}).
     */
    static ResumeStore inMemory(int maxChunks, long maxBytes, Duration ttl, TimeSource time, MemoryBudget budget) {
        return new InMemoryResumeStore(maxChunks, maxBytes, ttl, time, budget);
    }

    /** The answer of {@link #lookup}. */
    sealed interface Lookup permits Lookup.Found, Lookup.Expired, Lookup.Unknown {
        /** The stream is live or finished and still kept. */
        record Found(StreamBuffer buffer) implements Lookup {}

        /** The stream finished and its chunks have expired. */
        record Expired(String owner) implements Lookup {}

        /** The store has never seen the id, or forgot it long ago. */
        record Unknown() implements Lookup {}
    }
}
