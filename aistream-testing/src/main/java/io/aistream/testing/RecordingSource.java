package io.aistream.testing;

import io.aistream.stream.ChunkSource;
import java.util.concurrent.CompletableFuture;

/**
 * What the test sources share: {@link #cancel()} and {@link #close()} recorded as events with the
 * {@link System#nanoTime()} of their first call. A close is never a cancellation. Thread-safe.
 */
abstract class RecordingSource implements ChunkSource {
    private final CompletableFuture<Long> cancelled = new CompletableFuture<>();
    private final CompletableFuture<Long> closed = new CompletableFuture<>();

    RecordingSource() {}

    /** Records the cancel; the first one also runs {@link #onFirstCancel()}. */
    @Override
    public final void cancel() {
        if (cancelled.complete(System.nanoTime())) {
            onFirstCancel();
        }
    }

    /** What the source does beyond recording when it is first cancelled; nothing by default. */
    void onFirstCancel() {}

    /** Records the close; closing is not a cancellation. */
    @Override
    public final void close() {
        closed.complete(System.nanoTime());
    }

    /** Completes with the {@link System#nanoTime()} of the first {@link #cancel()}. */
    public final CompletableFuture<Long> cancelled() {
        return cancelled;
    }

    /** Completes with the {@link System#nanoTime()} of the first {@link #close()}. */
    public final CompletableFuture<Long> closed() {
        return closed;
    }

    /** Whether the source was cancelled. */
    public final boolean isCancelled() {
        return cancelled.isDone();
    }
}
