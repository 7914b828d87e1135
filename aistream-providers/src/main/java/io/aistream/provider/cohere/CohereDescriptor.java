package io.aistream.provider.cohere;

import io.aistream.provider.spi.ProviderPreset;
import io.aistream.provider.spi.SimpleDescriptor;
import io.aistream.provider.spi.WireFormat;
import io.aistream.provider.support.WireSamples;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Registers Cohere's v2 Chat API ({@value CohereProtocol#ID}): the provider {@code cohere}, configured by {@code COHERE_API_KEY}. */
public final class CohereDescriptor extends SimpleDescriptor {
    static final URI DEFAULT_BASE_URL = URI.create("https://api.cohere.com");

    /** For {@link java.util.ServiceLoader}. */
    public CohereDescriptor() {
        super(
                CohereProtocol.ID,
                60,
                Set.of(WireFormat.SSE),
                List.of(ProviderPreset.of(CohereProtocol.ID, 50, Optional.of(DEFAULT_BASE_URL))
                        .readingApiKey(CohereProtocol.ID, "COHERE_API_KEY")),
                config -> new CohereProtocol());
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
