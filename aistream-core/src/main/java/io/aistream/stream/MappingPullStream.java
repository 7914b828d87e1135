package io.aistream.stream;

import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/** {@link StreamOperators#map}: runs entirely on the consumer's thread. */
final class MappingPullStream<T, R> implements PullStream<R> {
    private final PullStream<T> in;
    private final Function<? super T, ? extends R> fn;
    private final BiFunction<? super T, ? super RuntimeException, ? extends Optional<R>> onError;
    private volatile boolean closed;
    private RuntimeException failure;

    MappingPullStream(
            PullStream<T> in,
            Function<? super T, ? extends R> fn,
            BiFunction<? super T, ? super RuntimeException, ? extends Optional<R>> onError) {
        this.in = in;
        this.fn = fn;
        this.onError = onError;
    }

    @Override
    public Optional<R> next() {
        while (true) {
            if (closed) {
                return Optional.empty();
            }
            if (failure != null) {
                throw failure;
            }
            Optional<T> item = in.next();
            if (item.isEmpty()) {
                return Optional.empty();
            }
            T value = item.get();
            R mapped;
            try {
                mapped = fn.apply(value);
                if (mapped == null) {
                    throw new NullPointerException("map function returned null for " + value);
                }
                return Optional.of(mapped);
            } catch (RuntimeException e) {
                Optional<R> fallback;
                try {
                    fallback = onError.apply(value, e);
                    if (fallback == null) {
                        throw new NullPointerException("map error handler returned null instead of an Optional");
                    }
                } catch (RuntimeException handlerFailure) {
                    failure = handlerFailure;
                    in.close();
                    throw handlerFailure;
                }
                if (fallback.isPresent()) {
                    return fallback;
                }
                // empty: skip this item and read the next one
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        in.close();
    }
}
