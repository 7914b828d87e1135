package io.aistream.server.streams;

import io.aistream.chunk.StreamChunk;
import io.aistream.server.http.NonBlockingBody;
import io.aistream.stream.SourceReadiness;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Relays a {@link LiveStream} into a {@link NonBlockingBody} without a thread per chunk: the request thread
 * hands the stream over and parks once; each chunk is then pulled and written by whichever thread signalled
 * (the source's I/O loop when bytes arrived, the connector when a write completed, whoever cancelled the
 * stream), never blocking.
 *
 * <p><b>Threading.</b> Signals may come from several threads at once; a work-in-progress counter makes one of
 * them run the {@link #drain() drain} while the others only count, so the steps run one at a time (each
 * step's reads of the stream happen-after the previous step's, through the counter) and no signal is lost:
 * a signal that arrives during a drain makes it run once more. The drain pulls while the body is writable
 * and the source is ready, then arms the one callback it waits for. It stops, for good, on the done chunk,
 * the stream's end, a refused chunk, a failure, or {@code NEEDS_THREAD}; then it releases the request
 * thread, which is from then on the stream's only consumer (later signals find the relay stopped and do
 * nothing).
 */
final class LoopRelay {
    private final LiveStream stream;
    private final SourceReadiness readiness;
    private final NonBlockingBody body;
    private final Predicate<StreamChunk> sink;
    private final AtomicInteger work = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Runnable signal = this::signal;
    /** Set once by the drain, read by the request thread after {@code stopped}. */
    private volatile boolean over;

    private LiveStream.Pulled outcome;
    private Throwable failure;

    private LoopRelay(LiveStream stream, SourceReadiness readiness, NonBlockingBody body, Predicate<StreamChunk> sink) {
        this.stream = stream;
        this.readiness = readiness;
        this.body = body;
        this.sink = sink;
    }

    /**
     * Relays the rest of {@code stream} (its first chunk was handed over already) and returns how it ended, or
     * null when the source needs a thread: the caller then pulls the rest itself, the blocking way. Either
     * way the body is back in blocking mode, nothing in flight, and the readiness released. What the sink or
     * the stream threw on a loop thread is rethrown here. Called by the stream's consumer, which blocks.
     */
    static LiveStream.Pulled relay(
            LiveStream stream, SourceReadiness readiness, NonBlockingBody body, Predicate<StreamChunk> sink) {
        LoopRelay relay = new LoopRelay(stream, readiness, body, sink);
        boolean interrupted = false;
        try {
            try {
                body.nonBlocking(true);
            } catch (InterruptedException e) {
                interrupted = true;
                readiness.release();
                return null; // not started: the caller goes on the blocking way
            }
            relay.signal();
            interrupted = relay.await();
            readiness.release();
            interrupted |= settle(body);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (relay.failure instanceof RuntimeException e) {
            throw e;
        }
        if (relay.failure instanceof Error e) {
            throw e;
        }
        if (relay.failure != null) { // a checked exception thrown sneakily
            throw new IllegalStateException(relay.failure);
        }
        return relay.outcome;
    }

    /**
     * Waits until the drain stopped. An interrupt closes the stream (as an interrupted socket read would)
     * and the wait goes on: the close makes the source ready, so the drain ends soon. True if interrupted.
     */
    private boolean await() {
        boolean interrupted = false;
        while (true) {
            try {
                stopped.await();
                return interrupted;
            } catch (InterruptedException e) {
                if (!interrupted) {
                    interrupted = true;
                    stream.stream().close();
                }
            }
        }
    }

    /** Back to blocking mode, once the writes in flight completed. True if interrupted meanwhile. */
    private static boolean settle(NonBlockingBody body) {
        boolean interrupted = false;
        while (true) {
            try {
                body.nonBlocking(false);
                return interrupted;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    /** Any thread: something the drain may wait for happened. */
    private void signal() {
        if (work.getAndIncrement() != 0) {
            return; // the running drain goes round once more
        }
        int missed = 1;
        do {
            drain();
            missed = work.addAndGet(-missed);
        } while (missed != 0);
    }

    /** One drain step (one thread at a time): pulls while it can, then arms what it waits for. */
    private void drain() {
        if (over) {
            return;
        }
        try {
            while (true) {
                if (!body.writable()) {
                    body.onWritable(signal); // may run at once: then the drain goes round again
                    return;
                }
                switch (stream.poll(readiness)) {
                    case WAIT -> {
                        readiness.onReady(signal);
                        return;
                    }
                    case NEEDS_THREAD -> {
                        stop(null);
                        return;
                    }
                    case READY -> {
                        Optional<StreamChunk> next = stream.nextOrFailure();
                        if (next.isEmpty()) {
                            stop(LiveStream.Pulled.ENDED);
                            return;
                        }
                        LiveStream.Pulled end = stream.hand(next.get(), sink);
                        if (end != null) {
                            stop(end);
                            return;
                        }
                    }
                }
            }
        } catch (Throwable t) { // rethrown on the request thread, as if the pull had run there
            failure = t;
            stop(null);
        }
    }

    private void stop(LiveStream.Pulled how) {
        outcome = how;
        over = true;
        stopped.countDown();
    }
}
