package io.aistream.provider.transport;

import io.aistream.provider.spi.DecoderObserver;
import java.time.Duration;

/**
 * Hears what the transport decides between the attempts of one stream (see {@link ProviderStreams}):
 * for metrics and logs. Being a {@link DecoderObserver}, it also hears the event types each attempt's
 * decoder skipped because it does not know them ({@link #unknownEvent}). Every method has a no-op
 * default; {@link #NONE} hears nothing.
 *
 * <p><b>Threading.</b> Called on the thread that reads the stream, between attempts (unknown events:
 * while a chunk is decoded), never with a lock held; an implementation must be quick and must not throw (an exception is not caught and
 * ends the stream as an error).
 */
public interface AttemptObserver extends DecoderObserver {
    /** Hears nothing. */
    AttemptObserver NONE = new AttemptObserver() {};

    /**
     * An attempt failed before any output with a retryable error: the same target is tried again.
     *
     * @param provider  the provider of the failed attempt
     * @param errorCode the failure's wire code, e.g. {@code rate_limited}
     * @param delay     the wait before the next attempt
     */
    default void retrying(String provider, String errorCode, Duration delay) {}

    /**
     * A target is given up (no retries left, or a failure that is not retryable) and the next one of
     * the fallback chain is tried.
     */
    default void fallingBack(String fromProvider, String toProvider, String errorCode) {}

    /** Output had begun when the upstream failed; the recovery policy continues the stream on a new request. */
    default void continuing(String provider, String errorCode) {}
}
