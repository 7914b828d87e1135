package io.aistream.server.resume;

import io.aistream.server.memory.MemoryBudget;
import io.aistream.stream.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory {@link ResumeStore}: buffers by stream id; a finished buffer expires {@code ttl}
 * after its {@code done} (scheduled on the injected {@link TimeSource}); the ids of the most recent
 * {@value #EXPIRED_IDS_KEPT} expired streams are remembered so that a late resume gets "expired"
 * rather than "unknown".
 *
 * <p><b>Memory.</b> Every buffer's bytes are counted in a {@link MemoryBudget} (pool {@code resume},
 * and its owner's account). The store is the budget's {@link MemoryBudget.Reclaimer}: when the budget
 * needs room, finished buffers are expired early, oldest {@code done} first (over all owners, or among
 * one owner's); and a live buffer the budget will not let grow evicts its own oldest chunks.
 */
public final class InMemoryResumeStore implements ResumeStore, MemoryBudget.Reclaimer {
    static final int EXPIRED_IDS_KEPT = 100_000;

    private final int maxChunks;
    private final long maxBytes;
    private final Duration ttl;
    private final TimeSource time;
    private final MemoryBudget budget;
    private final ConcurrentHashMap<String, InMemoryStreamBuffer> buffers = new ConcurrentHashMap<>();
    private final Map<String, String> expired = new LinkedHashMap<>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > EXPIRED_IDS_KEPT;
        }
    };
    /** Finished buffers in the order they finished, over all owners and per owner; guarded by itself. */
    private final LinkedHashSet<InMemoryStreamBuffer> finished = new LinkedHashSet<>();

    private final Map<String, LinkedHashSet<InMemoryStreamBuffer>> finishedByOwner = new HashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();
    private volatile boolean closed;

    /**
     * A store with no memory budget of its own (the budget is unlimited).
     *
     * @param maxChunks chunks kept per stream (oldest evicted beyond)
     * @param maxBytes  estimated bytes kept per stream (oldest evicted beyond)
     * @param ttl       how long a finished stream stays replayable
     * @param time      the clock that runs expiry
     */
    public InMemoryResumeStore(int maxChunks, long maxBytes, Duration ttl, TimeSource time) {
        this(maxChunks, maxBytes, ttl, time, MemoryBudget.unlimited());
    }

    /**
     * A store that counts its bytes in {@code budget} and registers itself as its reclaimer.
     *
     * @param maxChunks chunks kept per stream (oldest evicted beyond)
     * @param maxBytes  estimated bytes kept per stream (oldest evicted beyond)
     * @param ttl       how long a finished stream stays replayable
     * @param time      the clock that runs expiry
     * @param budget    the gateway's memory budget
     */
    public InMemoryResumeStore(int maxChunks, long maxBytes, Duration ttl, TimeSource time, MemoryBudget budget) {
        if (maxChunks < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxChunks and maxBytes must be positive");
        }
        this.maxChunks = maxChunks;
        this.maxBytes = maxBytes;
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.time = Objects.requireNonNull(time, "time");
        this.budget = Objects.requireNonNull(budget, "budget");
        budget.reclaimer(this);
    }

    @Override
    public StreamBuffer create(String streamId, String owner) {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(owner, "owner");
        if (closed) {
            throw new IllegalStateException("the resume store is closed");
        }
        MemoryBudget.KeyAccount account = budget.hold(owner);
        InMemoryStreamBuffer[] self = new InMemoryStreamBuffer[1];
        InMemoryStreamBuffer buffer = new InMemoryStreamBuffer(
                streamId,
                owner,
                maxChunks,
                maxBytes,
                () -> finished(self[0]),
                delta -> {
                    totalBytes.addAndGet(delta);
                    budget.add(account, delta);
                },
                bytes -> budget.mustNotGrow(account, bytes),
                () -> budget.release(account));
        self[0] = buffer;
        if (buffers.putIfAbsent(streamId, buffer) != null) {
            buffer.discard();
            throw new IllegalStateException("the resume store already has stream " + streamId);
        }
        return buffer;
    }

    private void finished(InMemoryStreamBuffer buffer) {
        synchronized (finished) {
            if (buffers.get(buffer.streamId()) != buffer) {
                return; // expired or reclaimed already
            }
            finished.add(buffer);
            finishedByOwner
                    .computeIfAbsent(buffer.owner(), k -> new LinkedHashSet<>())
                    .add(buffer);
        }
        time.schedule(ttl, () -> expire(buffer));
    }

    private void expire(InMemoryStreamBuffer buffer) {
        if (buffers.remove(buffer.streamId(), buffer)) {
            synchronized (expired) {
                expired.put(buffer.streamId(), buffer.owner());
            }
            forget(buffer);
            buffer.discard();
        }
    }

    private void forget(InMemoryStreamBuffer buffer) {
        synchronized (finished) {
            finished.remove(buffer);
            LinkedHashSet<InMemoryStreamBuffer> mine = finishedByOwner.get(buffer.owner());
            if (mine != null && mine.remove(buffer) && mine.isEmpty()) {
                finishedByOwner.remove(buffer.owner());
            }
        }
    }

    @Override
    public long reclaim(long bytes) {
        List<InMemoryStreamBuffer> victims;
        synchronized (finished) {
            victims = pick(finished.iterator(), bytes);
        }
        return expireAll(victims);
    }

    @Override
    public long reclaim(String owner, long bytes) {
        List<InMemoryStreamBuffer> victims;
        synchronized (finished) {
            LinkedHashSet<InMemoryStreamBuffer> mine = finishedByOwner.get(owner);
            if (mine == null) {
                return 0;
            }
            victims = pick(mine.iterator(), bytes);
        }
        return expireAll(victims);
    }

    /** Under the finished lock: the oldest finished buffers that together hold about {@code bytes}. */
    private static List<InMemoryStreamBuffer> pick(Iterator<InMemoryStreamBuffer> oldestFirst, long bytes) {
        List<InMemoryStreamBuffer> victims = new ArrayList<>();
        long sum = 0;
        while (sum < bytes && oldestFirst.hasNext()) {
            InMemoryStreamBuffer b = oldestFirst.next();
            victims.add(b);
            sum += b.retainedBytes();
        }
        return victims;
    }

    private long expireAll(List<InMemoryStreamBuffer> victims) {
        long freed = 0;
        for (InMemoryStreamBuffer b : victims) {
            long before = b.retainedBytes();
            if (buffers.containsKey(b.streamId())) {
                expire(b);
                freed += before;
            }
        }
        return freed;
    }

    @Override
    public Lookup lookup(String streamId) {
        InMemoryStreamBuffer buffer = buffers.get(streamId);
        if (buffer != null) {
            return new Lookup.Found(buffer);
        }
        String owner;
        synchronized (expired) {
            owner = expired.get(streamId);
        }
        return owner != null ? new Lookup.Expired(owner) : new Lookup.Unknown();
    }

    /** Estimated bytes kept over all streams. */
    public long totalBytes() {
        return totalBytes.get();
    }

    /** Streams currently kept (live or finished, not yet expired). */
    public int size() {
        return buffers.size();
    }

    @Override
    public void close() {
        closed = true;
        for (InMemoryStreamBuffer buffer : buffers.values()) {
            if (buffers.remove(buffer.streamId(), buffer)) {
                forget(buffer);
                buffer.discard();
            }
        }
    }
}
