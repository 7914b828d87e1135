package io.aistream.stream;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pull stream the test feeds by hand: {@link #next()} blocks until the test pushes an item, the
 * end or a failure, or until {@link #close()}. Records close and counts items handed out.
 */
final class ScriptedPullStream<T> implements PullStream<T> {
    private sealed interface Event<T> permits Item, End, Failure {
    }

    private record Item<T>(T value) implements Event<T> {
    }

    private record End<T>() implements Event<T> {
    }

    private record Failure<T>(RuntimeException e) implements Event<T> {
    }

    private final LinkedBlockingQueue<Event<T>> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger taken = new AtomicInteger();

    @SafeVarargs
    final ScriptedPullStream<T> push(T... items) {
        for (T item : items) {
            events.add(new Item<>(item));
        }
        return this;
    }

    ScriptedPullStream<T> end() {
        events.add(new End<>());
        return this;
    }

    void fail(RuntimeException e) {
        events.add(new Failure<>(e));
    }

    @Override
    public Optional<T> next() {
        if (closed.get()) {
            return Optional.empty();
        }
        Event<T> e;
        try {
            e = events.take();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new AIStreamException(ErrorCode.ABORTED, "interrupted", ie);
        }
        return switch (e) {
            case Item<T> item -> {
                if (closed.get()) {
                    yield Optional.empty();
                }
                taken.incrementAndGet();
                yield Optional.of(item.value());
            }
            case End<T> end -> {
                events.add(end);
                yield Optional.empty();
            }
            case Failure<T> f -> throw f.e();
        };
    }

    @Override
    public void close() {
        closed.set(true);
        events.add(new End<>());
    }

    boolean closed() {
        return closed.get();
    }

    /** How many items next() has handed out. */
    int taken() {
        return taken.get();
    }
}
