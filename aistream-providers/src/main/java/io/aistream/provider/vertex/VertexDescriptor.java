package io.aistream.provider.vertex;

import io.aistream.provider.gemini.GeminiDescriptor;
import io.aistream.provider.spi.ProviderPreset;
import io.aistream.provider.spi.SimpleDescriptor;
import io.aistream.provider.spi.WireFormat;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Registers Gemini on Vertex AI ({@value VertexGeminiProtocol#ID}): the provider {@code vertex},
 * configured by {@code GOOGLE_APPLICATION_CREDENTIALS} (or {@code VERTEX_ACCESS_TOKEN}) +
 * {@code VERTEX_PROJECT} (+ {@code VERTEX_LOCATION}, default {@code global}); see the package
 * documentation.
 */
public final class VertexDescriptor extends SimpleDescriptor {
    /** For {@link java.util.ServiceLoader}. */
    public VertexDescriptor() {
        super(
                VertexGeminiProtocol.ID,
                80,
                Set.of(WireFormat.SSE),
                List.of(ProviderPreset.of(VertexGeminiProtocol.ID, 90, Optional.of(VertexSettings.GLOBAL_BASE_URL))
                        .readingEnvironment(
                                VertexSettings.VARIABLES,
                                env -> VertexSettings.fromEnvironment(
                                        env, VertexGeminiProtocol.ID, VertexGeminiProtocol.ID))),
                config -> new VertexGeminiProtocol(config, Clock.systemUTC()));
    }

    /** The Gemini API's sample: Vertex streams the same events. */
    @Override
    public Optional<byte[]> sampleBody(int textDeltas) {
        return new GeminiDescriptor().sampleBody(textDeltas);
    }
}
