package io.aistream.server.memory;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One byte account for everything the gateway retains per stream, so that no client, and no number of
 * clients, can make it run out of memory.
 *
 * <p><b>What is counted.</b> Each {@link Pool}: resume buffers (live and finished), read-ahead queues
 * ({@code buffer}, {@code drop}, {@code coalesce}), WebSocket send queues and the responses the Responses
 * endpoint keeps (those have a fixed bound of their own, at most a quarter of the budget, and are evicted by
 * their store, not reclaimed here). Sizes are the estimates of
 * {@code io.aistream.chunk.ChunkFootprint} (a fixed overhead plus two bytes per character), added when
 * something is retained and subtracted when it is let go, so the account returns to zero when the
 * gateway is idle.
 *
 * <p><b>What happens as it fills.</b>
 * <ol>
 *   <li>A new <em>resumable</em> stream is admitted while the account is under
 *       {@value #RESUMABLE_SHARE_PERCENT}% of the budget, any other stream while it is under
 *       {@value #STREAM_SHARE_PERCENT}% ({@link #admit}); before refusing, finished resume buffers are
 *       evicted, oldest first, through the {@link Reclaimer} (a late resume of one then answers "expired").
 *       A refused stream gets {@link Admission#OVERLOADED} (the gateway answers 503 {@code overloaded}
 *       with {@code Retry-After}).</li>
 *   <li>A key's resume buffers may retain at most {@link #perKeyLimit()} bytes: a new resumable stream of a
 *       key holding nine tenths of that or more is refused ({@link Admission#KEY_FULL}, 429), after that
 *       key's finished buffers were evicted to bring it below.</li>
 *   <li>A live resume buffer that would grow the account past the budget, or its key past its cap, evicts
 *       its own oldest chunks instead of growing ({@link #mustNotGrow}); a client resuming from before them
 *       gets 410, the live stream goes on.</li>
 * </ol>
 * Queues are bounded per stream by their own byte bounds, and streams by the admission above. The checks
 * run before bytes are added, without a lock, so at one instant the account may pass the budget by one
 * chunk per producer appending at that instant.
 *
 * <p><b>Threading.</b> Thread-safe and non-blocking, apart from the {@link Reclaimer} it calls when full.
 */
public final class MemoryBudget {
    /** Resumable streams are admitted below this share of the budget (percent). */
    public static final int RESUMABLE_SHARE_PERCENT = 75;

    /** Other streams are admitted below this share of the budget (percent). */
    public static final int STREAM_SHARE_PERCENT = 90;

    /** What the retained bytes are for. */
    public enum Pool {
        /** Chunks kept for resumption, live and finished streams. */
        RESUME,
        /** Chunks read ahead of a slow consumer ({@code buffer}, {@code drop}, {@code coalesce}). */
        READ_AHEAD,
        /** Messages queued for a WebSocket client. */
        WEBSOCKET,
        /** Completed responses kept by the OpenAI Responses endpoint (bounded by its own store's limit). */
        RESPONSES;

        /** The metric label ({@code resume}, {@code read_ahead}, {@code websocket}, {@code responses}). */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The answer of {@link #admit}. */
    public enum Admission {
        ADMITTED,
        /** The gateway as a whole is near its budget. */
        OVERLOADED,
        /** The caller's key retains its whole share in resume buffers. */
        KEY_FULL
    }

    /**
     * Gives memory back: implemented by a store that keeps finished streams (the in-memory resume store).
     * Called from request and producer threads, never under a lock of the budget.
     */
    public interface Reclaimer {
        /** Evicts finished buffers, oldest first, until about {@code bytes} are freed; returns the bytes freed. */
        long reclaim(long bytes);

        /** Likewise, only among {@code owner}'s finished buffers. */
        long reclaim(String owner, long bytes);
    }

    /** The bytes one key retains in resume buffers; shared by that key's buffers. Thread-safe. */
    public static final class KeyAccount {
        private final String owner;
        private final AtomicLong bytes = new AtomicLong();
        private int holders; // guarded by the budget's keys map (compute)

        private KeyAccount(String owner) {
            this.owner = owner;
        }

        /** The principal it is for. */
        public String owner() {
            return owner;
        }

        /** Bytes its resume buffers retain now. */
        public long bytes() {
            return bytes.get();
        }
    }

    private final long limit;
    private final long perKeyLimit;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong[] pools = new AtomicLong[Pool.values().length];
    private final AtomicLong refusedOverloaded = new AtomicLong();
    private final AtomicLong refusedKeyFull = new AtomicLong();
    private final AtomicLong reclaimed = new AtomicLong();
    private final AtomicLong squeezed = new AtomicLong();
    private final ConcurrentHashMap<String, KeyAccount> keys = new ConcurrentHashMap<>();
    private volatile Reclaimer reclaimer;

    /**
     * @param limit       bytes that may be retained in all
     * @param perKeyLimit bytes one key's resume buffers may retain (at most {@code limit})
     */
    public MemoryBudget(long limit, long perKeyLimit) {
        if (limit <= 0 || perKeyLimit <= 0) {
            throw new IllegalArgumentException("the memory budget and the per-key cap must be positive");
        }
        this.limit = limit;
        this.perKeyLimit = Math.min(perKeyLimit, limit);
        for (int i = 0; i < pools.length; i++) {
            pools[i] = new AtomicLong();
        }
    }

    /** A budget nothing reaches (for stores and tests that do not want one). */
    public static MemoryBudget unlimited() {
        return new MemoryBudget(Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /** The store that gives finished buffers back; set once by the store that keeps them. */
    public void reclaimer(Reclaimer value) {
        this.reclaimer = Objects.requireNonNull(value, "reclaimer");
    }

    public long limit() {
        return limit;
    }

    public long perKeyLimit() {
        return perKeyLimit;
    }

    /** Bytes retained now, all pools. */
    public long used() {
        return total.get();
    }

    /** Bytes retained now in one pool. */
    public long used(Pool pool) {
        return pools[pool.ordinal()].get();
    }

    /** Streams {@link #admit} refused so far with {@code reason} ({@link Admission#OVERLOADED} or {@link Admission#KEY_FULL}). */
    public long refused(Admission reason) {
        return switch (reason) {
            case OVERLOADED -> refusedOverloaded.get();
            case KEY_FULL -> refusedKeyFull.get();
            case ADMITTED -> 0;
        };
    }

    /** Bytes of finished resume buffers evicted early to make room, so far. */
    public long reclaimedBytes() {
        return reclaimed.get();
    }

    /** Appends for which a live resume buffer evicted its own oldest chunks instead of growing, so far. */
    public long squeezes() {
        return squeezed.get();
    }

    /** Records bytes retained ({@code delta > 0}) or let go ({@code delta < 0}) in {@code pool}. */
    public void add(Pool pool, long delta) {
        if (delta != 0) {
            pools[pool.ordinal()].addAndGet(delta);
            total.addAndGet(delta);
        }
    }

    /** Records resume bytes of one key: counted in {@link Pool#RESUME} and in the key's account. */
    public void add(KeyAccount key, long delta) {
        if (delta != 0) {
            key.bytes.addAndGet(delta);
            add(Pool.RESUME, delta);
        }
    }

    /** The account of {@code owner}'s resume buffers; pair with {@link #release(KeyAccount)}. */
    public KeyAccount hold(String owner) {
        return keys.compute(owner, (k, account) -> {
            KeyAccount a = account != null ? account : new KeyAccount(k);
            a.holders++;
            return a;
        });
    }

    /** A buffer that held the account is gone (its bytes already subtracted). */
    public void release(KeyAccount account) {
        keys.computeIfPresent(account.owner, (k, a) -> --a.holders == 0 ? null : a);
    }

    /** The bytes {@code owner}'s resume buffers retain now. */
    public long usedBy(String owner) {
        KeyAccount a = keys.get(owner);
        return a == null ? 0 : a.bytes();
    }

    /**
     * Whether a new stream may start now; evicts finished resume buffers first if that makes room.
     *
     * @param principal who starts it
     * @param resumable whether it keeps a resume buffer (refused first as memory fills)
     */
    public Admission admit(String principal, boolean resumable) {
        long threshold = share(resumable ? RESUMABLE_SHARE_PERCENT : STREAM_SHARE_PERCENT);
        if (!makeRoom(threshold)) {
            refusedOverloaded.incrementAndGet();
            return Admission.OVERLOADED;
        }
        if (resumable) {
            long keyThreshold = perKeyLimit - perKeyLimit / 10;
            KeyAccount key = keys.get(principal);
            if (key != null && key.bytes() >= keyThreshold) {
                Reclaimer r = reclaimer;
                if (r != null) {
                    reclaimed.addAndGet(r.reclaim(principal, key.bytes() - keyThreshold + 1));
                }
                if (key.bytes() >= keyThreshold) {
                    refusedKeyFull.incrementAndGet();
                    return Admission.KEY_FULL;
                }
            }
        }
        return Admission.ADMITTED;
    }

    /**
     * Whether a live resume buffer of {@code key} must evict its own oldest chunks rather than grow by
     * {@code bytes}: true when that would take the account past the budget, or the key past its cap, even
     * after finished buffers were evicted. Call it before taking the buffer's lock.
     */
    public boolean mustNotGrow(KeyAccount key, long bytes) {
        if (key.bytes() + bytes > perKeyLimit) {
            Reclaimer r = reclaimer;
            if (r != null) {
                reclaimed.addAndGet(r.reclaim(key.owner, key.bytes() + bytes - perKeyLimit));
            }
            if (key.bytes() + bytes > perKeyLimit) {
                squeezed.incrementAndGet();
                return true;
            }
        }
        if (!makeRoom(limit - bytes)) {
            squeezed.incrementAndGet();
            return true;
        }
        return false;
    }

    /** Tries to bring the account to at most {@code target} bytes by evicting finished buffers. */
    private boolean makeRoom(long target) {
        long over = total.get() - target;
        if (over <= 0) {
            return true;
        }
        Reclaimer r = reclaimer;
        if (r != null) {
            reclaimed.addAndGet(r.reclaim(over));
        }
        return total.get() <= target;
    }

    private long share(int percent) {
        return limit / 100 * percent;
    }

    @Override
    public String toString() {
        return "MemoryBudget[used=" + used() + ", limit=" + limit + ", perKey=" + perKeyLimit + "]";
    }
}
