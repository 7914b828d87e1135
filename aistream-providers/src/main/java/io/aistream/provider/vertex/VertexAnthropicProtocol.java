package io.aistream.provider.vertex;

import io.aistream.provider.anthropic.AnthropicProtocol;
import io.aistream.provider.gemini.GeminiProtocol;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.provider.support.ErrorResponses;
import io.aistream.provider.support.Json;
import io.aistream.request.ChatRequest;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Claude on Vertex AI, protocol id {@value #ID}: {@code POST {base}/v1/projects/{project}/locations/
 * {location}/publishers/anthropic/models/{model}:streamRawPredict} with {@code Authorization: Bearer
 * <OAuth token>} (see {@link VertexEndpoint}, {@link VertexAuth}).
 *
 * <p><b>Body.</b> The Anthropic Messages body {@link AnthropicProtocol} builds (with {@code "stream":
 * true}), with {@code "anthropic_version": "vertex-2023-10-16"} first (setting
 * {@code anthropic-version} overrides it) and <em>without</em> {@code model}, which is in the path.
 * Headers: no {@code x-api-key}, no {@code anthropic-version}; {@code anthropic-beta} when that
 * setting is present. Reasoning state is the Anthropic mapper's: signatures of source
 * {@code anthropic}, which Anthropic documents as valid on its API, Bedrock and Vertex alike.
 *
 * <p><b>Response.</b> Anthropic's SSE stream, read by Anthropic's decoder. Errors come in two shapes:
 * Anthropic's {@code {"type":"error","error":{"type","message"}}} from the model, read as
 * {@link AnthropicProtocol} reads them, and Vertex's own {@code google.rpc.Status} JSON (404 for an
 * unknown model or project, 429 {@code RESOURCE_EXHAUSTED}, ...), read as the Gemini API's errors.
 *
 * <p>Thread-safe; one instance per configured provider holds that provider's token cache.
 */
public final class VertexAnthropicProtocol implements ProviderProtocol {
    /** The protocol id. */
    public static final String ID = "vertex-anthropic";
    /** The {@code anthropic_version} Vertex expects in the body. */
    public static final String API_VERSION = "vertex-2023-10-16";

    private static final AnthropicProtocol ANTHROPIC = new AnthropicProtocol();
    private static final GeminiProtocol GOOGLE_ERRORS = new GeminiProtocol();

    private final VertexAuth auth;

    VertexAnthropicProtocol(ProviderConfig config, Clock clock) {
        this.auth = new VertexAuth(Objects.requireNonNull(config, "config"), clock);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public UpstreamRequest toRequest(ChatRequest request, ProviderConfig config) {
        return VertexGeminiProtocol.withHeaders(unsigned(request, config), auth.header());
    }

    @Override
    public UpstreamRequest toDryRunRequest(ChatRequest request, ProviderConfig config) {
        return VertexGeminiProtocol.withHeaders(unsigned(request, config), auth.dryRunHeader());
    }

    private static UpstreamRequest unsigned(ChatRequest request, ProviderConfig config) {
        String model = VertexEndpoint.model(request, config, "anthropic");
        VertexEndpoint endpoint = VertexEndpoint.of(config);
        UpstreamRequest anthropic = ANTHROPIC.toRequest(request, VertexGeminiProtocol.withoutKey(config));
        ObjectNode mapped = (ObjectNode) Json.MAPPER.readTree(anthropic.body());
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("anthropic_version", config.setting("anthropic-version").orElse(API_VERSION));
        mapped.properties().forEach(e -> {
            if (!e.getKey().equals("model") && !e.getKey().equals("anthropic_version")) {
                body.set(e.getKey(), e.getValue());
            }
        });
        Map<String, List<String>> headers = new LinkedHashMap<>();
        anthropic.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("anthropic-version") && !name.equalsIgnoreCase("x-api-key")) {
                headers.put(name, values);
            }
        });
        return new UpstreamRequest(
                endpoint.uri("anthropic", model, "streamRawPredict"), headers, Json.MAPPER.writeValueAsBytes(body));
    }

    @Override
    public StreamDecoder newDecoder(DecoderContext context) {
        return ANTHROPIC.newDecoder(context);
    }

    @Override
    public ProviderHttpException toException(int status, HttpHeaders headers, byte[] body, ProviderConfig config) {
        if (status == 401) {
            auth.rejected();
        }
        JsonNode root = ErrorResponses.json(body);
        JsonNode first = root.isArray() && !root.isEmpty() ? root.get(0) : root;
        boolean anthropicShape = "error".equals(Json.text(first.path("type")))
                || first.path("error").path("type").isString();
        return anthropicShape
                ? ANTHROPIC.toException(status, headers, body, config)
                : GOOGLE_ERRORS.toException(status, headers, body, config);
    }

    /** Claude continues a trailing assistant message on Vertex as on Anthropic's API. */
    @Override
    public boolean supportsAssistantPrefill() {
        return true;
    }
}
