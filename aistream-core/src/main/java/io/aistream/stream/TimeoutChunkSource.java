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

    /** The callback an event loop armed through {@link #readiness()}: run (once) when a limit passes. */
    private final ArmedCallback armed = new ArmedCallback();

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
            startOnce();
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

    /** Caller holds the lock: the total limit runs from the first pull. */
    private void startOnce() {
        if (!started) {
            started = true;
            limits.total().ifPresent(d -> totalTimer = time.schedule(d, () -> onDeadline(ErrorCode.TOTAL_TIMEOUT, d)));
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
            armed.wake();
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
            armed.wake();
        }
    }

    /** Stops the upstream now, even if no consumer is waiting; timer tasks must not block, so on a virtual thread. */
    private void stopInnerAsync() {
        Thread.ofVirtual().name("aistream-timeout-cancel").start(inner::cancel);
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

    /**
     * The inner source's readiness, with the limits: {@code poll()} answers {@code READY} once a limit
     * passed ({@link #next()} then returns the timeout's error at once), and the watchdog runs the armed
     * callback when it fires, whether or not the inner source wakes its consumer on cancel. A consumer
     * parked on its event loop after {@code WAIT} is waiting for a chunk exactly as one blocked in
     * {@code next()}: the wait (for the idle and first-chunk limits) begins at the first poll after a chunk
     * and lasts until the next {@code next()} returns one.
     */
    @Override
    public Optional<SourceReadiness> readiness() {
        return inner.readiness().map(TimedReadiness::new);
    }

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
                startOnce();
                if (waitDeadline == NOT_WAITING) {
                    beginWait(); // a poll that finds nothing leaves the consumer waiting from here
                }
            } finally {
                lock.unlock();
            }
            State state = source.poll();
            lock.lock();
            try {
                return timedOut != null || cancelled ? State.READY : state;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onReady(Runnable callback) {
            armed.arm(callback);
            source.onReady(armed.waker());
            boolean late;
            lock.lock();
            try {
                late = timedOut != null || cancelled;
            } finally {
                lock.unlock();
            }
            if (late) { // the watchdog fired before the callback was armed
                armed.wake();
            }
        }

        @Override
        public void release() {
            armed.disarm();
            source.release();
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
        armed.wake();
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
