package io.aistream.bench.load;

import io.aistream.bench.metrics.Histogram;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Everything the workers count, shared and thread-safe. */
final class Tally {
    final LongAdder started = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder truncated = new LongAdder();
    final LongAdder aborted = new LongAdder();
    final LongAdder chunks = new LongAdder();
    final LongAdder missing = new LongAdder();
    final LongAdder outOfOrder = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder connects = new LongAdder();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger maxOpen = new AtomicInteger();
    final Histogram chunkLatency = new Histogram();
    final Histogram ttfcAdded = new Histogram();
    final Histogram ttfc = new Histogram();
    private final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();
    private final List<String> samples = new CopyOnWriteArrayList<>();
    /** Stream tag → nanoTime just before the client aborted it (at most {@link #MAX_ABORTS_TRACKED}). */
    final Map<Long, Long> abortsSent = new ConcurrentHashMap<>();
    /** Aborts beyond the tracked ones (not part of the abort latency). */
    final LongAdder abortsUntracked = new LongAdder();

    static final int MAX_ABORTS_TRACKED = 1_000_000;
    /** Latencies are recorded only once this nanoTime has passed (warm-up). */
    volatile long recordFrom = Long.MIN_VALUE;

    void opened() {
        started.increment();
        int n = open.incrementAndGet();
        maxOpen.accumulateAndGet(n, Math::max);
    }

    void closed() {
        open.decrementAndGet();
    }

    void abortSent(long tag, long nanos) {
        if (tag < 0 || abortsSent.size() >= MAX_ABORTS_TRACKED) {
            abortsUntracked.increment();
        } else {
            abortsSent.put(tag, nanos);
        }
    }

    void failure(String reason, String detail) {
        reasons.computeIfAbsent(reason, r -> new LongAdder()).increment();
        if (samples.size() < 5 && detail != null) {
            samples.add(reason + ": " + detail);
        }
    }

    Map<String, Long> reasons() {
        Map<String, Long> m = new TreeMap<>();
        reasons.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    List<String> samples() {
        return List.copyOf(samples);
    }
}
