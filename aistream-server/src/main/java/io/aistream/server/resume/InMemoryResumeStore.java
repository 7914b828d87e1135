package io.aistream.server.resume;

import io.aistream.stream.TimeSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory {@link ResumeStore}: buffers by stream id; a finished buffer expires {@code ttl}
 * after its {@code done} (scheduled on the injected {@link TimeSource}); the ids of the most recent
 * {@value #EXPIRED_IDS_KEPT} expired streams are remembered so that a late resume gets "expired"
 * rather than "unknown".
 */
public final class InMemoryResumeStore implements ResumeStore {
    static final int EXPIRED_IDS_KEPT = 100_000;

    private final int maxChunks;
    private final long maxBytes;
    private final Duration ttl;
    private final TimeSource time;
    private final ConcurrentHashMap<String, InMemoryStreamBuffer> buffers = new ConcurrentHashMap<>();
    private final Map<String, String> expired = new LinkedHashMap<>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > EXPIRED_IDS_KEPT;
        }
    };
    private final AtomicLong totalBytes = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param maxChunks chunks kept per stream (oldest evicted beyond)
     * @param maxBytes  estimated bytes kept per stream (oldest evicted beyond)
     * @param ttl       how long a finished stream stays replayable
     * @param time      the clock that runs expiry
     */
    public InMemoryResumeStore(int maxChunks, long maxBytes, Duration ttl, TimeSource time) {
        if (maxChunks < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxChunks and maxBytes must be positive");
        }
        this.maxChunks = maxChunks;
        this.maxBytes = maxBytes;
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.time = Objects.requireNonNull(time, "time");
    }

    @Override
    public StreamBuffer create(String streamId, String owner) {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(owner, "owner");
        if (closed) {
            throw new IllegalStateException("the resume store is closed");
        }
        InMemoryStreamBuffer[] self = new InMemoryStreamBuffer[1];
        InMemoryStreamBuffer buffer = new InMemoryStreamBuffer(
                streamId,
                owner,
                maxChunks,
                maxBytes,
                () -> time.schedule(ttl, () -> expire(self[0])),
                totalBytes::addAndGet);
        self[0] = buffer;
        if (buffers.putIfAbsent(streamId, buffer) != null) {
            throw new IllegalStateException("the resume store already has stream " + streamId);
        }
        return buffer;
    }

    private void expire(InMemoryStreamBuffer buffer) {
        if (buffers.remove(buffer.streamId(), buffer)) {
            synchronized (expired) {
                expired.put(buffer.streamId(), buffer.owner());
            }
            totalBytes.addAndGet(-buffer.discard());
        }
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
            buffers.remove(buffer.streamId(), buffer);
            totalBytes.addAndGet(-buffer.discard());
        }
    }
}
