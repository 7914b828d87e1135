package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.testing.ControlledSource;
import io.aistream.testing.RawHttp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SafetyTest {
    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private static RawHttp post(TestGateway g, Map<String, String> headers, String body) throws IOException {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json");
        return RawHttp.request(g.port(), "POST", "/v1/stream", all, body);
    }

    @Test
    void bearerKeysAreRequiredWhenConfigured() throws Exception {
        try (TestGateway g = TestGateway.start(b -> b.apiKeys(List.of("k-one-0123456789abc", "k-two-0123456789abc")))) {
            for (Map<String, String> headers : List.of(
                    Map.<String, String>of(),
                    Map.of("Authorization", "Bearer wrong"),
                    Map.of("Authorization", "Basic k-one-0123456789abc"),
                    Map.of("Authorization", "Bearer k-one-0123456789abc-extra"))) {
                try (RawHttp r = post(g, headers, "{\"provider\":\"simulated\"," + HI + "}")) {
                    assertThat(r.status()).as(headers.toString()).isEqualTo(401);
                    assertThat(r.header("WWW-Authenticate")).contains("Bearer");
                    assertThat(r.bodyText()).startsWith("{\"error\":{\"code\":\"unauthorized\"");
                }
            }
            try (RawHttp ok = post(
                    g,
                    Map.of("Authorization", "Bearer k-two-0123456789abc"),
                    "{\"provider\":\"simulated\"," + HI + "}")) {
                assertThat(ok.status()).isEqualTo(200);
                assertThat(ok.bodyText()).endsWith("data: [DONE]\n\n");
            }
            try (RawHttp metrics = RawHttp.request(g.port(), "GET", "/metrics", Map.of(), null)) {
                assertThat(metrics.status()).isEqualTo(401);
            }
            try (RawHttp health = RawHttp.request(g.port(), "GET", "/health", Map.of(), null)) {
                assertThat(health.status()).isEqualTo(200);
            }
        }
    }

    @Test
    void withoutKeysOnlyLoopbackIsBound() throws Exception {
        try (TestGateway g = TestGateway.start(b -> b.host("0.0.0.0"))) {
            assertThat(g.server.host()).isEqualTo("127.0.0.1");
            assertThat(g.server.authenticationRequired()).isFalse();
        }
    }

    @Test
    void corsAllowListPreflightAndRefusal() throws Exception {
        try (TestGateway g = TestGateway.start(b -> b.corsOrigins(List.of("https://app.example")))) {
            Map<String, String> preflight = Map.of(
                    "Origin",
                    "https://app.example",
                    "Access-Control-Request-Method",
                    "POST",
                    "Access-Control-Request-Headers",
                    "content-type, authorization");
            try (RawHttp r = RawHttp.request(g.port(), "OPTIONS", "/v1/stream", preflight, null)) {
                assertThat(r.status()).isEqualTo(204);
                assertThat(r.header("Access-Control-Allow-Origin")).contains("https://app.example");
                assertThat(r.header("Access-Control-Allow-Methods")).contains("GET, POST, DELETE, OPTIONS");
                assertThat(r.header("Access-Control-Allow-Headers"))
                        .hasValueSatisfying(
                                h -> assertThat(h).startsWith("Authorization, Content-Type, Last-Event-ID"));
                assertThat(r.headLines()).contains("Vary: Origin", "Vary: Access-Control-Request-Headers");
            }
            // the official SDKs' own headers are allowed as the browser asks for them
            Map<String, String> sdkPreflight = Map.of(
                    "Origin",
                    "https://app.example",
                    "Access-Control-Request-Method",
                    "POST",
                    "Access-Control-Request-Headers",
                    "anthropic-version,x-api-key,x-stainless-os,anthropic-dangerous-direct-browser-access");
            try (RawHttp r = RawHttp.request(g.port(), "OPTIONS", "/v1/chat/completions", sdkPreflight, null)) {
                assertThat(r.status()).isEqualTo(204);
                assertThat(r.header("Access-Control-Allow-Headers"))
                        .hasValueSatisfying(h -> assertThat(h)
                                .startsWith("Authorization, Content-Type, Last-Event-ID")
                                .endsWith(", anthropic-version,x-api-key,x-stainless-os,"
                                        + "anthropic-dangerous-direct-browser-access"));
            }
            Map<String, String> garbage = Map.of(
                    "Origin",
                    "https://app.example",
                    "Access-Control-Request-Method",
                    "POST",
                    "Access-Control-Request-Headers",
                    "x-a, <script>");
            try (RawHttp r = RawHttp.request(g.port(), "OPTIONS", "/v1/stream", garbage, null)) {
                assertThat(r.header("Access-Control-Allow-Headers"))
                        .hasValueSatisfying(h -> assertThat(h)
                                .startsWith("Authorization, Content-Type, Last-Event-ID")
                                .doesNotContain("script"));
            }
            Map<String, String> evilPreflight =
                    Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "POST");
            try (RawHttp r = RawHttp.request(g.port(), "OPTIONS", "/v1/stream", evilPreflight, null)) {
                assertThat(r.status()).isEqualTo(403);
                assertThat(r.header("Access-Control-Allow-Origin")).isEmpty();
            }
            try (RawHttp r =
                    post(g, Map.of("Origin", "https://evil.example"), "{\"provider\":\"simulated\"," + HI + "}")) {
                assertThat(r.status()).isEqualTo(403);
                assertThat(r.header("Access-Control-Allow-Origin")).isEmpty();
                assertThat(r.bodyText()).contains("origin_not_allowed");
            }
            try (RawHttp r =
                    post(g, Map.of("Origin", "https://app.example"), "{\"provider\":\"simulated\"," + HI + "}")) {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("Access-Control-Allow-Origin")).contains("https://app.example");
                assertThat(r.header("Access-Control-Expose-Headers")).contains("X-Stream-Id");
            }
            // the server's own origin (its demo page) is always allowed
            try (RawHttp r = post(
                    g, Map.of("Origin", "http://127.0.0.1:" + g.port()), "{\"provider\":\"simulated\"," + HI + "}")) {
                assertThat(r.status()).isEqualTo(200);
            }
        }
    }

    @Test
    void bodyLargerThanTheLimitIs413() throws Exception {
        try (TestGateway g = TestGateway.start(b -> b.maxBodyBytes(1024))) {
            String big = "{\"provider\":\"simulated\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + "x".repeat(2000) + "\"}]}";
            try (RawHttp r = post(g, Map.of(), big)) {
                assertThat(r.status()).isEqualTo(413);
                assertThat(r.bodyText())
                        .isEqualTo("{\"error\":{\"code\":\"request_too_large\","
                                + "\"message\":\"the request body exceeds the limit of 1024 bytes\"}}");
            }
            // a chunked body without a length is cut off while reading
            try (RawHttp r = RawHttp.connect(g.port())) {
                r.send(
                        "POST",
                        "/v1/stream",
                        Map.of("Transfer-Encoding", "chunked", "Content-Type", "application/json"),
                        null);
                var out = r.socket().getOutputStream();
                String piece = "x".repeat(600);
                for (int i = 0; i < 3; i++) {
                    out.write((Integer.toHexString(piece.length()) + "\r\n" + piece + "\r\n").getBytes());
                }
                out.flush();
                r.readHead();
                assertThat(r.status()).isEqualTo(413);
            }
        }
    }

    @Test
    void concurrentStreamsPerKeyAreLimitedWith429() throws Exception {
        try (TestGateway g = TestGateway.start(b -> b.maxStreamsPerKey(2))) {
            List<RawHttp> open = new ArrayList<>();
            List<ControlledSource> sources = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                open.add(g.stream(""));
                sources.add(g.provider.nextSource());
            }
            try (RawHttp third = g.stream("")) {
                assertThat(third.status()).isEqualTo(429);
                assertThat(third.header("Retry-After")).contains("1");
                assertThat(third.bodyText()).contains("\"code\":\"too_many_streams\"");
            }
            sources.getFirst().emit(DoneChunk.of(FinishReason.STOP));
            assertThat(open.getFirst().bodyText()).endsWith("data: [DONE]\n\n");
            org.awaitility.Awaitility.await().until(() -> g.server.activeStreams() == 1);
            try (RawHttp again = g.stream("")) {
                assertThat(again.status()).isEqualTo(200);
                g.provider.nextSource().emit(DoneChunk.of(FinishReason.STOP));
            }
            for (RawHttp r : open) {
                r.close();
            }
        }
    }

    @Test
    void badInputGetsA400NamingTheField() throws Exception {
        try (TestGateway g = TestGateway.start()) {
            record Case(String body, String expected) {}
            List<Case> cases = List.of(
                    new Case(
                            "{\"provider\":",
                            "{\"error\":{\"code\":\"invalid_request\",\"message\":\"malformed JSON: "),
                    new Case("", "the body is empty"),
                    new Case("{" + HI + "}", "\"field\":\"provider\""),
                    new Case("{\"provider\":\"test\",\"modle\":\"x\"," + HI + "}", "\"field\":\"modle\""),
                    new Case(
                            "{\"provider\":\"test\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"url\":5}]}]}",
                            "{\"error\":{\"code\":\"invalid_request\",\"message\":\"messages[0].content[0].url: must be a string, "
                                    + "found a number\",\"field\":\"messages[0].content[0].url\"}}"),
                    new Case(
                            "{\"provider\":\"test\",\"backpressure\":\"fast\"," + HI + "}",
                            "\"field\":\"backpressure\""),
                    new Case("{\"provider\":\"test\",\"resumable\":\"yes\"," + HI + "}", "\"field\":\"resumable\""),
                    new Case(
                            "{\"provider\":\"test\",\"timeouts\":{\"idle\":5}," + HI + "}",
                            "\"field\":\"timeouts.idle\""),
                    new Case(
                            "{\"provider\":\"simulated\",\"providerOptions\":{\"speed\":1}," + HI + "}",
                            "simulated option 'speed'"));
            for (Case c : cases) {
                try (RawHttp r = post(g, Map.of(), c.body())) {
                    String body = r.bodyText();
                    assertThat(r.status()).as(c.body()).isEqualTo(400);
                    assertThat(body).as(c.body()).contains(c.expected());
                    assertThat(r.header("Content-Type")).contains("application/json; charset=utf-8");
                }
            }
        }
    }

    @Test
    void unknownProviderIs404AndUnknownModelIs400NamingWhatExists() throws Exception {
        try (TestGateway g = TestGateway.start()) {
            try (RawHttp r = post(g, Map.of(), "{\"provider\":\"openia\"," + HI + "}")) {
                assertThat(r.status()).isEqualTo(404);
                assertThat(r.bodyText())
                        .isEqualTo("{\"error\":{\"code\":\"unknown_provider\",\"message\":\"unknown provider "
                                + "'openia'; available: simulated, test\",\"field\":\"provider\"}}");
            }
            try (RawHttp r = post(g, Map.of(), "{\"provider\":\"test\",\"model\":\"gpt-9\"," + HI + "}")) {
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.bodyText())
                        .isEqualTo("{\"error\":{\"code\":\"invalid_request\",\"message\":\"test has no model "
                                + "'gpt-9'; available: script, other\",\"field\":\"model\"}}");
            }
        }
    }

    @Test
    void noStackTraceOrSecretReachesTheClient() throws Exception {
        try (TestGateway g = TestGateway.start(b -> b.provider(new ThrowingProvider()))) {
            try (RawHttp r = post(g, Map.of(), "{\"provider\":\"broken\"," + HI + "}")) {
                assertThat(r.status()).isEqualTo(502);
                String body = r.bodyText();
                assertThat(body)
                        .isEqualTo(
                                "{\"error\":{\"code\":\"provider_error\",\"message\":\"the provider could not open the stream\"}}");
                assertThat(body).doesNotContain(ThrowingProvider.SECRET);
            }
            try (RawHttp r = RawHttp.request(g.port(), "GET", "/v1/stream", Map.of(), null)) {
                assertThat(r.status()).isEqualTo(405);
                assertThat(r.header("Allow")).contains("POST");
            }
            try (RawHttp r = RawHttp.request(g.port(), "GET", "/v1/nothing", Map.of(), null)) {
                assertThat(r.status()).isEqualTo(404);
                assertThat(r.bodyText()).contains("\"code\":\"not_found\"");
            }
            try (RawHttp r = RawHttp.connect(g.port())) {
                r.socket().getOutputStream().write("GET /\u0001bad HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                r.readHead();
                assertThat(r.status()).isEqualTo(400);
                String body = r.bodyText();
                assertThat(body).startsWith("{\"error\":{\"code\":\"bad_http_request\"");
                assertThat(body).doesNotContain("Exception").doesNotContain("\tat ");
            }
        }
    }
}
