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
    /** Longest stream name, in UTF-16 chars. */
    static final int MAX_LENGTH = 256;

    private record Key(String principal, String name) {}

    private final ResumeStore store;
    private final ConcurrentHashMap<Key, String> ids = new ConcurrentHashMap<>();
    private volatile int sweepAt = 1024;

    WsNames(ResumeStore store) {
        this.store = store;
    }

    /**
     * What is wrong with a client's stream name, if anything: empty, longer than {@link #MAX_LENGTH}
     * chars, a control character (C0 with NUL, DEL, C1), or a lone surrogate (not text). Names are
     * echoed in every message of their stream and written to logs, so they must be plain text.
     */
    static Optional<String> problem(String name) {
        if (name.isEmpty()) {
            return Optional.of("\"stream\" must not be empty");
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.of("\"stream\" may have at most " + MAX_LENGTH + " characters, not " + name.length());
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                return Optional.of(String.format(
                        "\"stream\" must not contain control characters (NUL, U+0001-U+001F, DEL, U+0080-U+009F):"
                                + " U+%04X at index %d",
                        (int) c, i));
            }
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of(
                        String.format("\"stream\" must be text: a lone surrogate U+%04X at index %d", (int) c, i));
            }
        }
        return Optional.empty();
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
