package io.aistream.servlet.ws;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The gateway's "read the next frame only on demand()" on Jakarta WebSocket, which has no demand: the
 * container thread that delivers a frame first waits here until the handler has demanded one. While
 * it waits the container reads nothing more from that socket, so a client that does not read its
 * answers is not read either (the gateway's own back-pressure then closes it). The wait is bounded
 * by the socket's idle timeout: a handler that demands nothing for that long has a socket the
 * container would drop anyway, and a container thread must not be held longer. Thread-safe.
 */
final class WsDemand {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition demanded = lock.newCondition();
    private final long boundNanos;
    private long pending;
    private boolean closed;

    WsDemand(Duration bound) {
        this.boundNanos = bound.toNanos();
    }

    /** The handler asks for one more frame. */
    void demand() {
        lock.lock();
        try {
            pending++;
            demanded.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits (at most the bound) until a frame was demanded, and takes that demand.
     *
     * @return false when the socket closed or the bound passed without a demand
     */
    boolean take() {
        lock.lock();
        try {
            long left = boundNanos;
            while (pending == 0 && !closed) {
                if (left <= 0) {
                    return false;
                }
                left = demanded.awaitNanos(left);
            }
            if (pending == 0) {
                return false;
            }
            pending--;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The socket closed: nobody waits any more. */
    void close() {
        lock.lock();
        try {
            closed = true;
            demanded.signalAll();
        } finally {
            lock.unlock();
        }
    }

    static long millis(Duration d) {
        return TimeUnit.NANOSECONDS.toMillis(d.toNanos());
    }
}
