package io.aistream.stream;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link ChunkSources#withTimeouts}. The inner source is read on the caller's thread: no reader
 * thread, no handoff per chunk. A watchdog timer cancels the inner source when a limit passes,
 * which (as the {@link ChunkSource} contract requires) makes the blocked {@code next()} return;
 * the caller then gets the timeout's error chunk, then a done chunk, then the end.
 *
 * <p><b>The per-chunk watchdog is lazy.</b> A wait for a chunk records when it began; the timer is
 * not moved for every chunk. When it fires it compares the time with the current wait's deadline:
 * passed → time out; not yet → re-arm for that deadline; no wait in progress → disarm (the next
 * wait arms it). So a stream pays for one timer task per limit period, not two scheduler
 * operations per chunk, and a deadline is still honoured to the nanosecond.
 *
 * <p>State shared with the timer tasks and {@link #cancel()} is guarded by {@code lock}; the lock
 * is never held while calling the inner source.
 *
 * <p><b>Readiness.</b> When the inner source offers {@link SourceReadiness}, so does this one: a wait for a
 * chunk begins at the first {@code poll()} that follows a chunk (as it begins at {@code next()} on the blocking
 * way), a passed limit makes {@code poll()} answer {@code READY} (the next read returns the timeout's error
 * at once), and the timer that notices it runs the armed callback after cancelling the inner source.
 */
final class TimeoutChunkSource implements ChunkSource {
    private static final long NOT_WAITING = Long.MIN_VALUE;

    private final ChunkSource inner;
    private final Timeouts limits;
    private final TimeSource time;

    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private StreamChunk queuedDone;
    private boolean started;
    private boolean seenFirst;
    private boolean pastDone;
    private boolean ended;
    private boolean cancelled;
    private ErrorCode timedOut;
    private Duration timedOutLimit;
    /** When the current wait for a chunk must end, or NOT_WAITING. */
    private long waitDeadline = NOT_WAITING;

    private ErrorCode waitCode;
    private Duration waitLimit;
    private TimeSource.Cancellable chunkTimer;
    /** The due time of {@code chunkTimer}. */
    private long chunkTimerDue;

    private TimeSource.Cancellable totalTimer;
    /** The consumer's readiness callback, run when a limit passes; null when none is armed. */
    private Runnable armed;

    TimeoutChunkSource(ChunkSource inner, Timeouts limits, TimeSource time) {
        this.inner = inner;
        this.limits = limits;
        this.time = time;
    }

    @Override
    public Optional<StreamChunk> next() throws Exception {
        lock.lock();
        try {
            if (queuedDone != null) {
                StreamChunk done = queuedDone;
                queuedDone = null;
                return Optional.of(done);
            }
            if (ended || cancelled) {
                return Optional.empty();
            }
            if (timedOut != null) { // a limit passed between two calls
                return Optional.of(timeOut());
            }
            startIfNew();
            beginWait();
        } finally {
            lock.unlock();
        }
        Optional<StreamChunk> chunk;
        try {
            chunk = inner.next();
        } catch (Exception | Error e) {
            lock.lock();
            try {
                waitDeadline = NOT_WAITING;
                if (cancelled) {
                    return Optional.empty();
                }
                if (timedOut != null) { // the failure is the cancellation the timeout caused
                    return Optional.of(timeOut());
                }
                if (!(e instanceof InterruptedException)) {
                    end();
                }
            } finally {
                lock.unlock();
            }
            throw e;
        }
        lock.lock();
        try {
            waitDeadline = NOT_WAITING;
            if (cancelled) {
                return Optional.empty();
            }
            if (timedOut != null) {
                // The inner source is being cancelled: whatever it returned now (typically an early
                // end) must not pre-empt the timeout.
                return Optional.of(timeOut());
            }
            if (chunk.isEmpty()) {
                end();
            } else {
                seenFirst = true;
                if (limits.idleBetweenChunks().isEmpty() && chunkTimer != null) {
                    chunkTimer.cancel(); // the first-chunk limit was the only per-chunk one
                    chunkTimer = null;
                }
                if (chunk.get() instanceof DoneChunk) {
                    pastDone = true; // the limits end with the done chunk; later reads pass through
                    cancelTimers();
                }
            }
            return chunk;
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds the lock: arms the total limit on the first read. */
    private void startIfNew() {
        if (!started) {
            started = true;
            limits.total().ifPresent(d -> totalTimer = time.schedule(d, () -> onDeadline(ErrorCode.TOTAL_TIMEOUT, d)));
        }
    }

    @Override
    public Optional<SourceReadiness> readiness() {
        return inner.readiness().map(TimedReadiness::new);
    }

    /** The inner source's readiness, with the limits: see the class documentation. */
    private final class TimedReadiness implements SourceReadiness {
        private final SourceReadiness source;

        TimedReadiness(SourceReadiness source) {
            this.source = source;
        }

        @Override
        public State poll() {
            lock.lock();
            try {
                if (queuedDone != null || ended || cancelled || timedOut != null) {
                    return State.READY;
                }
                startIfNew();
                if (waitDeadline == NOT_WAITING) {
                    beginWait();
                }
            } finally {
                lock.unlock();
            }
            return source.poll();
        }

        @Override
        public void onReady(Runnable callback) {
            lock.lock();
            try {
                armed = callback;
            } finally {
                lock.unlock();
            }
            source.onReady(callback);
        }

        @Override
        public void release() {
            lock.lock();
            try {
                armed = null;
            } finally {
                lock.unlock();
            }
            source.release();
        }
    }

    /** Caller holds the lock: records the wait for the next chunk and makes sure a timer covers it. */
    private void beginWait() {
        if (pastDone) {
            return;
        }
        Optional<Duration> limit = seenFirst ? limits.idleBetweenChunks() : limits.firstChunk();
        if (limit.isEmpty()) {
            return;
        }
        waitLimit = limit.get();
        waitCode = seenFirst ? ErrorCode.IDLE_TIMEOUT : ErrorCode.FIRST_CHUNK_TIMEOUT;
        waitDeadline = time.nanoTime() + TimeMath.nonNegativeNanos(waitLimit); // limits are far below 292 years
        if (chunkTimer != null && chunkTimerDue - waitDeadline > 0) {
            // armed for a later deadline (the first-chunk limit is longer than the idle one)
            chunkTimer.cancel();
            chunkTimer = null;
        }
        if (chunkTimer == null) {
            armChunkTimer(waitDeadline);
        }
    }

    /** Caller holds the lock. */
    private void armChunkTimer(long due) {
        chunkTimerDue = due;
        long delay = Math.max(0, due - time.nanoTime());
        chunkTimer = time.schedule(Duration.ofNanos(delay), this::onChunkDeadline);
    }

    private void onChunkDeadline() {
        boolean fire = false;
        lock.lock();
        try {
            chunkTimer = null;
            if (ended || cancelled || timedOut != null || pastDone || waitDeadline == NOT_WAITING) {
                return; // nothing is waited for: the next wait arms the timer again
            }
            if (time.nanoTime() - waitDeadline >= 0) {
                timedOut = waitCode;
                timedOutLimit = waitLimit;
                cancelTimers();
                fire = true;
            } else {
                armChunkTimer(waitDeadline); // a chunk came since the timer was set: wait for the new deadline
            }
        } finally {
            lock.unlock();
        }
        if (fire) {
            stopInnerAsync();
        }
    }

    private void onDeadline(ErrorCode code, Duration limit) {
        boolean fire;
        lock.lock();
        try {
            totalTimer = null;
            fire = !pastDone && !ended && !cancelled && timedOut == null;
            if (fire) {
                timedOut = code;
                timedOutLimit = limit;
                cancelTimers();
            }
        } finally {
            lock.unlock();
        }
        if (fire) {
            stopInnerAsync();
        }
    }

    /**
     * Stops the upstream now, even if no consumer is waiting; timer tasks must not block, so on a virtual thread.
     * A consumer waiting on the readiness is told at once (its next read returns the timeout).
     */
    private void stopInnerAsync() {
        Runnable waiting;
        lock.lock();
        try {
            waiting = armed;
            armed = null;
        } finally {
            lock.unlock();
        }
        Thread.ofVirtual().name("aistream-timeout-cancel").start(inner::cancel);
        if (waiting != null) {
            waiting.run();
        }
    }

    /**
     * Ends the stream on the recorded timeout: returns the error chunk and queues the done chunk.
     * Caller holds the lock.
     */
    private StreamChunk timeOut() {
        end();
        queuedDone = inner.fillDone(DoneChunk.of(FinishReason.ERROR));
        String message = switch (timedOut) {
                    case FIRST_CHUNK_TIMEOUT -> "no chunk arrived within the first-chunk timeout of ";
                    case IDLE_TIMEOUT -> "no chunk arrived within the idle timeout between chunks of ";
                    default -> "the stream exceeded its total timeout of ";
                }
                + TimeMath.describe(timedOutLimit);
        return ErrorChunk.of(ChunkError.of(timedOut, message));
    }

    /** Caller holds the lock. */
    private void end() {
        ended = true;
        cancelTimers();
    }

    /** Caller holds the lock. */
    private void cancelTimers() {
        if (chunkTimer != null) {
            chunkTimer.cancel();
            chunkTimer = null;
        }
        if (totalTimer != null) {
            totalTimer.cancel();
            totalTimer = null;
        }
    }

    @Override
    public void cancel() {
        lock.lock();
        try {
            if (!cancelled) {
                cancelled = true;
                queuedDone = null;
                cancelTimers();
            }
        } finally {
            lock.unlock();
        }
        inner.cancel();
    }

    /** Delegates: the wrapped source knows the usage, provider and model. */
    @Override
    public DoneChunk fillDone(DoneChunk done) {
        return inner.fillDone(done);
    }

    @Override
    public void close() {
        cancel();
        inner.close();
    }
}
