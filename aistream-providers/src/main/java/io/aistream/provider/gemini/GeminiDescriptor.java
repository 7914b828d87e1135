package io.aistream.provider.gemini;

import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderPreset;
import io.aistream.provider.spi.SimpleDescriptor;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.spi.WireFormat;
import io.aistream.provider.support.WireSamples;
import io.aistream.sse.SseLimits;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Registers the Gemini API ({@value GeminiProtocol#ID}): the provider {@code gemini}, configured by
 * {@code GEMINI_API_KEY} (or {@code GOOGLE_API_KEY}). Recorded bodies may be SSE ({@code alt=sse}) or
 * the incrementally written JSON array.
 */
public final class GeminiDescriptor extends SimpleDescriptor {
    /** For {@link java.util.ServiceLoader}. */
    public GeminiDescriptor() {
        super(
                GeminiProtocol.ID,
                40,
                Set.of(WireFormat.SSE, WireFormat.JSON_ARRAY),
                List.of(ProviderPreset.of(GeminiProtocol.ID, 40, Optional.of(GeminiProtocol.DEFAULT_BASE_URL))
                        .readingApiKey(
                                GeminiProtocol.ID,
                                List.of("GEMINI_API_KEY", "GOOGLE_API_KEY"),
                                Optional.empty(),
                                Map.of())),
                config -> new GeminiProtocol());
    }

    @Override
    public StreamDecoder decoder(String name, WireFormat format, DecoderContext context) {
        return format == WireFormat.JSON_ARRAY
                ? GeminiStreamDecoder.jsonArray(context, SseLimits.DEFAULTS)
                : GeminiStreamDecoder.sse(context, SseLimits.DEFAULTS);
    }

    @Override
    public Optional<byte[]> sampleBody(int textDeltas) {
        return Optional.of(WireSamples.text(
                "",
                textDeltas,
                w -> "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \""
                        + w + "\"}],\"role\": \"model\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 8,"
                        + "\"candidatesTokenCount\": 9,\"totalTokenCount\": 17},\"modelVersion\": \"gemini-2.5-flash\","
                        + "\"responseId\": \"yFWYabnBB8Wg1e8P3ZTdiAY\"}\r\n\r\n",
                "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"\"}],\"role\": \"model\"},"
                        + "\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 8,"
                        + "\"candidatesTokenCount\": 10,\"totalTokenCount\": 18}}\r\n\r\n"));
    }
}
