package io.aistream.provider.spi;

/**
 * Hears what a {@link StreamDecoder} met in a stream but could not use: an event type it does not
 * know. Such an event is never fatal (the decoder skips it and goes on) and never silent: the decoder
 * reports it here and in a debug log line. Every method has a no-op default; {@link #NONE} hears
 * nothing.
 *
 * <p><b>Threading.</b> Called on the thread that feeds the decoder, from inside {@code feed}/{@code end};
 * an implementation must be quick and must not throw.
 */
public interface DecoderObserver {
    /** Hears nothing. */
    DecoderObserver NONE = new DecoderObserver() {};

    /**
     * The decoder skipped an event whose type it does not know (a provider added one).
     *
     * @param provider  the provider name of the stream (as on its chunks)
     * @param eventType the provider's name for the event (e.g. the SSE {@code event} or the JSON
     *                  {@code type}), cut to 64 characters; comes from the upstream, so a metric must
     *                  bound how many distinct values it keeps
     */
    default void unknownEvent(String provider, String eventType) {}
}
