package io.aistream.server.resume;

import io.aistream.AIStreamException;

/**
 * A shared resume store (Redis) cannot be reached, or did not answer in time. Retryable: the store
 * reconnects by itself, and the same request may succeed later. The gateway answers it with 503
 * {@code store_unavailable} before a stream begins, and with an {@code error} chunk of that code to a
 * follower whose store went away mid-stream (the follower gets every chunk up to there, never a gap).
 */
public final class StoreUnavailableException extends AIStreamException {
    private static final long serialVersionUID = 1L;

    /** The wire code. */
    public static final String CODE = "store_unavailable";

    public StoreUnavailableException(String message, Throwable cause) {
        super(CODE, message, true, cause);
    }
}
