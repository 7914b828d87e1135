package io.aistream.provider.transport;

import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.request.ChatRequest;
import java.util.Objects;

/**
 * One place a request can be sent: a protocol, a configured provider and the model to ask for.
 * A chain of targets is tried in order (see {@link ProviderStreams}).
 *
 * @param protocol the wire protocol
 * @param config   the provider's configuration (base URL, credentials)
 * @param model    the model name as that provider knows it
 */
public record Target(ProviderProtocol protocol, ProviderConfig config, String model) {
    public Target {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
    }

    /** The provider name reported on chunks. */
    public String provider() {
        return config.name();
    }

    /** {@code request} with this target's model. */
    ChatRequest resolve(ChatRequest request) {
        return request.toBuilder().model(model).build();
    }
}
