package io.aistream.stream;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.StreamFailedException;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads a source and repairs its ending, so that what comes out always ends with exactly one
 * {@link DoneChunk}: an end without {@code done} becomes {@code incomplete_stream} + done(error), an
 * exception becomes an error chunk + done(error), an error chunk followed by the end gets its
 * done(error). After the terminal chunk the source is finished (closed) and never asked again.
 *
 * <p>Used by one thread at a time; chunks come out unstamped.
 */
final class SourceReader {
    private final SourceHandle source;
    private final ArrayDeque<StreamChunk> pending = new ArrayDeque<>(2);
    private boolean ended;
    private boolean lastWasError;

    SourceReader(SourceHandle source) {
        this.source = source;
    }

    /**
     * The next chunk, or null when there is none: the terminal chunk was already returned, or the
     * source was stopped (then whatever the source returned or threw is discarded).
     *
     * @throws InterruptedException if this thread was interrupted while the source waited
     */
    StreamChunk read() throws InterruptedException {
        StreamChunk queued = pending.poll();
        if (queued != null || ended) {
            return queued;
        }
        Optional<StreamChunk> next;
        try {
            next = source.next();
            if (next == null) {
                throw new NullPointerException("ChunkSource.next() returned null instead of an Optional");
            }
        } catch (InterruptedException e) {
            if (source.isStopped()) {
                Thread.currentThread().interrupt();
                return stop();
            }
            throw e;
        } catch (Exception e) {
            return source.isStopped() ? stop() : fail(errorOf(e));
        }
        if (source.isStopped()) {
            return stop();
        }
        if (next.isEmpty()) {
            return lastWasError
                    ? end(source.fillDone(DoneChunk.of(FinishReason.ERROR)))
                    : fail(ChunkError.of(ErrorCode.INCOMPLETE_STREAM, "the source ended without a done chunk"));
        }
        StreamChunk chunk = next.get();
        lastWasError = chunk instanceof ErrorChunk;
        return chunk instanceof DoneChunk done ? end(done) : chunk;
    }

    private StreamChunk stop() {
        ended = true;
        return null;
    }

    private StreamChunk fail(ChunkError error) {
        pending.add(source.fillDone(DoneChunk.of(FinishReason.ERROR)));
        return end(ErrorChunk.of(error));
    }

    private StreamChunk end(StreamChunk last) {
        ended = true;
        source.finish();
        return last;
    }

    static ChunkError errorOf(Exception e) {
        if (e instanceof StreamFailedException failed && failed.error() != null) {
            return failed.error();
        }
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
        if (e instanceof AIStreamException ae) {
            return new ChunkError(ae.code(), message, ae.retryable(), Optional.empty(), OptionalInt.empty());
        }
        return ChunkError.of(ErrorCode.SOURCE_FAILURE, message);
    }
}
