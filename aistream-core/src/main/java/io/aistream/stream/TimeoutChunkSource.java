package io.aistream.stream;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link ChunkSources#withTimeouts}. A reader virtual thread calls {@code inner.next()} once per
 * request ({@code demand}); the consumer waits on {@code changed} until the result arrives or a
 * scheduled deadline task marks a timeout. On a timeout the inner source is cancelled and the
 * consumer gets an error chunk, then a done chunk, then the end.
 */
final class TimeoutChunkSource implements ChunkSource {
    /** What the reader hands over: a chunk, the end, or a failure. */
    private record Result(Optional<StreamChunk> chunk, Throwable failure) {
    }

    private final ChunkSource inner;
    private final Timeouts limits;
    private final TimeSource time;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // guarded by lock
    private final ArrayDeque<StreamChunk> tail = new ArrayDeque<>();
    private boolean started;
    private boolean demand;
    private Result result;
    private boolean seenFirst;
    private boolean pastDone;
    private boolean ended;
    private boolean cancelled;
    private ErrorCode timedOut;
    private Duration timedOutLimit;
    private long chunkTimerId;
    private TimeSource.Cancellable chunkTimer;
    private TimeSource.Cancellable totalTimer;
    private Thread reader;

    TimeoutChunkSource(ChunkSource inner, Timeouts limits, TimeSource time) {
        this.inner = inner;
        this.limits = limits;
        this.time = time;
    }

    @Override
    public Optional<StreamChunk> next() throws Exception {
        Result r;
        StreamChunk timeoutError;
        lock.lock();
        try {
            StreamChunk queued = tail.poll();
            if (queued != null) {
                return Optional.of(queued);
            }
            if (ended || cancelled) {
                return Optional.empty();
            }
            if (!started) {
                started = true;
                limits.total().ifPresent(d -> totalTimer = time.schedule(d, () -> onDeadline(-1, ErrorCode.TOTAL_TIMEOUT, d)));
                reader = Thread.ofVirtual().name("aistream-timeout-reader").start(this::readLoop);
            }
            if (!demand && result == null && timedOut == null) {
                demand = true;
                Optional<Duration> limit = pastDone ? Optional.empty()
                        : seenFirst ? limits.idleBetweenChunks() : limits.firstChunk();
                ErrorCode code = seenFirst ? ErrorCode.IDLE_TIMEOUT : ErrorCode.FIRST_CHUNK_TIMEOUT;
                if (limit.isPresent()) {
                    long id = ++chunkTimerId;
                    Duration d = limit.get();
                    chunkTimer = time.schedule(d, () -> onDeadline(id, code, d));
                }
                changed.signalAll();
            }
            // An InterruptedException leaves the request outstanding; the next call resumes waiting.
            while (result == null && timedOut == null && !cancelled) {
                changed.await();
            }
            if (cancelled) {
                return Optional.empty();
            }
            if (result == null) {
                timeoutError = timeOut();
                r = null;
            } else {
                timeoutError = null;
                r = result;
                result = null;
                cancelChunkTimer();
                if (r.failure() != null || r.chunk().isEmpty()) {
                    ended = true;
                    cancelTotalTimer();
                } else {
                    seenFirst = true;
                    if (r.chunk().get() instanceof DoneChunk) {
                        pastDone = true; // the limits end with the done chunk; later reads pass through
                        cancelTotalTimer();
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (timeoutError != null) {
            stopInner();
            return Optional.of(timeoutError);
        }
        if (r.failure() != null) {
            if (r.failure() instanceof Exception e) {
                throw e;
            }
            throw (Error) r.failure();
        }
        return r.chunk();
    }

    /**
     * Ends the stream on the recorded timeout: returns the error chunk and queues the done chunk.
     * Caller holds the lock, and stops the inner source after releasing it.
     */
    private StreamChunk timeOut() {
        ended = true;
        cancelChunkTimer();
        cancelTotalTimer();
        tail.add(DoneChunk.of(FinishReason.ERROR));
        String message = switch (timedOut) {
            case FIRST_CHUNK_TIMEOUT -> "no chunk arrived within the first-chunk timeout of ";
            case IDLE_TIMEOUT -> "no chunk arrived within the idle timeout between chunks of ";
            default -> "the stream exceeded its total timeout of ";
        } + TimeMath.describe(timedOutLimit);
        return ErrorChunk.of(ChunkError.of(timedOut, message));
    }

    private void onDeadline(long timerId, ErrorCode code, Duration limit) {
        boolean fire;
        lock.lock();
        try {
            // A chunk that arrived before the deadline still counts; a done chunk that did ends the limits.
            boolean current = timerId < 0
                    ? !pastDone && !(result != null && result.chunk().orElse(null) instanceof DoneChunk)
                    : timerId == chunkTimerId && result == null;
            fire = current && !ended && !cancelled && timedOut == null;
            if (fire) {
                timedOut = code;
                timedOutLimit = limit;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (fire) {
            // Stop the upstream now even if no consumer is waiting; scheduler tasks must not block.
            Thread.ofVirtual().name("aistream-timeout-cancel").start(this::stopInner);
        }
    }

    private void readLoop() {
        while (true) {
            lock.lock();
            try {
                while (!demand && !cancelled && !ended) {
                    changed.awaitUninterruptibly();
                }
                if (cancelled || ended) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            Result r;
            try {
                r = new Result(inner.next(), null);
            } catch (Throwable t) {
                r = new Result(Optional.empty(), t);
            }
            lock.lock();
            try {
                demand = false;
                // After a deadline fired, the inner source is being cancelled: whatever it returns
                // now (typically an early end) must not pre-empt the timeout.
                if (cancelled || ended || timedOut != null) {
                    return;
                }
                result = r;
                changed.signalAll();
                if (r.failure() != null || r.chunk().isEmpty()) {
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void cancelChunkTimer() {
        chunkTimerId++;
        if (chunkTimer != null) {
            chunkTimer.cancel();
            chunkTimer = null;
        }
    }

    private void cancelTotalTimer() {
        if (totalTimer != null) {
            totalTimer.cancel();
            totalTimer = null;
        }
    }

    /** Cancels the inner source and wakes the reader if it waits on something else. */
    private void stopInner() {
        inner.cancel();
        Thread r;
        lock.lock();
        try {
            r = reader;
        } finally {
            lock.unlock();
        }
        if (r != null) {
            r.interrupt();
        }
    }

    @Override
    public void cancel() {
        lock.lock();
        try {
            if (!cancelled) {
                cancelled = true;
                tail.clear();
                cancelChunkTimer();
                cancelTotalTimer();
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        stopInner();
    }

    @Override
    public void close() {
        cancel();
        inner.close();
    }
}
