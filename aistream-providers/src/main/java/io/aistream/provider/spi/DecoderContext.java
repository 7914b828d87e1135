package io.aistream.provider.spi;

import java.util.Objects;

/**
 * What a decoder needs to know about the stream it decodes.
 *
 * @param provider the provider name reported on {@code done} and {@code error} chunks (e.g. {@code openai},
 *                 {@code deepseek})
 * @param model    the model that was requested; reported on {@code done} unless the stream names one
 * @param observer hears what the decoder met but could not use (an event type it does not know); the
 *                 transport passes the stream's {@code AttemptObserver}, so a gateway can count them
 */
public record DecoderContext(String provider, String model, DecoderObserver observer) {
    public DecoderContext {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(observer, "observer");
    }

    /** A context whose observer hears nothing. */
    public DecoderContext(String provider, String model) {
        this(provider, model, DecoderObserver.NONE);
    }
}
