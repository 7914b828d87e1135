package io.aistream.provider.vertex;

import io.aistream.provider.gemini.GeminiProtocol;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.request.ChatRequest;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Gemini on Vertex AI, protocol id {@value #ID}: {@code POST {base}/v1/projects/{project}/locations/
 * {location}/publishers/google/models/{model}:streamGenerateContent?alt=sse} with {@code Authorization:
 * Bearer <OAuth token>} (see {@link VertexEndpoint} for the base URL, {@link VertexAuth} for the token).
 *
 * <p>The body, the decoder and the error reading are the Gemini API's ({@link GeminiProtocol}): the
 * same {@code GenerateContentRequest}, the same SSE stream (Vertex adds {@code createTime} and
 * {@code usageMetadata.trafficType}, which are ignored), the same {@code google.rpc.Status} error JSON.
 * Reasoning state is therefore the Gemini mapper's: thought signatures of source {@code google}.
 *
 * <p>Thread-safe; one instance per configured provider holds that provider's token cache.
 */
public final class VertexGeminiProtocol implements ProviderProtocol {
    /** The protocol id. */
    public static final String ID = "vertex";

    private static final GeminiProtocol GEMINI = new GeminiProtocol();

    private final VertexAuth auth;

    VertexGeminiProtocol(ProviderConfig config, Clock clock) {
        this.auth = new VertexAuth(Objects.requireNonNull(config, "config"), clock);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public UpstreamRequest toRequest(ChatRequest request, ProviderConfig config) {
        UpstreamRequest unsigned = unsigned(request, config);
        return withHeaders(unsigned, auth.header());
    }

    @Override
    public UpstreamRequest toDryRunRequest(ChatRequest request, ProviderConfig config) {
        return withHeaders(unsigned(request, config), auth.dryRunHeader());
    }

    private static UpstreamRequest unsigned(ChatRequest request, ProviderConfig config) {
        String model = VertexEndpoint.model(request, config, "google");
        VertexEndpoint endpoint = VertexEndpoint.of(config);
        // the Gemini API's request without its key: Vertex takes the same body and the model in the path
        UpstreamRequest gemini = GEMINI.toRequest(request, withoutKey(config));
        return new UpstreamRequest(
                endpoint.uri("google", model, "streamGenerateContent?alt=sse"), gemini.headers(), gemini.body());
    }

    static ProviderConfig withoutKey(ProviderConfig config) {
        return new ProviderConfig(
                config.name(), config.protocol(), config.baseUrl(), Optional.empty(), config.settings());
    }

    static UpstreamRequest withHeaders(UpstreamRequest request, Map<String, List<String>> extra) {
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        headers.putAll(extra);
        return new UpstreamRequest(request.uri(), headers, request.body());
    }

    @Override
    public StreamDecoder newDecoder(DecoderContext context) {
        return GEMINI.newDecoder(context);
    }

    @Override
    public ProviderHttpException toException(int status, HttpHeaders headers, byte[] body, ProviderConfig config) {
        if (status == 401) {
            auth.rejected();
        }
        return GEMINI.toException(status, headers, body, config);
    }
}
