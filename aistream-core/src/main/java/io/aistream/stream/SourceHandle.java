package io.aistream.stream;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Guards one {@link ChunkSource}: {@code next()} from the reading thread, {@code cancel()} from any
 * thread, and {@code close()} exactly once, never while a {@code next()} is running.
 *
 * <p>Whoever stops the source (a cancel from another thread, or the reader at the end) tries to close
 * it at once; if the reader is inside {@code next()} at that moment, the reader closes it as soon as
 * {@code next()} returns.
 */
final class SourceHandle {
    private static final System.Logger LOG = System.getLogger(ChatStream.class.getName());

    private final ChunkSource source;
    private final ReentrantLock reading = new ReentrantLock();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean stopped;
    /** The readiness callback armed last: a cancel wakes it. */
    private final ArmedCallback armed = new ArmedCallback();

    SourceHandle(ChunkSource source) {
        this.source = source;
    }

    /** The source's next chunk; empty without asking the source once the handle is stopped. */
    Optional<StreamChunk> next() throws Exception {
        reading.lock();
        try {
            if (stopped) {
                return Optional.empty();
            }
            return source.next();
        } finally {
            reading.unlock();
            if (stopped) {
                closeIfIdle();
            }
        }
    }

    /**
     * The source's {@link ChunkSource#fillDone}; any thread, also after close. A source that throws
     * breaks its contract; the done then stays as it was (the stream must still end).
     */
    DoneChunk fillDone(DoneChunk done) {
        try {
            DoneChunk filled = source.fillDone(done);
            return filled != null ? filled : done;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "filling a made-up done chunk failed", e);
            return done;
        }
    }

    /**
     * The source's readiness, guarded like {@link #next()}: once the handle is stopped, {@code poll()} answers
     * {@code READY} without asking the source (the next read returns at once), and a poll never runs while the
     * source is being closed.
     */
    Optional<SourceReadiness> readiness() {
        return source.readiness().map(GuardedReadiness::new);
    }

    private final class GuardedReadiness implements SourceReadiness {
        private final SourceReadiness inner;

        GuardedReadiness(SourceReadiness inner) {
            this.inner = inner;
        }

        @Override
        public State poll() {
            reading.lock();
            try {
                if (stopped) {
                    return State.READY;
                }
                return inner.poll();
            } finally {
                reading.unlock();
                if (stopped) {
                    closeIfIdle();
                }
            }
        }

        @Override
        public void onReady(Runnable callback) {
            armed.arm(callback);
            inner.onReady(armed.waker());
            if (stopped) { // cancelled meanwhile: the source may not call back any more
                armed.wake();
            }
        }

        @Override
        public void release() {
            inner.release();
        }
    }

    /** Whether the source was cancelled or finished: results of a {@code next()} then count for nothing. */
    boolean isStopped() {
        return stopped;
    }

    /** Cancels the source (once) and closes it as soon as no {@code next()} is running. Any thread. */
    void cancel() {
        stopped = true;
        if (!closed.get() && cancelled.compareAndSet(false, true)) {
            source.cancel();
        }
        closeIfIdle();
        armed.wake(); // an event loop waiting for this stream's source: the next poll answers READY
    }

    /** The normal end: no more reads; close the source without cancelling it. */
    void finish() {
        stopped = true;
        closeIfIdle();
    }

    private void closeIfIdle() {
        if (closed.get() || !reading.tryLock()) {
            return; // already closed, or the reader is in next() and will close on its way out
        }
        try {
            if (closed.compareAndSet(false, true)) {
                source.close();
            }
        } catch (RuntimeException e) {
            // The stream is over either way; a failing close must not hide its outcome.
            LOG.log(System.Logger.Level.DEBUG, "closing a chunk source failed", e);
        } finally {
            reading.unlock();
        }
    }
}
