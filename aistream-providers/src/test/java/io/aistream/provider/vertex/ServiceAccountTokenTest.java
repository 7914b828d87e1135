package io.aistream.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aistream.AIStreamException;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.provider.support.Json;
import io.aistream.request.ChatRequest;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.RecordedRequest;
import io.aistream.testing.Script;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The service-account flow against a fake token endpoint on a real socket: the signed JWT, the token
 * shared by all requests of a provider, its refresh on the injected clock, one refresh for many
 * concurrent callers, and the typed errors of a refused exchange.
 */
@Timeout(30)
class ServiceAccountTokenTest {
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private static final ChatRequest REQUEST =
            ChatRequest.builder().model("gemini-2.5-flash").user("Hi").build();

    @TempDir
    Path dir;

    private final FakeUpstream tokens = FakeUpstream.start();
    private final TestAccounts.SettableClock clock = new TestAccounts.SettableClock(START);

    @AfterEach
    void stop() {
        tokens.close();
    }

    private ProviderConfig config() throws Exception {
        Path file = TestAccounts.keyFile(dir, tokens.baseUri().resolve("/token"));
        return new ProviderConfig(
                "vertex",
                VertexGeminiProtocol.ID,
                URI.create("https://aiplatform.googleapis.com"),
                Optional.empty(),
                Map.of(
                        VertexSettings.PROJECT, "aistream-test",
                        VertexSettings.LOCATION, "us-central1",
                        VertexSettings.CREDENTIALS_FILE, file.toString()));
    }

    private static String bearer(UpstreamRequest request) {
        return request.headers().get("Authorization").getFirst();
    }

    @Test
    void theAssertionIsAnRs256JwtOfTheAccountSignedWithItsKeyAndPostedAsAJwtBearerGrant() throws Exception {
        tokens.enqueue(Script.json(200, TestAccounts.tokenJson("ya29.first", 3599)));
        ProviderConfig config = config();

        UpstreamRequest request = new VertexGeminiProtocol(config, clock).toRequest(REQUEST, config);

        assertThat(bearer(request)).isEqualTo("Bearer ya29.first");
        RecordedRequest exchange = tokens.awaitRequest(0);
        assertThat(exchange.method()).isEqualTo("POST");
        assertThat(exchange.path()).isEqualTo("/token");
        assertThat(exchange.header("content-type")).hasValue("application/x-www-form-urlencoded");
        Map<String, String> form = TestAccounts.form(exchange.bodyText());
        assertThat(form).containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");

        String[] jwt = form.get("assertion").split("\\.");
        assertThat(jwt).hasSize(3);
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(TestAccounts.KEYS.getPublic());
        rsa.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rsa.verify(Base64.getUrlDecoder().decode(jwt[2])))
                .as("signature verifies with the account's public key")
                .isTrue();
        JsonNode header = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(jwt[0]));
        assertThat(header.path("alg").asString()).isEqualTo("RS256");
        assertThat(header.path("typ").asString()).isEqualTo("JWT");
        assertThat(header.path("kid").asString()).isEqualTo(TestAccounts.KEY_ID);
        JsonNode claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        assertThat(claims.path("iss").asString()).isEqualTo(TestAccounts.EMAIL);
        assertThat(claims.path("scope").asString()).isEqualTo("https://www.googleapis.com/auth/cloud-platform");
        assertThat(claims.path("aud").asString())
                .isEqualTo(tokens.baseUri().resolve("/token").toString());
        assertThat(claims.path("iat").asLong()).isEqualTo(START.getEpochSecond());
        assertThat(claims.path("exp").asLong()).isEqualTo(START.getEpochSecond() + 3600);
        assertThat(claims.has("sub")).as("no delegation").isFalse();
    }

    @Test
    void oneTokenServesEveryRequestUntilFiveMinutesBeforeItExpiresThenOneRefreshFetchesTheNext() throws Exception {
        tokens.enqueue(Script.json(200, TestAccounts.tokenJson("ya29.first", 3600)));
        tokens.enqueue(Script.json(200, TestAccounts.tokenJson("ya29.second", 3600)));
        ProviderConfig config = config();
        VertexGeminiProtocol protocol = new VertexGeminiProtocol(config, clock);

        for (int i = 0; i < 5; i++) {
            assertThat(bearer(protocol.toRequest(REQUEST, config))).isEqualTo("Bearer ya29.first");
        }
        clock.advance(Duration.ofMinutes(54).plusSeconds(59));
        assertThat(bearer(protocol.toRequest(REQUEST, config))).isEqualTo("Bearer ya29.first");
        assertThat(tokens.requests()).hasSize(1);

        clock.advance(Duration.ofSeconds(1)); // 55 minutes: 5 minutes before expiry
        assertThat(bearer(protocol.toRequest(REQUEST, config))).isEqualTo("Bearer ya29.second");
        assertThat(bearer(protocol.toRequest(REQUEST, config))).isEqualTo("Bearer ya29.second");
        assertThat(tokens.requests()).hasSize(2);
        JsonNode claims = Json.MAPPER.readTree(Base64.getUrlDecoder()
                .decode(TestAccounts.form(tokens.requests().get(1).bodyText())
                        .get("assertion")
                        .split("\\.")[1]));
        assertThat(claims.path("iat").asLong())
                .as("the new assertion is issued at the clock's time")
                .isEqualTo(START.plus(Duration.ofMinutes(55)).getEpochSecond());
    }

    @Test
    void concurrentCallersWaitForTheOneRefreshInFlight() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        TokenCache cache = new TokenCache(
                () -> {
                    int n = fetches.incrementAndGet();
                    release.await();
                    return new AccessToken(
                            "ya29.shared-" + n, clock.instant(), clock.instant().plusSeconds(3600));
                },
                clock,
                TokenCache.DEFAULT_MARGIN);
        int callers = 8;
        List<String> got = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            threads.add(Thread.ofVirtual().start(() -> got.add(cache.token())));
        }
        // all callers are inside token(): one blocked in the fetch, the others waiting for it
        await().atMost(Duration.ofSeconds(10))
                .until(() -> threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
        release.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(fetches).hasValue(1);
        assertThat(got).hasSize(callers).containsOnly("ya29.shared-1");
    }

    @Test
    void aFailedRefreshReachesEveryWaiterAndIsNotCached() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        TokenCache cache = new TokenCache(
                () -> {
                    if (fetches.incrementAndGet() == 1) {
                        throw new AIStreamException(io.aistream.ErrorCode.AUTHENTICATION, "refused");
                    }
                    return new AccessToken(
                            "ya29.ok", clock.instant(), clock.instant().plusSeconds(3600));
                },
                clock,
                TokenCache.DEFAULT_MARGIN);

        assertThatThrownBy(cache::token).isInstanceOf(AIStreamException.class).hasMessage("refused");
        assertThat(cache.token()).isEqualTo("ya29.ok");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void aShortLivedTokenIsRefreshedAtHalfItsLifetimeNotOnEveryCall() {
        AtomicInteger fetches = new AtomicInteger();
        TokenCache cache = new TokenCache(
                () -> new AccessToken(
                        "ya29.short-" + fetches.incrementAndGet(),
                        clock.instant(),
                        clock.instant().plusSeconds(120)),
                clock,
                TokenCache.DEFAULT_MARGIN);

        assertThat(cache.token()).isEqualTo("ya29.short-1");
        clock.advance(Duration.ofSeconds(59));
        assertThat(cache.token()).isEqualTo("ya29.short-1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.token()).isEqualTo("ya29.short-2");
    }

    @Test
    void aRefusedExchangeIsATypedAuthenticationErrorNamingTheEndpointsErrorNeverTheKey() throws Exception {
        tokens.enqueue(
                Script.json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}"));
        tokens.enqueue(Script.json(
                401, "{\"error\":\"unauthorized_client\",\"error_description\":\"Client is unauthorized.\"}"));
        tokens.enqueue(Script.json(200, TestAccounts.tokenJson("ya29.after", 3600)));
        ProviderConfig config = config();
        VertexGeminiProtocol protocol = new VertexGeminiProtocol(config, clock);
        String keyMaterial = TestAccounts.pem().lines().skip(1).findFirst().orElseThrow();

        assertThatThrownBy(() -> protocol.toRequest(REQUEST, config))
                .isInstanceOfSatisfying(AIStreamException.class, e -> {
                    assertThat(e.code()).isEqualTo("authentication");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage())
                            .contains("token endpoint", "HTTP 400", "invalid_grant", "Invalid JWT Signature.")
                            .contains(TestAccounts.EMAIL)
                            .doesNotContain(keyMaterial);
                });
        assertThatThrownBy(() -> protocol.toRequest(REQUEST, config))
                .isInstanceOfSatisfying(AIStreamException.class, e -> {
                    assertThat(e.code()).isEqualTo("authentication");
                    assertThat(e.getMessage()).contains("HTTP 401", "unauthorized_client");
                });
        assertThat(bearer(protocol.toRequest(REQUEST, config)))
                .as("a failure is not cached")
                .isEqualTo("Bearer ya29.after");
    }

    @Test
    void anOversizedTokenAnswerIsRefusedWithoutReadingItAll() throws Exception {
        tokens.enqueue(Script.json(200, "{\"access_token\":\"" + "a".repeat(TokenEndpoint.MAX_RESPONSE_BYTES) + "\"}"));
        ProviderConfig config = config();

        assertThatThrownBy(() -> new VertexGeminiProtocol(config, clock).toRequest(REQUEST, config))
                .isInstanceOf(AIStreamException.class)
                .hasMessageContaining("larger than " + TokenEndpoint.MAX_RESPONSE_BYTES + " bytes");
    }

    @Test
    void aTokenVertexRejectsWith401IsDroppedAndTheNextRequestFetchesAnother() throws Exception {
        tokens.enqueue(Script.json(200, TestAccounts.tokenJson("ya29.revoked", 3600)));
        tokens.enqueue(Script.json(200, TestAccounts.tokenJson("ya29.fresh", 3600)));
        ProviderConfig config = config();
        VertexGeminiProtocol protocol = new VertexGeminiProtocol(config, clock);
        assertThat(bearer(protocol.toRequest(REQUEST, config))).isEqualTo("Bearer ya29.revoked");

        var error = protocol.toException(
                401,
                HttpHeaders.of(Map.of(), (a, b) -> true),
                ("{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication credentials.\","
                                + "\"status\":\"UNAUTHENTICATED\"}}")
                        .getBytes(StandardCharsets.UTF_8),
                config);

        assertThat(error.code()).isEqualTo("authentication");
        assertThat(error.providerErrorType()).isEqualTo("UNAUTHENTICATED");
        assertThat(bearer(protocol.toRequest(REQUEST, config))).isEqualTo("Bearer ya29.fresh");
    }

    @Test
    void aBrokenKeyFileIsNamedByItsSettingNotByItsPathAndNothingIsSent() throws Exception {
        Path file = dir.resolve("not-a-key.json");
        java.nio.file.Files.writeString(file, "{\"type\":\"authorized_user\",\"client_id\":\"x\"}");
        ProviderConfig config = new ProviderConfig(
                "vertex",
                VertexGeminiProtocol.ID,
                URI.create("https://aiplatform.googleapis.com"),
                Optional.empty(),
                Map.of(VertexSettings.PROJECT, "p", VertexSettings.CREDENTIALS_FILE, file.toString()));

        assertThatThrownBy(() -> new VertexGeminiProtocol(config, clock).toRequest(REQUEST, config))
                .isInstanceOfSatisfying(AIStreamException.class, e -> {
                    assertThat(e.code()).isEqualTo("authentication");
                    assertThat(e.getMessage())
                            .contains("GOOGLE_APPLICATION_CREDENTIALS", "'authorized_user'", "service_account")
                            .doesNotContain(dir.toString());
                });
        assertThat(tokens.requests()).isEmpty();
    }
}
