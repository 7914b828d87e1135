package io.aistream.provider.vertex;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.provider.spi.ProviderConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a Vertex provider authenticates its requests: with a service account's access tokens (setting
 * {@value VertexSettings#CREDENTIALS_FILE}; fetched and cached by a {@link TokenCache}) or with a ready
 * access token (the config's API key). Built on the first request, so configuring a provider does no
 * I/O; the key file is read then, once.
 *
 * <p>Thread-safe: one per provider, shared by all its streams.
 */
final class VertexAuth {
    /** The token a dry run shows in place of one that would be fetched. */
    static final String DRY_RUN_TOKEN = "<oauth-access-token>";

    private final ProviderConfig config;
    private final Clock clock;
    private volatile TokenCache tokens;

    VertexAuth(ProviderConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The {@code Authorization} header for a request; may block while a token is fetched.
     *
     * @throws AIStreamException ({@code authentication}) when no credential is configured or the token
     *                           endpoint refused
     */
    Map<String, List<String>> header() {
        return bearer(token());
    }

    /** The header a dry run shows: the configured token, or {@link #DRY_RUN_TOKEN} where one would be fetched. */
    Map<String, List<String>> dryRunHeader() {
        return bearer(credentialsFile().isPresent() ? DRY_RUN_TOKEN : staticToken());
    }

    /** The provider answered 401: the token it was sent is dropped, the next request fetches a new one. */
    void rejected() {
        TokenCache cache = tokens;
        if (cache != null) {
            cache.invalidate();
        }
    }

    private String token() {
        if (credentialsFile().isEmpty()) {
            return staticToken();
        }
        TokenCache cache = tokens;
        if (cache == null) {
            synchronized (this) {
                cache = tokens;
                if (cache == null) {
                    ServiceAccount account =
                            ServiceAccount.read(Path.of(credentialsFile().get()));
                    cache = new TokenCache(new TokenEndpoint(account, clock), clock, TokenCache.DEFAULT_MARGIN);
                    tokens = cache;
                }
            }
        }
        return cache.token();
    }

    private Optional<String> credentialsFile() {
        return config.setting(VertexSettings.CREDENTIALS_FILE)
                .map(String::strip)
                .filter(s -> !s.isEmpty());
    }

    private String staticToken() {
        return config.apiKey()
                .filter(k -> !k.isBlank())
                .orElseThrow(() -> new AIStreamException(
                        ErrorCode.AUTHENTICATION,
                        "vertex provider '" + config.name() + "' needs the setting '"
                                + VertexSettings.CREDENTIALS_FILE
                                + "' (GOOGLE_APPLICATION_CREDENTIALS) or an access token (VERTEX_ACCESS_TOKEN)"));
    }

    private static Map<String, List<String>> bearer(String token) {
        return Map.of("Authorization", List.of("Bearer " + token));
    }
}
