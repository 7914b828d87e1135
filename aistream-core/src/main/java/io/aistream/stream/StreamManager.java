package io.aistream.stream;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry of the active {@link ChatStream}s, by id, so that a stream can be found and aborted
 * from elsewhere (an HTTP {@code DELETE}, a WebSocket {@code abort}, a shutdown hook).
 *
 * <p>A stream registers when it is built with {@link ChatStream.Builder#manager(StreamManager)} (or
 * {@link #open(ChunkSource)}), and deregisters itself when it delivers its done, is closed or is
 * aborted; the manager holds no other reference to it and never closes anything by itself.
 *
 * <p>Thread-safe; every method may be called from any thread.
 */
public final class StreamManager {
    private final ConcurrentHashMap<String, ChatStream> streams = new ConcurrentHashMap<>();

    /** An empty registry. */
    public StreamManager() {}

    /** Builds a stream over {@code source} with default options, registered with this manager. */
    public ChatStream open(ChunkSource source) {
        return ChatStream.builder(source).manager(this).build();
    }

    /** The active stream with this id, if any. */
    public Optional<ChatStream> get(String id) {
        return Optional.ofNullable(streams.get(id));
    }

    /**
     * Aborts the active stream with this id: its source is cancelled, its consumer gets a final
     * done({@code aborted}), and the manager forgets it.
     *
     * @return true if such a stream was active and this call aborted it
     */
    public boolean abort(String id) {
        ChatStream stream = streams.get(id);
        return stream != null && stream.abort();
    }

    /**
     * Aborts every stream active when called (see {@link #abort(String)}).
     *
     * @return how many streams this call aborted
     */
    public int abortAll() {
        int aborted = 0;
        for (ChatStream stream : streams.values()) {
            if (stream.abort()) {
                aborted++;
            }
        }
        return aborted;
    }

    /** A snapshot of the active streams' ids. */
    public Set<String> active() {
        return Set.copyOf(streams.keySet());
    }

    /** How many streams are active. */
    public int activeCount() {
        return streams.size();
    }

    void register(ChatStream stream) {
        if (streams.putIfAbsent(stream.id(), stream) != null) {
            throw new IllegalStateException("a stream with id " + stream.id() + " is already active");
        }
    }

    void remove(ChatStream stream) {
        streams.remove(stream.id(), stream);
    }
}
