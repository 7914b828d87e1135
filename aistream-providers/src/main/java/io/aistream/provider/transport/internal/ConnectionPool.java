package io.aistream.provider.transport.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Idle keep-alive connections per {@link Endpoint}: at most {@code maxIdlePerEndpoint} each, none
 * older than the idle timeout.
 *
 * <p>Expiry is checked on every checkout and return (all endpoints at most every quarter of the
 * timeout), and by {@link #sweep()}, which the transport has {@link IdleSweeper} call every quarter of
 * the timeout so that a pool nobody uses any more is emptied too. The most recently returned connection
 * is handed out first; when an endpoint's idle list is full, its oldest connection is closed.
 *
 * <p>Thread-safe. Sockets are closed outside the lock.
 */
final class ConnectionPool {
    private final int maxIdlePerEndpoint;
    private final long idleTimeoutNanos;
    private final LongSupplier nanoTime;
    private final Map<Endpoint, ArrayDeque<HttpConnection>> idle = new HashMap<>();
    private long lastSweep;

    /**
     * @param maxIdlePerEndpoint idle connections kept per endpoint; 0 keeps none
     * @param idleTimeout        how long an idle connection is kept
     * @param nanoTime           the clock ({@link System#nanoTime()} but in tests)
     */
    ConnectionPool(int maxIdlePerEndpoint, Duration idleTimeout, LongSupplier nanoTime) {
        this.maxIdlePerEndpoint = maxIdlePerEndpoint;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.nanoTime = nanoTime;
        this.lastSweep = nanoTime.getAsLong();
    }

    /** An idle connection to {@code endpoint} that still looks usable, or null. */
    HttpConnection checkout(Endpoint endpoint) {
        if (maxIdlePerEndpoint == 0) {
            return null;
        }
        List<HttpConnection> toClose = new ArrayList<>(0);
        HttpConnection found = null;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            sweepIfDue(now, toClose);
            ArrayDeque<HttpConnection> list = idle.get(endpoint);
            while (list != null && found == null && !list.isEmpty()) {
                HttpConnection c = list.pollLast();
                if (expired(c, now)) {
                    toClose.add(c);
                    toClose.addAll(list); // older still
                    list.clear();
                } else {
                    found = c;
                }
            }
            if (list != null && list.isEmpty()) {
                idle.remove(endpoint);
            }
        }
        closeAll(toClose);
        if (found != null && !found.looksReusable()) {
            found.close();
            return checkout(endpoint);
        }
        return found;
    }

    /** Keeps {@code c} for reuse (or closes it when there is no room). */
    void checkin(HttpConnection c) {
        if (maxIdlePerEndpoint == 0 || c.isClosed()) {
            c.close();
            return;
        }
        List<HttpConnection> toClose = new ArrayList<>(0);
        synchronized (this) {
            long now = nanoTime.getAsLong();
            sweepIfDue(now, toClose);
            ArrayDeque<HttpConnection> list = idle.computeIfAbsent(c.endpoint(), e -> new ArrayDeque<>());
            while (list.size() >= maxIdlePerEndpoint) {
                toClose.add(list.pollFirst());
            }
            c.markIdle(now);
            list.addLast(c);
        }
        closeAll(toClose);
    }

    /** Closes the idle connections older than the idle timeout, now. */
    void sweep() {
        List<HttpConnection> toClose = new ArrayList<>(0);
        synchronized (this) {
            long now = nanoTime.getAsLong();
            lastSweep = now - idleTimeoutNanos; // due now
            sweepIfDue(now, toClose);
        }
        closeAll(toClose);
    }

    /** How often {@link #sweep()} should run: a quarter of the idle timeout. */
    Duration sweepPeriod() {
        return Duration.ofNanos(Math.max(idleTimeoutNanos / 4, 1));
    }

    /** Closes every idle connection. */
    void closeIdle() {
        List<HttpConnection> toClose = new ArrayList<>();
        synchronized (this) {
            idle.values().forEach(toClose::addAll);
            idle.clear();
        }
        closeAll(toClose);
    }

    /** Idle connections kept for {@code endpoint} now. */
    synchronized int idleCount(Endpoint endpoint) {
        ArrayDeque<HttpConnection> list = idle.get(endpoint);
        return list == null ? 0 : list.size();
    }

    private boolean expired(HttpConnection c, long now) {
        return now - c.idleSince() >= idleTimeoutNanos;
    }

    private void sweepIfDue(long now, List<HttpConnection> toClose) {
        if (now - lastSweep < idleTimeoutNanos / 4) {
            return;
        }
        lastSweep = now;
        for (Iterator<ArrayDeque<HttpConnection>> it = idle.values().iterator(); it.hasNext(); ) {
            ArrayDeque<HttpConnection> list = it.next();
            while (!list.isEmpty() && expired(list.peekFirst(), now)) {
                toClose.add(list.pollFirst());
            }
            if (list.isEmpty()) {
                it.remove();
            }
        }
    }

    private static void closeAll(List<HttpConnection> connections) {
        for (HttpConnection c : connections) {
            c.close();
        }
    }
}
