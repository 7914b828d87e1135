package io.aistream.stream;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import java.util.Optional;

/**
 * The SPI a producer of chunks implements (every provider adapter is one): a blocking, pull-based
 * supply of chunks plus a cancel hook.
 *
 * <p><b>Threading.</b> {@link #next()} is called by one thread at a time (often a virtual thread);
 * it may block until the upstream has something. {@link #cancel()} may be called from any thread at
 * any time, any number of times.
 *
 * <p><b>Contract.</b>
 * <ul>
 *   <li>{@code next()} returns the next chunk, or empty once the source is exhausted. A well-behaved
 *       source ends with a {@link io.aistream.chunk.DoneChunk}; the {@link ChatStream} wrapping it
 *       turns an end without one into an {@code incomplete_stream} error, and an exception thrown
 *       by {@code next()} into an {@code error} chunk, so a consumer always sees exactly one
 *       {@code done}.</li>
 *   <li>The id and seq on produced chunks are ignored: the stream re-stamps every chunk it
 *       delivers (so sources may use the {@code of(...)} factories).</li>
 *   <li>{@code cancel()} must stop the upstream work (close the HTTP exchange, stop the timer,
 *       ...) and make a blocked {@code next()} return or throw promptly. After cancel, {@code next()}
 *       may return empty or throw; its result is discarded.</li>
 *   <li>{@link #close()} releases resources when the stream is finished; by default it cancels.
 *       The {@link ChatStream} that owns a source closes it exactly once.</li>
 * </ul>
 */
public interface ChunkSource extends AutoCloseable {

    /**
     * Blocks until the next chunk is available.
     *
     * @return the next chunk, or empty when the source has no more
     * @throws InterruptedException if the calling thread is interrupted while waiting
     * @throws Exception            on any failure; the owning stream reports it as an error chunk
     */
    Optional<StreamChunk> next() throws Exception;

    /** Stops the upstream work and unblocks {@link #next()}. Thread-safe and idempotent. */
    void cancel();

    /**
     * Fills a done chunk that the consuming side makes up instead of the source (done({@code
     * aborted}) after an abort, done({@code error}) after an exception, a timeout or a lost stream)
     * with what this source knows: the usage the provider reported so far, the provider and the
     * model. Fields the given chunk already has are kept; where the source knows nothing, the
     * chunk is returned as it is, and its empty usage means <em>unknown</em>, never zero.
     *
     * <p><b>Threading.</b> Called from any thread, also concurrently with {@link #next()} and after
     * {@link #cancel()} or {@link #close()}; it must not block and must not throw. Wrappers
     * delegate to the source they wrap. The default returns {@code done} unchanged.
     *
     * @param done the made-up done chunk
     * @return the same chunk, filled in
     */
    default DoneChunk fillDone(DoneChunk done) {
        return done;
    }

    /**
     * How an event loop can pull this source without blocking (see {@link SourceReadiness}); empty (the
     * default) when {@link #next()} must be called from a thread that may block. Asked by the consumer, once
     * per stream, before or between its {@code next()} calls; a wrapper offers readiness only when its own
     * {@code next()} never blocks while its source's would not.
     */
    default Optional<SourceReadiness> readiness() {
        return Optional.empty();
    }

    /** Releases the source's resources; by default the same as {@link #cancel()}. */
    @Override
    default void close() {
        cancel();
    }
}
