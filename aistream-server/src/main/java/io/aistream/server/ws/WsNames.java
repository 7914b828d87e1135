package io.aistream.server.ws;

import io.aistream.server.resume.ResumeStore;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client's names of resumable WebSocket streams, per API key, so that a client can resume
 * {@code "stream":"a"} on a new socket after a reconnect. The latest {@code start} of a name wins.
 * An entry lives as long as the resume store knows its stream: entries of forgotten streams are
 * dropped when looked up and in sweeps that run as the map grows, so it stays as small as the store.
 */
final class WsNames {
    private record Key(String principal, String name) {}

    private final ResumeStore store;
    private final ConcurrentHashMap<Key, String> ids = new ConcurrentHashMap<>();
    private volatile int sweepAt = 1024;

    WsNames(ResumeStore store) {
        this.store = store;
    }

    void register(String principal, String name, String streamId) {
        ids.put(new Key(principal, name), streamId);
        if (ids.size() >= sweepAt) {
            sweep();
        }
    }

    /** The server stream id a principal's name stands for, if its stream is still known. */
    Optional<String> lookup(String principal, String name) {
        Key key = new Key(principal, name);
        String id = ids.get(key);
        if (id == null) {
            return Optional.empty();
        }
        if (store.lookup(id) instanceof ResumeStore.Lookup.Unknown) {
            ids.remove(key, id);
            return Optional.empty();
        }
        return Optional.of(id);
    }

    private synchronized void sweep() {
        ids.entrySet().removeIf(e -> store.lookup(e.getValue()) instanceof ResumeStore.Lookup.Unknown);
        sweepAt = Math.max(1024, ids.size() * 2);
    }

    int size() {
        return ids.size();
    }
}
