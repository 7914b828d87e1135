package io.aistream.server.streams;

import io.aistream.stream.TimeSource;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write lock, idle clock and keep-alive timer of one SSE response (the native protocol's
 * {@code SseSession}, the AI SDK's {@code UiStreamSession}, OpenAI's {@code OpenAiSse}); the session keeps
 * its own writer and format and hands its writes to {@link #write}.
 *
 * <p><b>Timing.</b> {@link #start} stamps the idle clock and arms the timer; every {@link #write}
 * stamps it again, under the lock, before its bytes leave. When the timer fires after less than
 * {@code interval} of silence it re-arms for the rest; otherwise {@code writeComment} runs, so a
 * keep-alive goes out only after {@code interval} of silence since the last write.
 *
 * <p><b>Threading.</b> The timer runs on the injected {@link TimeSource}'s thread and must not
 * block, so it hands the keep-alive to a virtual thread that takes the same lock as the session's
 * writes (at most one write in flight) and checks idleness again once it has it.
 *
 * <p><b>Failure.</b> A write that throws a {@link RuntimeException} (the client went away) marks the
 * session failed and runs {@code onFailure} once. No keep-alive after failure or {@link #close}.
 */
public final class KeepAlive {
    private final TimeSource time;
    private final long intervalNanos;
    private final String threadName;
    private final Runnable writeComment;
    private final Runnable onFailure;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long lastWriteNanos;
    private volatile boolean closed;
    private volatile boolean failed;
    private volatile TimeSource.Cancellable timer;

    /**
     * @param writeComment   writes the keep-alive comment and flushes; runs under the lock
     * @param onFailure      runs once, on the first failed write
     */
    public KeepAlive(TimeSource time, Duration interval, String threadName, Runnable writeComment, Runnable onFailure) {
        this.time = time;
        this.intervalNanos = interval.toNanos();
        this.threadName = threadName;
        this.writeComment = writeComment;
        this.onFailure = onFailure;
    }

    /** Stamps the idle clock and arms the timer: the session's opening counts as a write. */
    public void start() {
        lastWriteNanos = time.nanoTime();
        schedule(intervalNanos);
    }

    /**
     * Runs {@code writes} (which flush) under the lock, the idle clock stamped first; false if the
     * session is closed or failed, or the writes threw.
     */
    public boolean write(Runnable writes) {
        if (failed || closed) {
            return false;
        }
        lock.lock();
        try {
            // stamped before the bytes leave: whoever sees them sees this time (exact with a virtual clock)
            lastWriteNanos = time.nanoTime();
            writes.run();
            return true;
        } catch (RuntimeException e) {
            fail();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code writes} (which flush) under the lock, neither checking nor stamping: for bytes that
     * belong to the opening, which {@link #start} stamped.
     */
    public void writeOpening(Runnable writes) {
        lock.lock();
        try {
            writes.run();
        } catch (RuntimeException e) {
            fail();
        } finally {
            lock.unlock();
        }
    }

    public boolean failed() {
        return failed;
    }

    /** Closed or failed: writes return false at once. */
    public boolean stopped() {
        return failed || closed;
    }

    /**
     * Stops the keep-alives, then runs {@code closeWriter} (the last write) under the lock; a
     * {@link RuntimeException} from it is ignored (the client is gone; nothing left to tell it).
     */
    public void close(Runnable closeWriter) {
        closed = true;
        TimeSource.Cancellable t = timer;
        if (t != null) {
            t.cancel();
        }
        lock.lock();
        try {
            closeWriter.run();
        } catch (RuntimeException e) {
            // the client is gone; nothing left to tell it
        } finally {
            lock.unlock();
        }
    }

    private void fail() {
        if (!failed) {
            failed = true;
            onFailure.run();
        }
    }

    private void schedule(long delayNanos) {
        if (closed) {
            return;
        }
        timer = time.schedule(Duration.ofNanos(delayNanos), this::due);
        if (closed) {
            timer.cancel();
        }
    }

    /** On the time source's thread: must not block. */
    private void due() {
        if (closed || failed) {
            return;
        }
        long idle = time.nanoTime() - lastWriteNanos;
        if (idle < intervalNanos) {
            schedule(intervalNanos - idle);
            return;
        }
        Thread.ofVirtual().name(threadName).start(this::writeKeepAlive);
    }

    private void writeKeepAlive() {
        lock.lock(); // behind a write in flight, if any; then idleness is checked again
        try {
            if (closed || failed) {
                return;
            }
            long now = time.nanoTime();
            long idle = now - lastWriteNanos;
            if (idle < intervalNanos) {
                schedule(intervalNanos - idle);
                return;
            }
            lastWriteNanos = now;
            schedule(intervalNanos); // before the bytes leave, like the stamp
            writeComment.run();
        } catch (RuntimeException e) {
            fail();
        } finally {
            lock.unlock();
        }
    }
}
