package io.aistream.provider.gemini;

import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.spi.UnsupportedOptionException;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.provider.support.Endpoints;
import io.aistream.request.ChatRequest;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Google Gemini API ({@code generativelanguage.googleapis.com}), protocol id {@value #ID}.
 *
 * <p><b>Request.</b> {@code POST {baseUrl}/v1beta/models/{model}:streamGenerateContent?alt=sse} with
 * the key in the {@code x-goog-api-key} header (never in the URL; no header when the config has no
 * key). A base URL whose path already ends in an API version ({@code /v1beta}, {@code /v1},
 * {@code /v1alpha}) is used as is. A leading {@code models/} on the model name is dropped. The body
 * mapping is described on {@code GeminiRequestMapper}: system instruction, user/model contents with
 * text, {@code inlineData} and {@code fileData} parts, function calls and responses, function
 * declarations with {@code parametersJsonSchema}, tool config, {@code generationConfig} (temperature,
 * topP, maxOutputTokens, stopSequences, thinkingConfig with {@code includeThoughts}), provider options
 * merged in last.
 *
 * <p><b>Response.</b> {@link GeminiStreamDecoder}. Finish reasons: {@code STOP} → {@code stop} (or
 * {@code tool_calls} when function calls were made), {@code MAX_TOKENS} → {@code length}, the safety
 * family ({@code SAFETY}, {@code RECITATION}, {@code BLOCKLIST}, {@code PROHIBITED_CONTENT},
 * {@code SPII}, {@code IMAGE_*}) and {@code promptFeedback.blockReason} → {@code content_filter}, all
 * others → {@code other}. Usage: the last {@code usageMetadata} snapshot, input =
 * {@code promptTokenCount} (cached content included), cache read = {@code cachedContentTokenCount},
 * output = {@code candidatesTokenCount + thoughtsTokenCount}, reasoning = {@code thoughtsTokenCount},
 * total = {@code totalTokenCount}. Thought signatures become {@code google} reasoning state on the
 * chunks of their parts and are sent back on the same parts. The model reported is
 * {@code modelVersion}.
 *
 * <p>Stateless and thread-safe.
 */
public final class GeminiProtocol implements ProviderProtocol {
    /** The protocol id. */
    public static final String ID = "gemini";
    /** The public endpoint, for configurations that give none. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://generativelanguage.googleapis.com");

    /** The protocol; it holds no state. */
    public GeminiProtocol() {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public UpstreamRequest toRequest(ChatRequest request, ProviderConfig config) {
        String model = request.model()
                .map(m -> m.startsWith("models/") ? m.substring("models/".length()) : m)
                .filter(m -> !m.isBlank())
                .orElseThrow(() -> new UnsupportedOptionException(config.name(), "model", "Gemini needs a model name"));
        byte[] body = GeminiResponseReader.JSON.writeValueAsBytes(
                new GeminiRequestMapper(config.name()).body(request, model));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("Accept", List.of("text/event-stream"));
        config.apiKey().ifPresent(key -> headers.put("x-goog-api-key", List.of(key)));
        return new UpstreamRequest(endpoint(config.baseUrl(), model), headers, body);
    }

    static URI endpoint(URI baseUrl, String model) {
        String base = Endpoints.trimmed(baseUrl);
        String path = baseUrl.getPath() == null ? "" : baseUrl.getPath().replaceAll("/+$", "");
        if (!(path.endsWith("/v1beta") || path.endsWith("/v1") || path.endsWith("/v1alpha"))) {
            base += "/v1beta";
        }
        return URI.create(base + "/models/" + Endpoints.encodeSegment(model) + ":streamGenerateContent?alt=sse");
    }

    @Override
    public StreamDecoder newDecoder(DecoderContext context) {
        return new GeminiStreamDecoder(context);
    }

    @Override
    public ProviderHttpException toException(int status, HttpHeaders headers, byte[] body, ProviderConfig config) {
        return GeminiErrors.toException(config.name(), status, headers, body, config.apiKey());
    }
}
