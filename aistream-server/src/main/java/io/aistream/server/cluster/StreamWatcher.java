package io.aistream.server.cluster;

import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's blocking reader of the chunk streams its followers wait on: a single task issues
 * {@code XREAD BLOCK} over every awaited stream at once (from the lowest position a follower awaits), on
 * a connection of its own, and wakes the followers of a stream when it has an entry past their position.
 * Followers read the entries themselves ({@code XRANGE} from their own position), so a slow follower
 * costs nobody else anything; the watcher only says "there is more".
 *
 * <p>Reading from a follower's exact position makes a wake-up impossible to lose: an entry appended
 * between a follower's empty read and its wait is past that position, so the next {@code XREAD} returns
 * at once. A follower that awaits a stream the running {@code XREAD} does not cover (or from further
 * back) wakes the watcher through the node's wake stream, so the read is issued again with it.
 *
 * <p>Thread-safe; {@link #close()} stops the task and releases every waiter.
 */
final class StreamWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamWatcher.class);

    /** How long one XREAD blocks; its return only re-issues the read. */
    static final Duration BLOCK = Duration.ofSeconds(5);

    /** A pause after a failed read, so that an unreachable Redis is not hammered. */
    private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final Redis redis;
    private final StatefulRedisConnection<String, String> blocking;
    private final String wakeKey;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Awaited streams by key; guarded by lock. */
    private final Map<String, Watch> watches = new HashMap<>();
    /** The position the running XREAD reads each key from; guarded by lock. */
    private Map<String, Long> reading = Map.of();

    private String wakeId = "0-0";
    private volatile boolean closed;
    private final Thread task;

    /** How long a node's wake stream outlives its last use. */
    private static final Duration WAKE_KEY_TTL = Duration.ofHours(1);

    /** How many entries one read returns per stream: only the last one's id is used. */
    private static final int COUNT = 64;

    /** A stream's waiters: the greatest seq known to exist, and the positions its waiters wait past. */
    private static final class Watch {
        long seen = -1;
        /** position → how many waiters wait past it. */
        final TreeMap<Long, Integer> positions = new TreeMap<>();

        void add(long position) {
            positions.merge(position, 1, Integer::sum);
        }

        void remove(long position) {
            positions.computeIfPresent(position, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    StreamWatcher(Redis redis, String nodeId) {
        this.redis = redis;
        this.blocking = redis.dedicated(BLOCK.plus(Redis.COMMAND_TIMEOUT));
        this.wakeKey = redis.keys().wake(nodeId);
        this.task = Thread.ofVirtual().name("aistream-redis-watcher").start(this::run);
    }

    /**
     * Blocks until stream {@code key} has an entry past {@code afterSeq} (as far as this watcher has seen),
     * {@code stop} says true (checked whenever a waiter is woken: see {@link #poke()}), the watcher closes,
     * or {@code timeout} passes.
     *
     * @return true if the stream has (or may have) more past {@code afterSeq}; false on timeout or stop
     */
    boolean await(String key, long afterSeq, Duration timeout, BooleanSupplier stop) throws InterruptedException {
        boolean wake;
        Watch w;
        lock.lock();
        try {
            w = watches.computeIfAbsent(key, k -> new Watch());
            if (w.seen > afterSeq) {
                return true;
            }
            w.add(afterSeq);
            Long from = reading.get(key);
            wake = from == null || from > afterSeq;
        } finally {
            lock.unlock();
        }
        if (wake) {
            wake();
        }
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (w.seen <= afterSeq && !closed && !stop.getAsBoolean()) {
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return w.seen > afterSeq || closed;
        } finally {
            w.remove(afterSeq);
            if (w.positions.isEmpty()) {
                watches.remove(key, w);
            }
            lock.unlock();
        }
    }

    /** Waits about {@code pause} (a retry's pause), or less when {@code stop} says true or the watcher closes. */
    void nap(Duration pause, BooleanSupplier stop) throws InterruptedException {
        long left = pause.toNanos();
        lock.lock();
        try {
            while (left > 0 && !closed && !stop.getAsBoolean()) {
                left = changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter to check its stop condition (a follower was closed). */
    void poke() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Makes the running XREAD return, so that the next one covers the new waiters. */
    private void wake() {
        try {
            redis.sync().xadd(wakeKey, XAddArgs.Builder.maxlen(16), "w", "1");
            redis.sync().pexpire(wakeKey, WAKE_KEY_TTL.toMillis()); // a node that is gone leaves nothing behind
        } catch (RedisException e) {
            LOG.debug("could not wake the Redis watcher: {}", Redis.rootMessage(e));
        }
    }

    private void run() {
        while (!closed) {
            List<XReadArgs.StreamOffset<String>> offsets = new ArrayList<>();
            Map<String, Long> from = new HashMap<>();
            lock.lock();
            try {
                for (Map.Entry<String, Watch> e : watches.entrySet()) {
                    Watch w = e.getValue();
                    // waiters behind `seen` are satisfied and leaving; the others wait past their own position
                    long position = Math.max(w.seen, w.positions.firstKey());
                    from.put(e.getKey(), position);
                    offsets.add(XReadArgs.StreamOffset.from(e.getKey(), RedisKeys.entryId(position)));
                }
                reading = from;
            } finally {
                lock.unlock();
            }
            offsets.add(XReadArgs.StreamOffset.from(wakeKey, wakeId));
            List<StreamMessage<String, String>> messages;
            try {
                @SuppressWarnings({"unchecked", "rawtypes"})
                XReadArgs.StreamOffset<String>[] all = offsets.toArray(new XReadArgs.StreamOffset[0]);
                messages = blocking.sync().xread(XReadArgs.Builder.block(BLOCK).count(COUNT), all);
            } catch (RedisException e) {
                if (closed) {
                    return;
                }
                LOG.debug("Redis watcher read failed: {}", Redis.rootMessage(e));
                pause();
                continue;
            }
            lock.lock();
            try {
                for (StreamMessage<String, String> m : messages) {
                    if (m.getStream().equals(wakeKey)) {
                        wakeId = m.getId();
                        continue;
                    }
                    Watch w = watches.get(m.getStream());
                    if (w != null) {
                        w.seen = Math.max(w.seen, RedisKeys.seqOf(m.getId()));
                    }
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void pause() {
        lock.lock();
        try {
            changed.signalAll(); // waiters re-check: their own reads report the failure
            changed.awaitNanos(RETRY_PAUSE_NANOS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        poke();
        try {
            blocking.close();
        } catch (RuntimeException e) {
            LOG.debug("closing the watcher's connection", e);
        }
        task.interrupt();
    }
}
