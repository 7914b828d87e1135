package io.aistream.stream;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Decorators for {@link ChunkSource}s: each wraps a source and is itself a source, so they stack
 * and a {@link ChatStream} can own the result like any provider's source.
 *
 * <p><b>Ownership.</b> The decorator owns the source it wraps: its {@code cancel()} cancels the
 * inner source, its {@code close()} cancels and then closes it. Close only the outermost one.
 *
 * <p><b>Threading.</b> As the SPI says: {@code next()} from one thread at a time, {@code cancel()}
 * from any thread at any time. Scheduled work runs on the given {@link TimeSource}; production
 * code passes {@link TimeSource#system()}, tests a {@link VirtualTimeSource}.
 */
public final class ChunkSources {
    private ChunkSources() {}

    /**
     * Enforces time limits on {@code source}. When one passes, the inner source is cancelled at
     * once and the decorated source yields an {@code error} chunk with code
     * {@code first_chunk_timeout}, {@code idle_timeout} or {@code total_timeout} (its message names
     * the limit and its duration), then {@code done} with finish reason {@code error}, then ends.
     * A chunk that arrived before the deadline is still delivered, before the error.
     *
     * <p>Limits are measured on {@code time} and fire even while the inner {@code next()} is
     * blocked. The inner source is read on the caller's thread, one chunk per request (nothing is
     * read ahead, no thread is added); when a limit passes, a task on {@code time} cancels the
     * inner source, which by the {@link ChunkSource} contract makes its blocked {@code next()}
     * return, and the caller gets the timeout error. The first-chunk and idle limits count only
     * time spent waiting inside {@code next()}, never the consumer's time between calls; the total
     * limit counts all time. The clock starts at the first {@code next()}; the limits stop
     * applying once the inner source has produced its {@code done} chunk. Ending, cancelling or
     * closing cancels every scheduled task. One timer task per stream covers the per-chunk limits
     * (re-armed lazily, not per chunk), so the cost per chunk is two uncontended lock sections.
     *
     * <p>Nothing is dropped except, on a timeout, whatever the cancelled inner source might still
     * have produced. Exceptions from the inner source pass through unchanged.
     *
     * @param source   the source to limit; owned by the result
     * @param timeouts the limits
     * @param time     the clock and scheduler that measure the limits
     * @return a decorating source, or {@code source} itself when {@code timeouts} sets no limit
     */
    public static ChunkSource withTimeouts(ChunkSource source, Timeouts timeouts, TimeSource time) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(time, "time");
        if (timeouts.isNone()) {
            return source;
        }
        return new TimeoutChunkSource(source, timeouts, time);
    }

    /**
     * Re-cuts content and reasoning text into words or lines (see {@link SmoothMode}) and releases
     * them at a steady pace: each text piece comes no sooner than {@code pace} after the previous
     * one (the first at once; a piece whose time has already come also at once, so a slow upstream
     * is not slowed further). The caller of {@code next()} waits for a tick scheduled on
     * {@code time}.
     *
     * <p>An unfinished trailing piece is held back until more text completes it; a chunk of
     * another kind (tool call, error, done, or text of the other type), the end of the inner
     * source, or its failure flushes it first, at once and unpaced. Other chunks pass through in
     * order. Output text chunks are new chunks built with {@code of(...)}; the owning stream
     * stamps ids and sequence numbers.
     *
     * <p>Lossless: the concatenated output text equals the input text, per type. Only empty text
     * deltas disappear. The inner source is read on the caller's thread, and only when everything
     * read before has been released, so at most one input chunk's text is queued (plus at most
     * {@link SmoothMode#maxPieceLength()} chars held back) and a slow consumer slows the upstream.
     *
     * @param source the source to smooth; owned by the result
     * @param mode   how text is cut into pieces
     * @param pace   the interval between text pieces; zero means no pacing (re-chunking only)
     * @param time   the clock and scheduler that pace the pieces
     * @return the smoothing source
     */
    public static ChunkSource smooth(ChunkSource source, SmoothMode mode, Duration pace, TimeSource time) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(pace, "pace");
        Objects.requireNonNull(time, "time");
        if (pace.isNegative()) {
            throw new IllegalArgumentException("pace must not be negative: " + pace);
        }
        return new SmoothingChunkSource(source, mode, pace, time);
    }

    /**
     * Transforms every chunk with {@code fn} on the caller's thread. {@code fn} must not return
     * {@code null}; an exception it throws comes out of {@code next()} (the owning stream reports
     * it as an error chunk). Nothing is dropped.
     *
     * @param source the source whose chunks to transform; owned by the result
     * @param fn     the transformation, applied to every chunk in order
     * @return the mapping source
     */
    public static ChunkSource map(ChunkSource source, UnaryOperator<StreamChunk> fn) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(fn, "fn");
        return new ChunkSource() {
            @Override
            public Optional<StreamChunk> next() throws Exception {
                Optional<StreamChunk> chunk = source.next();
                if (chunk.isEmpty()) {
                    return chunk;
                }
                return Optional.of(Objects.requireNonNull(fn.apply(chunk.get()), "map function returned null"));
            }

            @Override
            public void cancel() {
                source.cancel();
            }

            @Override
            public DoneChunk fillDone(DoneChunk done) {
                return source.fillDone(done);
            }

            @Override
            public void close() {
                source.close();
            }
        };
    }
}
