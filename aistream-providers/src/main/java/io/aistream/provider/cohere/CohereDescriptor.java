package io.aistream.provider.cohere;

import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderDescriptor;
import io.aistream.provider.spi.ProviderPreset;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.spi.WireFormat;
import io.aistream.provider.support.WireSamples;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Registers Cohere's v2 Chat API ({@value CohereProtocol#ID}): the provider {@code cohere}, configured by {@code COHERE_API_KEY}. */
public final class CohereDescriptor implements ProviderDescriptor {
    static final URI DEFAULT_BASE_URL = URI.create("https://api.cohere.com");
    private static final List<ProviderPreset> PRESETS =
            List.of(ProviderPreset.of(CohereProtocol.ID, 50, Optional.of(DEFAULT_BASE_URL))
                    .readingEnvironment(
                            List.of("COHERE_API_KEY"),
                            env -> env.get("COHERE_API_KEY")
                                    .map(key -> new ProviderConfig(
                                            CohereProtocol.ID,
                                            CohereProtocol.ID,
                                            DEFAULT_BASE_URL,
                                            Optional.of(key),
                                            Map.of()))));

    /** For {@link java.util.ServiceLoader}. */
    public CohereDescriptor() {}

    @Override
    public String id() {
        return CohereProtocol.ID;
    }

    @Override
    public int order() {
        return 60;
    }

    @Override
    public List<ProviderPreset> presets() {
        return PRESETS;
    }

    @Override
    public Set<WireFormat> wireFormats() {
        return Set.of(WireFormat.SSE);
    }

    @Override
    public ProviderProtocol create(ProviderConfig config) {
        return new CohereProtocol();
    }

    @Override
    public Optional<byte[]> sampleBody(int textDeltas) {
        return Optional.of(WireSamples.text(
                "event: message-start\ndata: {\"id\":\"321d178c\",\"type\":\"message-start\",\"delta\":"
                        + "{\"message\":{\"role\":\"assistant\",\"content\":[],\"tool_plan\":\"\",\"tool_calls\":[],\"citations\":[]}}}\n\n"
                        + "event: content-start\ndata: {\"type\":\"content-start\",\"index\":0,\"delta\":{\"message\":"
                        + "{\"content\":{\"type\":\"text\",\"text\":\"\"}}}}\n\n",
                textDeltas,
                w -> "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":"
                        + "{\"message\":{\"content\":{\"text\":\"" + w + "\"}}}}\n\n",
                "event: content-end\ndata: {\"type\":\"content-end\",\"index\":0}\n\nevent: message-end\ndata: "
                        + "{\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\",\"usage\":{\"tokens\":"
                        + "{\"input_tokens\":507,\"output_tokens\":" + textDeltas + "}}}}\n\n"));
    }
}
