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
    private sealed interface Event<T> permits Item, End, Failure {}

    private record Item<T>(T value) implements Event<T> {}

    private record End<T>() implements Event<T> {}

    private record Failure<T>(RuntimeException e) implements Event<T> {}

    private final LinkedBlockingQueue<Event<T>> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger taken = new AtomicInteger();
    private final AtomicInteger inside = new AtomicInteger();
    private volatile Thread reader;

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
        reader = Thread.currentThread();
        inside.incrementAndGet();
        try {
            return take();
        } finally {
            inside.decrementAndGet();
        }
    }

    private Optional<T> take() {
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

    /**
     * Whether the thread that last called {@link #next()} is now parked somewhere else, or has ended:
     * the event that an operator reading this stream stopped reading, which a test waits for instead
     * of watching the clock. False before the first call.
     */
    boolean readerIdle() {
        Thread t = reader;
        if (t == null || inside.get() > 0) {
            return false;
        }
        Thread.State state = t.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.TERMINATED;
    }

    /** How many items next() has handed out. */
    int taken() {
        return taken.get();
    }
}
