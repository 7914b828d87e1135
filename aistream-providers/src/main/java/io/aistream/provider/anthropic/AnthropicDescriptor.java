package io.aistream.provider.anthropic;

import io.aistream.provider.spi.ProviderPreset;
import io.aistream.provider.spi.SimpleDescriptor;
import io.aistream.provider.spi.WireFormat;
import io.aistream.provider.support.WireSamples;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Registers the Anthropic Messages API ({@value AnthropicProtocol#ID}): the provider {@code anthropic},
 * configured by {@code ANTHROPIC_API_KEY} and an optional {@code ANTHROPIC_BASE_URL}.
 */
public final class AnthropicDescriptor extends SimpleDescriptor {
    static final URI DEFAULT_BASE_URL = URI.create("https://api.anthropic.com");

    /** For {@link java.util.ServiceLoader}. */
    public AnthropicDescriptor() {
        super(
                AnthropicProtocol.ID,
                30,
                Set.of(WireFormat.SSE),
                List.of(ProviderPreset.of(AnthropicProtocol.ID, 30, Optional.of(DEFAULT_BASE_URL))
                        .readingApiKey(AnthropicProtocol.ID, "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL")),
                config -> new AnthropicProtocol());
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
