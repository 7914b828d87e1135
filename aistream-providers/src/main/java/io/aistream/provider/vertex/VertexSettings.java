package io.aistream.provider.vertex;

import io.aistream.provider.spi.Environment;
import io.aistream.provider.spi.InvalidConfigException;
import io.aistream.provider.spi.ProviderConfig;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings both Vertex protocols read, their environment variables, and the endpoint host of a
 * location. Stateless.
 */
final class VertexSettings {
    /** Setting: the Google Cloud project id (or number). Required. */
    static final String PROJECT = "project";
    /** Setting: the location, {@code global} (the default), a multi-region ({@code us}, {@code eu}) or a region. */
    static final String LOCATION = "location";
    /** Setting: the path of a service-account key file. Without it, the config's API key is a ready access token. */
    static final String CREDENTIALS_FILE = "credentialsFile";
    /** The location used when none is configured: Google's global endpoint. */
    static final String DEFAULT_LOCATION = "global";
    /** The global endpoint's host; a base URL on this host follows the configured location. */
    static final String GLOBAL_HOST = "aiplatform.googleapis.com";
    /** The base URL of the global endpoint, the presets' default. */
    static final URI GLOBAL_BASE_URL = URI.create("https://" + GLOBAL_HOST);

    /** The variables the presets read, in the order listings show them. */
    static final List<String> VARIABLES =
            List.of("GOOGLE_APPLICATION_CREDENTIALS", "VERTEX_PROJECT", "VERTEX_LOCATION", "VERTEX_ACCESS_TOKEN");

    private VertexSettings() {}

    /**
     * The endpoint of a location: {@code global} → {@code https://aiplatform.googleapis.com}, the
     * multi-regions {@code us} and {@code eu} → {@code https://aiplatform.{us,eu}.rep.googleapis.com},
     * a region {@code r} → {@code https://r-aiplatform.googleapis.com}.
     */
    static URI baseUrl(String location) {
        return switch (location) {
            case DEFAULT_LOCATION -> GLOBAL_BASE_URL;
            case "us", "eu" -> URI.create("https://aiplatform." + location + ".rep.googleapis.com");
            default -> URI.create("https://" + location + "-" + GLOBAL_HOST);
        };
    }

    /**
     * The provider {@code name} speaking {@code protocol}, when the environment sets a project and a
     * credential: {@code GOOGLE_APPLICATION_CREDENTIALS} (a key file; preferred) or
     * {@code VERTEX_ACCESS_TOKEN} (a ready token, e.g. from {@code gcloud auth print-access-token}).
     */
    static Optional<ProviderConfig> fromEnvironment(Environment env, String name, String protocol) {
        Optional<String> project = env.get("VERTEX_PROJECT");
        Optional<String> file = env.get("GOOGLE_APPLICATION_CREDENTIALS");
        Optional<String> token = env.get("VERTEX_ACCESS_TOKEN");
        if (project.isEmpty() || (file.isEmpty() && token.isEmpty())) {
            return Optional.empty();
        }
        String location = env.get("VERTEX_LOCATION").orElse(DEFAULT_LOCATION);
        if (!VertexEndpoint.NAME.matcher(location).matches()) {
            throw new InvalidConfigException("VERTEX_LOCATION is not a location name: '" + location + "'");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(PROJECT, project.get());
        settings.put(LOCATION, location);
        file.ifPresent(f -> settings.put(CREDENTIALS_FILE, f));
        return Optional.of(new ProviderConfig(
                name, protocol, baseUrl(location), file.isPresent() ? Optional.empty() : token, settings));
    }
}
