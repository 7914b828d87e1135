package io.aistream.testing;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.stream.ChunkSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/** Reading a {@link ChunkSource} to its end, and picking things out of the chunks read. Stateless. */
public final class Chunks {
    private Chunks() {}

    /** Reads {@code source} to its end on the calling thread, then closes it. */
    public static List<StreamChunk> drain(ChunkSource source) throws Exception {
        List<StreamChunk> chunks = new ArrayList<>();
        try (source) {
            for (Optional<StreamChunk> c = source.next(); c.isPresent(); c = source.next()) {
                chunks.add(c.get());
            }
        }
        return chunks;
    }

    /**
     * Drains {@code source} on a new virtual thread; the future completes with the chunks, or
     * exceptionally (a {@link CompletionException}) with what {@code next()} threw.
     */
    public static CompletableFuture<List<StreamChunk>> drainAsync(ChunkSource source) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return drain(source);
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                },
                r -> Thread.ofVirtual().name("test-consumer").start(r));
    }

    /** The content deltas, concatenated. */
    public static String text(List<? extends StreamChunk> chunks) {
        return chunks.stream()
                .filter(ContentChunk.class::isInstance)
                .map(c -> ((ContentChunk) c).delta())
                .collect(Collectors.joining());
    }

    /** The reasoning deltas, concatenated. */
    public static String reasoning(List<? extends StreamChunk> chunks) {
        return chunks.stream()
                .filter(ReasoningChunk.class::isInstance)
                .map(c -> ((ReasoningChunk) c).delta())
                .collect(Collectors.joining());
    }

    /**
     * The last chunk, as the {@code done} chunk it must be.
     *
     * @throws AssertionError if there are no chunks or the last is not {@code done}
     */
    public static DoneChunk done(List<? extends StreamChunk> chunks) {
        if (chunks.isEmpty() || !(chunks.getLast() instanceof DoneChunk d)) {
            throw new AssertionError("the last chunk is not done: " + chunks);
        }
        return d;
    }

    /** The {@code error} chunks, in order. */
    public static List<ErrorChunk> errors(List<? extends StreamChunk> chunks) {
        return chunks.stream()
                .filter(ErrorChunk.class::isInstance)
                .map(ErrorChunk.class::cast)
                .toList();
    }

    /**
     * The first {@code error} chunk.
     *
     * @throws AssertionError if there is none
     */
    public static ErrorChunk firstError(List<? extends StreamChunk> chunks) {
        return errors(chunks).stream().findFirst().orElseThrow(() -> new AssertionError("no error chunk in " + chunks));
    }
}
