package io.aistream.provider.registry;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.provider.ChatProvider;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.transport.AttemptObserver;
import io.aistream.provider.transport.ProviderStreams;
import io.aistream.provider.transport.StreamOptions;
import io.aistream.provider.transport.Target;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChunkSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider reached over HTTP: one configured protocol, streamed through the upstream transport
 * with the registry's retry, recovery and timeout options; it continues an answer someone else
 * began (see {@link ChatProvider#openContinuation}) when its protocol supports assistant prefill.
 * Thread-safe.
 */
final class HttpChatProvider implements ChatProvider {
    private final ProviderConfig config;
    private final ProviderProtocol protocol;
    private final List<String> models;
    private final StreamOptions options;

    HttpChatProvider(ProviderConfig config, ProviderProtocol protocol, List<String> models, StreamOptions options) {
        this.config = Objects.requireNonNull(config, "config");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.models = List.copyOf(models);
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public List<String> models() {
        return models;
    }

    @Override
    public ChunkSource open(ChatRequest request) {
        return open(request, options.observer());
    }

    @Override
    public ChunkSource open(ChatRequest request, AttemptObserver observer) {
        return ProviderStreams.open(List.of(target(request)), request, options.withObserver(observer));
    }

    /**
     * Continues through the transport's {@link ProviderStreams#openContinuation}: empty when this
     * provider's protocol cannot prefill an assistant message.
     */
    @Override
    public Optional<ChunkSource> openContinuation(ChatRequest request, String sentText, AttemptObserver observer) {
        return ProviderStreams.openContinuation(
                List.of(target(request)), request, sentText, options.withObserver(observer));
    }

    /** This provider as a fallback-chain target for the request's model. */
    Target target(ChatRequest request) {
        String model = request.model()
                .orElseThrow(() ->
                        new AIStreamException(ErrorCode.INVALID_REQUEST, "provider '" + name() + "' needs a model"));
        return new Target(protocol, config, model);
    }

    ProviderConfig config() {
        return config;
    }

    ProviderProtocol protocol() {
        return protocol;
    }
}
