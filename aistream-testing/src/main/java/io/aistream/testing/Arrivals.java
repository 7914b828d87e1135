package io.aistream.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Things that arrive in order (connections, requests), each awaitable by its index. Thread-safe. */
final class Arrivals<T> {
    private final String what;
    private final List<T> items = new ArrayList<>();
    private final List<CompletableFuture<T>> futures = new ArrayList<>();

    Arrivals(String what) {
        this.what = what;
    }

    void add(T item) {
        CompletableFuture<T> future;
        synchronized (this) {
            items.add(item);
            future = future(items.size() - 1);
        }
        future.complete(item);
    }

    synchronized List<T> snapshot() {
        return List.copyOf(items);
    }

    synchronized int size() {
        return items.size();
    }

    /** Completes with the item at {@code index} once it has arrived. */
    synchronized CompletableFuture<T> future(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("index " + index);
        }
        while (futures.size() <= index) {
            futures.add(new CompletableFuture<>());
        }
        return futures.get(index);
    }

    /** The item at {@code index}, waiting up to {@code guard} for it; an {@link AssertionError} if it does not come. */
    T await(int index, Duration guard) {
        try {
            return future(index).get(guard.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(
                    what + " " + index + " (from 0) did not arrive within " + guard.toMillis() + " ms; got " + size(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what + " " + index, e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }
}
