package io.aistream.testing;

import io.aistream.chunk.StreamChunk;
import io.aistream.stream.ChunkSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ChunkSource} that returns fixed chunks, then ends — or, if built with
 * {@link #thenThrow}, throws. Cancel and close are recorded as events with their
 * {@link System#nanoTime()}; after a cancel {@link #next()} returns empty.
 *
 * <p>Thread-safe; {@code next()} never blocks.
 */
public final class FixedSource extends RecordingSource {
    private final List<StreamChunk> chunks;
    private final Exception failure;
    private final AtomicInteger position = new AtomicInteger();

    private FixedSource(List<? extends StreamChunk> chunks, Exception failure) {
        this.chunks = List.copyOf(chunks);
        this.failure = failure;
    }

    /** A source of these chunks. */
    public static FixedSource of(StreamChunk... chunks) {
        return new FixedSource(List.of(chunks), null);
    }

    /** A source of these chunks. */
    public static FixedSource of(List<? extends StreamChunk> chunks) {
        return new FixedSource(chunks, null);
    }

    /** A source whose first {@link #next()} throws {@code failure}. */
    public static FixedSource throwing(Exception failure) {
        return new FixedSource(List.of(), failure);
    }

    /** A new source with the same chunks, after which {@link #next()} throws {@code failure} (every time). */
    public FixedSource thenThrow(Exception failure) {
        return new FixedSource(chunks, failure);
    }

    @Override
    public Optional<StreamChunk> next() throws Exception {
        if (isCancelled()) {
            return Optional.empty();
        }
        int at = position.getAndUpdate(p -> Math.min(p + 1, chunks.size()));
        if (at < chunks.size()) {
            return Optional.of(chunks.get(at));
        }
        if (failure != null) {
            throw failure;
        }
        return Optional.empty();
    }
}
