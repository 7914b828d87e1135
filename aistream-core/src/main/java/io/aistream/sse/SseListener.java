package io.aistream.sse;

/**
 * Receives what an {@link SseDecoder} finds, on the thread that feeds the decoder, in stream order.
 *
 * <p>Exceptions thrown by a callback propagate out of the {@code feed} or {@code end} call that
 * caused it; the decoder should not be used after that.
 */
@FunctionalInterface
public interface SseListener {

    /** An event was dispatched: its block ended with a blank line and had at least one data line. */
    void onEvent(SseEvent event);

    /**
     * A comment line was read.
     *
     * @param text everything after the leading {@code ':'}, unchanged (a leading space is kept)
     */
    default void onComment(String text) {}

    /**
     * A {@code retry} field with a valid value (ASCII digits only) was read; it sets the
     * reconnection time. Values beyond {@link Long#MAX_VALUE} are reported as {@code Long.MAX_VALUE}.
     * It is reported when the line is read, whether or not its block later dispatches an event.
     */
    default void onRetry(long millis) {}
}
