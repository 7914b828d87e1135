package io.aistream.stream;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A blocking, pull-based, closeable sequence of items: the shape shared by {@link ChatStream} and
 * the results of the stream operators.
 *
 * <p><b>Threading.</b> {@link #next()} (and the iterator) is for one consuming thread at a time.
 * {@link #close()} may be called from any thread; it cancels the work upstream and makes a blocked
 * {@code next()} return promptly.
 *
 * <p><b>Ownership.</b> Whoever obtains a PullStream closes it (try-with-resources). Iterating to the
 * end does not make closing unnecessary, but closing twice is harmless.
 *
 * @param <T> the item type
 */
public interface PullStream<T> extends Iterable<T>, AutoCloseable {

    /**
     * Blocks until the next item is available.
     *
     * @return the next item, or empty at the end of the stream (also after {@link #close()})
     * @throws io.aistream.AIStreamException if the stream failed, or the waiting thread was
     *                                       interrupted (the interrupt flag is then set again)
     */
    Optional<T> next();

    /** Cancels upstream work and releases resources. Thread-safe, idempotent. */
    @Override
    void close();

    /** An iterator over the remaining items; it pulls with {@link #next()}. */
    @Override
    default Iterator<T> iterator() {
        return new Iterator<>() {
            private Optional<T> peeked;

            @Override
            public boolean hasNext() {
                if (peeked == null) {
                    peeked = PullStream.this.next();
                }
                return peeked.isPresent();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                T item = peeked.get();
                peeked = null;
                return item;
            }
        };
    }

    /** A sequential {@link Stream} view; closing it closes this PullStream. */
    default Stream<T> stream() {
        Spliterator<T> split =
                Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(split, false).onClose(this::close);
    }
}
