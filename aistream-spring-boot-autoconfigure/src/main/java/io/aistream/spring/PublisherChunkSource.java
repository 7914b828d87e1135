package io.aistream.spring;

import io.aistream.chunk.StreamChunk;
import io.aistream.stream.ChunkSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A {@link ChunkSource} over a Reactive Streams publisher. Demand is bounded: at most {@link #WINDOW}
 * chunks are requested ahead of the reader, so the queue never holds more (the publisher's signals
 * arrive on its own threads; {@link #next()} blocks the stream's reader). {@link #cancel()} cancels
 * the subscription (also when it arrives later) and unblocks a waiting reader.
 */
final class PublisherChunkSource implements ChunkSource, Subscriber<StreamChunk> {
    static final int WINDOW = 16;

    private static final Object COMPLETE = new Object();

    private final Publisher<? extends StreamChunk> publisher;
    // WINDOW chunks plus the terminal signal plus the wake-up of a cancel
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(WINDOW + 2);
    private final AtomicReference<Subscription> subscription = new AtomicReference<>();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private volatile boolean cancelled;
    private volatile Exception broken;
    private int consumed;

    PublisherChunkSource(Publisher<? extends StreamChunk> publisher) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    @Override
    public Optional<StreamChunk> next() throws Exception {
        if (subscribed.compareAndSet(false, true)) {
            publisher.subscribe(this);
        }
        if (cancelled) {
            return Optional.empty();
        }
        if (broken != null) {
            throw broken;
        }
        Object item = queue.take();
        if (item == COMPLETE || cancelled) {
            return Optional.empty();
        }
        if (item instanceof Throwable t) {
            throw t instanceof Exception e ? e : new IllegalStateException(t);
        }
        if (++consumed == WINDOW / 2) {
            consumed = 0;
            Subscription s = subscription.get();
            if (s != null) {
                s.request(WINDOW / 2);
            }
        }
        return Optional.of((StreamChunk) item);
    }

    @Override
    public void cancel() {
        cancelled = true;
        Subscription s = subscription.getAndSet(CANCELLED);
        if (s != null && s != CANCELLED) {
            s.cancel();
        }
        queue.offer(COMPLETE);
    }

    @Override
    public void onSubscribe(Subscription s) {
        if (!subscription.compareAndSet(null, s)) {
            s.cancel(); // cancelled before it arrived, or a second subscription (a broken publisher)
            return;
        }
        s.request(WINDOW);
    }

    @Override
    public void onNext(StreamChunk chunk) {
        if (!queue.offer(Objects.requireNonNull(chunk, "chunk"))) {
            // more than requested: the publisher broke the contract. The queue is full, so a reader
            // is not blocked; it sees the failure at its next call, and nothing more is accepted.
            broken = new IllegalStateException("the publisher sent more chunks than requested");
            Subscription s = subscription.getAndSet(CANCELLED);
            if (s != null && s != CANCELLED) {
                s.cancel();
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        queue.offer(t);
    }

    @Override
    public void onComplete() {
        queue.offer(COMPLETE);
    }

    private static final Subscription CANCELLED = new Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
    };
}
