package io.aistream.server.streams;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Concurrent-stream permits: at most {@code perKey} per principal and {@code total} overall. Thread-safe. */
public final class StreamLimits {
    private final int perKey;
    private final int total;
    private final AtomicInteger inUse = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> byKey = new ConcurrentHashMap<>();

    public StreamLimits(int perKey, int total) {
        this.perKey = perKey;
        this.total = total;
    }

    /** Streams one principal may run at once. */
    int perKey() {
        return perKey;
    }

    /** Takes a permit, or returns an explanation of the limit that is reached. */
    Optional<String> tryAcquire(String principal) {
        if (inUse.incrementAndGet() > total) {
            inUse.decrementAndGet();
            return Optional.of("the gateway runs its maximum of " + total + " concurrent streams");
        }
        AtomicInteger mine = byKey.computeIfAbsent(principal, k -> new AtomicInteger());
        if (mine.incrementAndGet() > perKey) {
            mine.decrementAndGet();
            inUse.decrementAndGet();
            return Optional.of("at most " + perKey + " concurrent streams per API key");
        }
        return Optional.empty();
    }

    /** Takes a permit whatever the limits say (a stream taken over from a dead node is never refused). */
    void forceAcquire(String principal) {
        inUse.incrementAndGet();
        byKey.computeIfAbsent(principal, k -> new AtomicInteger()).incrementAndGet();
    }

    void release(String principal) {
        AtomicInteger mine = byKey.get(principal);
        if (mine != null) {
            mine.decrementAndGet();
        }
        inUse.decrementAndGet();
    }

    int inUse() {
        return inUse.get();
    }
}
