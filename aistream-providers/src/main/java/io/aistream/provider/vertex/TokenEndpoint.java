package io.aistream.provider.vertex;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.provider.support.Json;
import io.aistream.provider.support.UpstreamText;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Exchanges a service account's signed {@link JwtAssertion} for an access token: {@code POST token_uri}
 * with {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<jwt>}
 * ({@code application/x-www-form-urlencoded}), answered by {@code {"access_token", "expires_in",
 * "token_type"}}. At most {@value #MAX_RESPONSE_BYTES} bytes of the answer are read.
 *
 * <p>Failures are {@link AIStreamException}s that name the endpoint and its {@code error} /
 * {@code error_description} (e.g. {@code invalid_grant: Invalid JWT Signature.}), never the key or the
 * assertion: a 4xx answer is {@code authentication} (not retryable), a 429 or 5xx answer
 * {@code authentication} marked retryable, a connection failure {@code upstream_connection}.
 *
 * <p>Thread-safe; each {@link #fetch} blocks its caller for one HTTP exchange (at most
 * {@link #TIMEOUT}). The HTTP client is created on first use and shared by the process.
 */
final class TokenEndpoint implements TokenCache.Fetcher {
    /** The scope Vertex AI needs. */
    static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    /** A token answer is a few hundred bytes. */
    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    /** The longest one token exchange may take. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private static final class Client {
        static final HttpClient INSTANCE = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    private final ServiceAccount account;
    private final Clock clock;

    TokenEndpoint(ServiceAccount account, Clock clock) {
        this.account = Objects.requireNonNull(account, "account");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public AccessToken fetch() throws InterruptedException {
        Instant now = clock.instant();
        String form = "grant_type=" + URLEncoder.encode(GRANT_TYPE, StandardCharsets.UTF_8) + "&assertion="
                + URLEncoder.encode(JwtAssertion.sign(account, SCOPE, now), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(account.tokenUri())
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        int status;
        byte[] body;
        try {
            HttpResponse<InputStream> response =
                    Client.INSTANCE.send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            }
        } catch (IOException e) {
            throw new AIStreamException(
                    ErrorCode.UPSTREAM_CONNECTION,
                    "vertex: cannot reach the OAuth token endpoint " + endpoint() + " ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
        if (body.length > MAX_RESPONSE_BYTES) {
            throw failure(status, "its answer is larger than " + MAX_RESPONSE_BYTES + " bytes", false);
        }
        JsonNode json = json(body);
        if (status / 100 != 2) {
            String error = Json.text(json.path("error"), "no error code");
            String description = Json.text(json.path("error_description"));
            String what = "HTTP " + status + " " + UpstreamText.excerpt(error)
                    + (description == null ? "" : ": " + UpstreamText.excerpt(description));
            throw failure(status, what, status == 429 || status >= 500);
        }
        String token = Json.text(json.path("access_token"));
        if (token == null || token.isBlank()) {
            throw failure(status, "its answer has no \"access_token\"", false);
        }
        JsonNode expiresIn = json.path("expires_in");
        long seconds = expiresIn.isNumber() || expiresIn.isString() ? expiresIn.asLong(0) : 3600;
        if (seconds <= 0) {
            throw failure(status, "its answer has an unusable \"expires_in\"", false);
        }
        Instant obtained = clock.instant();
        return new AccessToken(token, obtained, obtained.plusSeconds(seconds));
    }

    private static JsonNode json(byte[] body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            return node == null ? Json.MAPPER.missingNode() : node;
        } catch (JacksonException e) {
            return Json.MAPPER.missingNode();
        }
    }

    private AIStreamException failure(int status, String what, boolean retryable) {
        return new AIStreamException(
                ErrorCode.AUTHENTICATION.wireName(),
                "vertex: the OAuth token endpoint " + endpoint() + " refused the service account "
                        + account.clientEmail() + ": " + what,
                retryable,
                null);
    }

    /** The endpoint without query or credentials, for messages. */
    private String endpoint() {
        return account.tokenUri().getScheme() + "://" + account.tokenUri().getAuthority()
                + (account.tokenUri().getPath() == null
                        ? ""
                        : account.tokenUri().getPath());
    }
}
