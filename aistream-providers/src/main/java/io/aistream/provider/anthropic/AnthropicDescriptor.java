package io.aistream.provider.anthropic;

import io.aistream.provider.spi.Environment;
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

/**
 * Registers the Anthropic Messages API ({@value AnthropicProtocol#ID}): the provider {@code anthropic},
 * configured by {@code ANTHROPIC_API_KEY} and an optional {@code ANTHROPIC_BASE_URL}.
 */
public final class AnthropicDescriptor implements ProviderDescriptor {
    static final URI DEFAULT_BASE_URL = URI.create("https://api.anthropic.com");
    private static final List<ProviderPreset> PRESETS =
            List.of(ProviderPreset.of(AnthropicProtocol.ID, 30, Optional.of(DEFAULT_BASE_URL))
                    .readingEnvironment(
                            List.of("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"),
                            env -> env.get("ANTHROPIC_API_KEY")
                                    .map(key -> new ProviderConfig(
                                            AnthropicProtocol.ID,
                                            AnthropicProtocol.ID,
                                            env.get("ANTHROPIC_BASE_URL")
                                                    .map(Environment::url)
                                                    .orElse(DEFAULT_BASE_URL),
                                            Optional.of(key),
                                            Map.of()))));

    /** For {@link java.util.ServiceLoader}. */
    public AnthropicDescriptor() {}

    @Override
    public String id() {
        return AnthropicProtocol.ID;
    }

    @Override
    public int order() {
        return 30;
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
        return new AnthropicProtocol();
    }

    @Override
    public Optional<byte[]> sampleBody(int textDeltas) {
        return Optional.of(WireSamples.text(
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\","
                        + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],"
                        + "\"usage\":{\"input_tokens\":14,\"output_tokens\":1}}}\n\nevent: content_block_start\ndata: "
                        + "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
                textDeltas,
                w -> "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + w + "\"}}\n\n",
                "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                        + "\"usage\":{\"output_tokens\":" + textDeltas
                        + "}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
    }
}
