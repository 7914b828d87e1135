package io.aistream.server.jetty;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts open connections per client IP address and refuses one beyond {@code max}. The map holds
 * only addresses with at least one open connection (an entry is removed when its count reaches 0), so
 * it is bounded by the connection limit. Thread-safe: {@link #acquire} runs on a selector thread,
 * {@link #release} wherever a connection closes.
 */
final class AddressLimit {
    private final int max;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

    /** @param max connections per address; 0 = unlimited (nothing is counted) */
    AddressLimit(int max) {
        this.max = max;
    }

    /** Whether the limit is on. */
    boolean enabled() {
        return max > 0;
    }

    /** Takes a slot for {@code address}; false (nothing taken) when it already holds {@code max}. */
    boolean acquire(InetAddress address) {
        if (max <= 0) {
            return true;
        }
        boolean[] taken = {false};
        open.compute(address, (a, n) -> {
            int count = n == null ? 0 : n;
            if (count >= max) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        return taken[0];
    }

    /** Gives back a slot taken by {@link #acquire}. */
    void release(InetAddress address) {
        if (max > 0) {
            open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Open connections of {@code address} (counted ones). */
    int open(InetAddress address) {
        return open.getOrDefault(address, 0);
    }

    /** Addresses with open connections. */
    int addresses() {
        return open.size();
    }
}
