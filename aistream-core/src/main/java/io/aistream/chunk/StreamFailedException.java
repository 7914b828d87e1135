package io.aistream.chunk;

import io.aistream.AIStreamException;

/**
 * A failure that arrived in the middle of a stream, after it had started successfully (for
 * example an {@code error} event inside an HTTP 200 response, or an {@code error} chunk met by a
 * consumer that asked for exceptions instead of chunks).
 *
 * <p>It carries the {@link ChunkError} exactly as it appeared on the stream.
 */
public class StreamFailedException extends AIStreamException {
    private static final long serialVersionUID = 1L;

    private final transient ChunkError error;

    public StreamFailedException(ChunkError error) {
        super(error.code(), error.message(), error.retryable(), null);
        this.error = error;
    }

    /** The error as the stream reported it. */
    public ChunkError error() {
        return error;
    }
}
