package io.aistream.provider.vertex;

import io.aistream.provider.anthropic.AnthropicDescriptor;
import io.aistream.provider.spi.ProviderPreset;
import io.aistream.provider.spi.SimpleDescriptor;
import io.aistream.provider.spi.WireFormat;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Registers Claude on Vertex AI ({@value VertexAnthropicProtocol#ID}): the provider
 * {@code vertex-anthropic}, configured by the same variables as {@code vertex}
 * ({@code GOOGLE_APPLICATION_CREDENTIALS} or {@code VERTEX_ACCESS_TOKEN}, {@code VERTEX_PROJECT},
 * {@code VERTEX_LOCATION}); see the package documentation.
 */
public final class VertexAnthropicDescriptor extends SimpleDescriptor {
    /** For {@link java.util.ServiceLoader}. */
    public VertexAnthropicDescriptor() {
        super(
                VertexAnthropicProtocol.ID,
                81,
                Set.of(WireFormat.SSE),
                List.of(ProviderPreset.of(VertexAnthropicProtocol.ID, 91, Optional.of(VertexSettings.GLOBAL_BASE_URL))
                        .readingEnvironment(
                                VertexSettings.VARIABLES,
                                env -> VertexSettings.fromEnvironment(
                                        env, VertexAnthropicProtocol.ID, VertexAnthropicProtocol.ID))),
                config -> new VertexAnthropicProtocol(config, Clock.systemUTC()));
    }

    /** Anthropic's sample: Claude on Vertex streams the same events. */
    @Override
    public Optional<byte[]> sampleBody(int textDeltas) {
        return new AnthropicDescriptor().sampleBody(textDeltas);
    }
}
