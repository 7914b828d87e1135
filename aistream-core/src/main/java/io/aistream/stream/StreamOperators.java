package io.aistream.stream;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Generic operators over {@link PullStream}: batching, mapping, merging.
 *
 * <p><b>Ownership.</b> Every operator takes ownership of the stream(s) it is given: closing the
 * result closes them (from the closing thread), and the caller should close only the result.
 * Nothing is read from an upstream before the result's first {@code next()}.
 *
 * <p><b>Threading.</b> As for every {@code PullStream}: one consuming thread at a time calls
 * {@code next()}; {@code close()} may come from any thread and makes a blocked {@code next()}
 * return empty promptly. Operators that must watch time or several sources at once ({@link #buffer
 * buffer}, {@link #merge merge}) read their upstreams on virtual threads of their own, started on
 * the first {@code next()}; the others run entirely on the consumer's thread.
 *
 * <p><b>Failures.</b> An exception thrown by an upstream's {@code next()} reaches the consumer
 * unchanged (unchecked ones keep their type; checked ones arrive wrapped as
 * {@code source_failure}), after every item that was read before it. A waiting consumer that is
 * interrupted gets an {@link io.aistream.AIStreamException} with code {@code aborted} and its
 * interrupt flag set again; the stream stays usable.
 *
 * <p><b>Loss.</b> No operator drops items on its own; only {@code close()} discards what was read
 * ahead and not yet delivered, and {@link #map(PullStream, Function, BiFunction) map}'s error
 * handler may choose to skip an item.
 */
public final class StreamOperators {
    private StreamOperators() {}

    /**
     * Groups items into batches. A batch is emitted when it holds {@code size} items, or when
     * {@code maxWait} has passed on {@code time} since its <em>first</em> item was read (a
     * scheduled task seals it, so it is emitted even while the upstream is stalled), and a last,
     * possibly smaller batch at the end. Batches are never empty and are unmodifiable.
     *
     * <p>One virtual thread reads {@code in} ahead of the consumer, by at most about two batches:
     * it stops reading while a sealed batch waits for the consumer, so a slow consumer slows the
     * upstream (backpressure) and memory stays bounded. If {@code in} fails, the batch collected so
     * far is emitted first, then {@code next()} throws the failure (and keeps throwing it).
     *
     * @param in      the upstream; owned by the result
     * @param size    the most items per batch, at least 1
     * @param maxWait how long the first item of a batch may wait for the batch to fill; positive
     * @param time    the clock and scheduler that measure {@code maxWait}
     * @param <T>     the item type
     * @return the batches, each unmodifiable and non-empty
     */
    public static <T> PullStream<List<T>> buffer(PullStream<T> in, int size, Duration maxWait, TimeSource time) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(time, "time");
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1: " + size);
        }
        TimeMath.requirePositive(maxWait, "maxWait");
        return new BufferingPullStream<>(in, size, maxWait, time);
    }

    /**
     * Transforms every item with {@code fn}, on the consumer's thread. When {@code fn} throws (a
     * {@code null} result counts as a {@link NullPointerException}), {@code onError} is asked with
     * the item and the exception: a present result replaces the item, an empty one skips it. If
     * {@code onError} itself throws, the stream fails: {@code in} is closed and {@code next()}
     * throws that exception, now and on every later call.
     *
     * <p>Exceptions thrown by {@code in} are not given to {@code onError}; they pass through.
     *
     * @param in      the upstream; owned by the result
     * @param fn      the transformation; must not return {@code null}
     * @param onError per-item fallback: replacement, skip (empty), or throw to fail the stream
     * @param <T>     the upstream item type
     * @param <R>     the result item type
     * @return the mapped stream
     */
    public static <T, R> PullStream<R> map(
            PullStream<T> in,
            Function<? super T, ? extends R> fn,
            BiFunction<? super T, ? super RuntimeException, ? extends Optional<R>> onError) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(onError, "onError");
        return new MappingPullStream<>(in, fn, onError);
    }

    /**
     * Transforms every item with {@code fn}, on the consumer's thread. If {@code fn} throws (or
     * returns {@code null}), the stream fails with that exception: {@code in} is closed and
     * {@code next()} throws it, now and on every later call.
     *
     * @param in the upstream; owned by the result
     * @param fn  the transformation; must not return {@code null}
     * @param <T> the upstream item type
     * @param <R> the result item type
     * @return the mapped stream
     */
    public static <T, R> PullStream<R> map(PullStream<T> in, Function<? super T, ? extends R> fn) {
        return map(in, fn, (item, e) -> {
            throw e;
        });
    }

    /**
     * Interleaves the items of several streams in the order they arrive. Each source is read by a
     * virtual thread of its own, which holds at most one item ahead of the consumer, so memory is
     * bounded by the number of sources and a slow consumer slows every source. Items of one source
     * keep their order.
     *
     * <p>The result ends when every source has ended. When a source fails, all sources are closed
     * at once; items that arrived before the failure are still delivered, then {@code next()}
     * throws the failure (and keeps throwing it). Closing the result closes every source.
     *
     * @param streams the sources; owned by the result. An empty list gives an empty stream.
     * @param <T>     the item type
     * @return the merged stream
     */
    public static <T> PullStream<T> merge(List<? extends PullStream<? extends T>> streams) {
        Objects.requireNonNull(streams, "streams");
        List<PullStream<? extends T>> copy = List.copyOf(streams);
        return new MergingPullStream<>(copy);
    }

    /**
     * A stream over an iterable's elements, read on the consumer's thread. The iterator is created
     * on the first {@code next()}. Closing the stream ends it; it does not touch the iterable.
     *
     * @param items the elements; not copied, so it should not change while being read
     * @param <T>   the item type
     * @return a stream over the elements
     * @throws NullPointerException from {@code next()} when it meets a {@code null} element
     */
    public static <T> PullStream<T> fromIterable(Iterable<? extends T> items) {
        Objects.requireNonNull(items, "items");
        return new IterablePullStream<>(items);
    }
}
