package io.aistream.testing;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.Usage;
import io.aistream.stream.ChunkSource;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ChunkSource} the test drives step by step: {@link #next()} blocks until the test
 * {@linkplain #emit emits} a chunk, {@linkplain #end() ends} the source or {@linkplain #fail fails}
 * it. Cancel and close are recorded as events with the {@link System#nanoTime()} they happened at.
 *
 * <p>{@link #cancel()} ends a blocked {@code next()} with empty at once. {@link #close()} is <em>not</em>
 * a cancellation (the stream that owns a source closes it after a normal end too): it is recorded
 * separately, in {@link #closed()}.
 *
 * <p>Thread-safe: the test emits from its thread while the stream reads from another.
 */
public final class ControlledSource extends RecordingSource {
    /** How long {@link #awaitCancel()} and {@link #awaitClose()} wait before they fail. */
    public static final Duration GUARD = Duration.ofSeconds(10);

    private static final Object END = new Object();

    private final BlockingDeque<Object> queue = new LinkedBlockingDeque<>();
    /** Usage, provider and model "reported so far" (in a done chunk's fields), or null. */
    private volatile DoneChunk soFar;

    /** A source with nothing emitted yet. */
    public ControlledSource() {}

    /** Makes these chunks the next ones {@link #next()} returns, in order. */
    public ControlledSource emit(StreamChunk... chunks) {
        for (StreamChunk c : chunks) {
            queue.add(c);
        }
        return this;
    }

    /** Ends the source: {@link #next()} returns empty once the emitted chunks are taken. */
    public void end() {
        queue.add(END);
    }

    /** Fails the source: {@link #next()} throws {@code failure} once the emitted chunks are taken (and on every later call). */
    public void fail(Exception failure) {
        queue.add(failure);
    }

    /**
     * Breaks the source: {@link #next()} throws {@code error} (a {@link StackOverflowError}, say) once
     * the emitted chunks are taken, and on every later call.
     */
    public void breakWith(Error error) {
        queue.add(error);
    }

    /**
     * Reports usage as a provider does before its end (Anthropic's {@code message_start}): a done chunk
     * made up for this source (abort, failure) carries it, with the provider and model given here.
     */
    public ControlledSource reportSoFar(Usage usage, String provider, String model) {
        soFar = DoneChunk.of(FinishReason.OTHER, usage, provider, model);
        return this;
    }

    @Override
    public DoneChunk fillDone(DoneChunk done) {
        DoneChunk known = soFar;
        return known == null
                ? done
                : done.withMetadata(
                        done.usage().or(known::usage),
                        done.provider().or(known::provider),
                        done.model().or(known::model));
    }

    @Override
    public Optional<StreamChunk> next() throws Exception {
        if (isCancelled()) {
            return Optional.empty();
        }
        Object item = queue.take();
        if (item instanceof StreamChunk chunk) {
            return Optional.of(chunk);
        }
        queue.addFirst(item); // an end or a failure is final: later calls see it again
        if (item instanceof Exception failure) {
            throw failure;
        }
        if (item instanceof Error error) {
            throw error;
        }
        return Optional.empty();
    }

    /** Ends a blocked {@link #next()} with empty at once. */
    @Override
    void onFirstCancel() {
        queue.add(END);
    }

    /**
     * Waits up to {@link #GUARD} for the cancellation.
     *
     * @return the {@link System#nanoTime()} of the cancel
     * @throws AssertionError if the source is not cancelled in time
     */
    public long awaitCancel() {
        return await(cancelled(), "cancelled");
    }

    /**
     * Waits up to {@link #GUARD} for the close.
     *
     * @return the {@link System#nanoTime()} of the close
     * @throws AssertionError if the source is not closed in time
     */
    public long awaitClose() {
        return await(closed(), "closed");
    }

    private static long await(CompletableFuture<Long> event, String what) {
        try {
            return event.get(GUARD.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the source was not " + what + " within " + GUARD.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }
}
