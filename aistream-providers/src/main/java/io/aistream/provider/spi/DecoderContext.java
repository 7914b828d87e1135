package io.aistream.provider.spi;

import java.util.Objects;

/**
 * What a decoder needs to know about the stream it decodes.
 *
 * @param provider the provider name reported on {@code done} and {@code error} chunks (e.g. {@code openai},
 *                 {@code deepseek})
 * @param model    the model that was requested; reported on {@code done} unless the stream names one
 */
public record DecoderContext(String provider, String model) {
    public DecoderContext {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
    }
}
