package io.aistream.stream;

import io.aistream.chunk.StreamChunk;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link Flow.Publisher} view of a {@link ChatStream}; its contract is on
 * {@link ChatStream#publisher(Executor)}. Rules cited are those of the Reactive Streams
 * specification (§1 publisher, §2 subscriber, §3 subscription).
 */
final class ChatStreamPublisher implements Flow.Publisher<StreamChunk> {
    private final ChatStream stream;
    private final Executor executor;

    ChatStreamPublisher(ChatStream stream, Executor executor) {
        this.stream = stream;
        this.executor = executor;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super StreamChunk> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber"); // §1.9
        if (!stream.claimForPublisher()) {
            // §1.9: a rejected subscriber still gets onSubscribe first, then onError.
            subscriber.onSubscribe(Rejected.INSTANCE);
            subscriber.onError(new IllegalStateException("stream " + stream.id() + " already has a subscriber"));
            return;
        }
        new Delivery(stream, subscriber, executor).submit();
    }

    private enum Rejected implements Flow.Subscription {
        INSTANCE;

        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
    }

    /**
     * One subscription. All signals are sent by a single "drain" task at a time (§1.3): whoever moves
     * {@link #wip} from 0 submits the task, which loops until it has seen every change; onSubscribe is
     * sent by the first drain task, so even a request made inside onSubscribe cannot overtake it.
     * Requests and cancels only record and wake; they never call the subscriber (§3.3).
     */
    private static final class Delivery implements Flow.Subscription, Runnable {
        private final ChatStream stream;
        private final Executor executor;
        private final AtomicLong demand = new AtomicLong();
        /** Drain requests not yet seen; starts at 1, held by the task that sends onSubscribe. */
        private final AtomicInteger wip = new AtomicInteger(1);

        private volatile Flow.Subscriber<? super StreamChunk> subscriber;
        private volatile boolean cancelled;
        private volatile Throwable badRequest;
        private boolean subscribed; // drain-task only
        private boolean terminated; // drain-task only

        Delivery(ChatStream stream, Flow.Subscriber<? super StreamChunk> subscriber, Executor executor) {
            this.stream = stream;
            this.subscriber = subscriber;
            this.executor = executor;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = new IllegalArgumentException("§3.9: request must be positive, was " + n);
            } else {
                // §3.17: demand saturates at Long.MAX_VALUE, which means unbounded.
                demand.getAndUpdate(d -> d + n < 0 ? Long.MAX_VALUE : d + n);
            }
            if (wip.getAndIncrement() == 0) {
                submit();
            }
        }

        @Override
        public void cancel() {
            // §3.5, §3.7: idempotent, quick; closing unblocks a drain waiting in next().
            cancelled = true;
            subscriber = null; // §3.13
            stream.close();
        }

        private void submit() {
            try {
                executor.execute(this);
            } catch (RuntimeException rejected) {
                // We own the drain (wip > 0), so signalling from here is still serial.
                Flow.Subscriber<? super StreamChunk> s = subscriber;
                stream.close();
                if (s != null && !terminated) {
                    terminated = true;
                    subscriber = null;
                    if (!subscribed) {
                        subscribed = true;
                        s.onSubscribe(Rejected.INSTANCE);
                    }
                    s.onError(rejected);
                }
            }
        }

        @Override
        public void run() {
            int missed = 1;
            do {
                drain();
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }

        private void drain() {
            Flow.Subscriber<? super StreamChunk> s = subscriber;
            if (s == null || terminated) {
                return;
            }
            if (!subscribed) {
                subscribed = true;
                try {
                    s.onSubscribe(this);
                } catch (Throwable t) {
                    abandon(); // §2.13: a throwing subscriber is treated as cancelled
                    return;
                }
            }
            while (!cancelled) {
                Throwable error = badRequest;
                if (error != null) {
                    stream.close();
                    terminate().onError(error);
                    return;
                }
                if (stream.isDone()) {
                    terminate().onComplete(); // §1.6: after the done (or a close), complete without demand
                    return;
                }
                if (demand.get() == 0) {
                    return;
                }
                Optional<StreamChunk> chunk;
                try {
                    chunk = stream.next();
                } catch (RuntimeException e) {
                    stream.close();
                    if (!cancelled) {
                        terminate().onError(e);
                    }
                    return;
                }
                if (cancelled) {
                    return; // §3.6: nothing after cancel, even a chunk already pulled
                }
                if (chunk.isEmpty()) {
                    continue; // the stream is done now; the loop completes
                }
                if (demand.get() != Long.MAX_VALUE) {
                    demand.decrementAndGet();
                }
                try {
                    s.onNext(chunk.get());
                } catch (Throwable t) {
                    abandon();
                    return;
                }
            }
        }

        private Flow.Subscriber<? super StreamChunk> terminate() {
            Flow.Subscriber<? super StreamChunk> s = subscriber;
            terminated = true;
            subscriber = null; // §1.6, §3.13: after a terminal signal, hold no reference
            return s != null ? s : NoSubscriber.INSTANCE;
        }

        private void abandon() {
            cancelled = true;
            subscriber = null;
            stream.close();
        }
    }

    /** Absorbs a terminal signal that races with a cancel (the cancel already dropped the subscriber). */
    private enum NoSubscriber implements Flow.Subscriber<StreamChunk> {
        INSTANCE;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {}

        @Override
        public void onNext(StreamChunk item) {}

        @Override
        public void onError(Throwable throwable) {}

        @Override
        public void onComplete() {}
    }
}
