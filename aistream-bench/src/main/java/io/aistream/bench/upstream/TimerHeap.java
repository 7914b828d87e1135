package io.aistream.bench.upstream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A binary min-heap of items keyed by a {@link System#nanoTime()} deadline: a {@link Pacer}'s
 * "next chunk due" timer. The deadlines sit in a {@code long[]} beside the items, so sifting
 * compares array elements instead of following a reference per comparison (at a thousand streams
 * that is the difference between cache hits and misses). Deadlines are compared by difference,
 * as {@code nanoTime} values must be.
 *
 * <p>Not thread-safe: owned by one pacer thread.
 *
 * @param <T> the items
 */
final class TimerHeap<T> {
    private long[] due = new long[64];
    private Object[] items = new Object[64];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The earliest deadline; only when not empty. */
    long firstDue() {
        return due[0];
    }

    /** Adds {@code item} due at {@code deadline}. */
    void add(long deadline, T item) {
        if (size == due.length) {
            due = Arrays.copyOf(due, size * 2);
            items = Arrays.copyOf(items, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (deadline - due[parent] >= 0) {
                break;
            }
            due[i] = due[parent];
            items[i] = items[parent];
            i = parent;
        }
        due[i] = deadline;
        items[i] = item;
    }

    /** Removes and returns the earliest item; only when not empty. */
    @SuppressWarnings("unchecked")
    T poll() {
        T first = (T) items[0];
        int last = --size;
        long d = due[last];
        Object item = items[last];
        items[last] = null;
        if (last > 0) {
            int i = 0;
            int half = last >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                int right = child + 1;
                if (right < last && due[right] - due[child] < 0) {
                    child = right;
                }
                if (d - due[child] <= 0) {
                    break;
                }
                due[i] = due[child];
                items[i] = items[child];
                i = child;
            }
            due[i] = d;
            items[i] = item;
        }
        return first;
    }

    /** Removes and returns every item. */
    @SuppressWarnings("unchecked")
    List<T> clear() {
        List<T> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            all.add((T) items[i]);
            items[i] = null;
        }
        size = 0;
        return all;
    }
}
