package io.aistream.provider.openai.responses;

import io.aistream.provider.openai.OpenAiCompatible;
import io.aistream.provider.spi.ProviderPreset;
import io.aistream.provider.spi.SimpleDescriptor;
import io.aistream.provider.spi.WireFormat;
import io.aistream.provider.support.WireSamples;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Registers the OpenAI Responses API ({@value OpenAiResponsesProtocol#ID}). The environment's
 * {@code OPENAI_API_KEY} (and optional {@code OPENAI_BASE_URL}) configure the provider
 * {@code openai-responses} beside {@code openai}. A config-file entry without a base URL gets
 * OpenAI's, or that of the OpenAI-compatible preset its name or {@code preset} setting names.
 */
public final class OpenAiResponsesDescriptor extends SimpleDescriptor {
    /** For {@link java.util.ServiceLoader}. */
    public OpenAiResponsesDescriptor() {
        super(
                OpenAiResponsesProtocol.ID,
                20,
                Set.of(WireFormat.SSE),
                List.of(ProviderPreset.of(OpenAiResponsesProtocol.ID, 20, OpenAiCompatible.OPENAI.defaultBaseUrl())
                        .readingApiKey(OpenAiResponsesProtocol.ID, "OPENAI_API_KEY", "OPENAI_BASE_URL")),
                config -> new OpenAiResponsesProtocol());
    }

    @Override
    public Optional<URI> defaultBaseUrl(String name) {
        return super.defaultBaseUrl(name)
                .or(() -> OpenAiCompatible.fromId(name).flatMap(OpenAiCompatible::defaultBaseUrl));
    }

    @Override
    public Optional<byte[]> sampleBody(int textDeltas) {
        return Optional.of(WireSamples.text(
                "event: response.created\ndata: {\"type\":\"response.created\",\"response\":"
                        + "{\"id\":\"resp_1\",\"model\":\"gpt-4.1\",\"status\":\"in_progress\"},\"sequence_number\":0}\n\n",
                textDeltas,
                w -> "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
                        + "\"item_id\":\"msg_68a1c0f3a2b881909c8d7e6f5a4b3c2d\",\"output_index\":0,\"content_index\":0,"
                        + "\"delta\":\"" + w + "\",\"logprobs\":[],\"obfuscation\":\"x\",\"sequence_number\":4}\n\n",
                "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\","
                        + "\"model\":\"gpt-4.1\",\"status\":\"completed\",\"usage\":{\"input_tokens\":9,"
                        + "\"output_tokens\":" + textDeltas + ",\"total_tokens\":" + (textDeltas + 9)
                        + "}},\"sequence_number\":9}\n\n"));
    }
}
