package io.aistream.provider.vertex;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.UnsupportedOptionException;
import io.aistream.provider.support.Endpoints;
import io.aistream.request.ChatRequest;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * Where a Vertex model is called: {@code {base}/v1/projects/{project}/locations/{location}/publishers/
 * {publisher}/models/{model}:{method}}. The base is the configured base URL, unless that is on the
 * global host (the presets' default) or has no host: then it follows the location
 * ({@link VertexSettings#baseUrl}). A configured base URL whose path already ends in {@code /v1} or
 * {@code /v1beta1} is used as is. Immutable.
 *
 * @param project  the project id or number
 * @param location the location
 * @param base     the base URL, without trailing slash
 */
record VertexEndpoint(String project, String location, String base) {
    /** What a project id or location may be: a name of letters, digits and hyphens. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,62}");

    /**
     * The endpoint {@code config} describes.
     *
     * @throws AIStreamException ({@code invalid_request}) naming the setting that is missing or unusable
     */
    static VertexEndpoint of(ProviderConfig config) {
        String project = config.setting(VertexSettings.PROJECT)
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .orElseThrow(() -> bad(config, "needs the setting '" + VertexSettings.PROJECT + "' (VERTEX_PROJECT)"));
        String location = config.setting(VertexSettings.LOCATION)
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .orElse(VertexSettings.DEFAULT_LOCATION);
        if (!NAME.matcher(project).matches()) {
            throw bad(config, "has a setting '" + VertexSettings.PROJECT + "' that is not a project id");
        }
        if (!NAME.matcher(location).matches()) {
            throw bad(config, "has a setting '" + VertexSettings.LOCATION + "' that is not a location name");
        }
        URI configured = config.baseUrl();
        URI baseUrl = configured.getHost() == null || configured.getHost().equals(VertexSettings.GLOBAL_HOST)
                ? VertexSettings.baseUrl(location)
                : configured;
        String base = Endpoints.trimmed(baseUrl);
        String path = baseUrl.getPath() == null ? "" : baseUrl.getPath().replaceAll("/+$", "");
        if (!(path.endsWith("/v1") || path.endsWith("/v1beta1"))) {
            base += "/v1";
        }
        return new VertexEndpoint(project, location, base);
    }

    /** The model's URI for {@code method} (e.g. {@code streamGenerateContent?alt=sse}). */
    URI uri(String publisher, String model, String method) {
        return URI.create(base + "/projects/" + project + "/locations/" + location + "/publishers/" + publisher
                + "/models/" + Endpoints.encodeSegment(model, "@") // Claude versions: claude-sonnet-4-5@20250929
                + ":" + method);
    }

    /**
     * The request's model id, without a leading {@code models/} or {@code publishers/<publisher>/models/}.
     *
     * @throws UnsupportedOptionException when the request names none
     */
    static String model(ChatRequest request, ProviderConfig config, String publisher) {
        return request.model()
                .map(String::strip)
                .map(m -> m.startsWith("publishers/" + publisher + "/models/")
                        ? m.substring(("publishers/" + publisher + "/models/").length())
                        : m)
                .map(m -> m.startsWith("models/") ? m.substring("models/".length()) : m)
                .filter(m -> !m.isBlank())
                .orElseThrow(
                        () -> new UnsupportedOptionException(config.name(), "model", "Vertex AI needs a model id"));
    }

    private static AIStreamException bad(ProviderConfig config, String what) {
        return new AIStreamException(ErrorCode.INVALID_REQUEST, "vertex provider '" + config.name() + "' " + what);
    }
}
