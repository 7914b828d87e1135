package io.aistream.stream;

import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;

/** {@link StreamOperators#fromIterable}: reads an iterator on the consumer's thread. */
final class IterablePullStream<T> implements PullStream<T> {
    private final Iterable<? extends T> items;
    private Iterator<? extends T> iterator;
    private volatile boolean closed;

    IterablePullStream(Iterable<? extends T> items) {
        this.items = items;
    }

    @Override
    public Optional<T> next() {
        if (closed) {
            return Optional.empty();
        }
        if (iterator == null) {
            iterator = items.iterator();
        }
        if (!iterator.hasNext()) {
            return Optional.empty();
        }
        return Optional.of(Objects.requireNonNull(iterator.next(), "null element"));
    }

    @Override
    public void close() {
        closed = true;
    }
}
