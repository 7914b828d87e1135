package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.json.Jackson;
import io.aistream.testing.RawHttp;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every 4xx the gateway answers about a path of a protocol's route is in that protocol's error shape,
 * also when no route matched and when Jetty refused the request before the gateway's handler ran.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ErrorShapesTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static JsonNode answer(String method, String path, Map<String, String> headers, int status)
            throws Exception {
        try (RawHttp http = RawHttp.request(gateway.port(), method, path, headers, null)) {
            assertThat(http.status()).as(method + " " + path).isEqualTo(status);
            assertThat(http.header("content-type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            return JSON.readTree(http.bodyText()).get("error");
        }
    }

    /** OpenAI's {@code {"error":{"message","type","param","code"}}}. */
    private static void assertOpenAiShape(JsonNode error) {
        assertThat(error.get("message").isString()).as(error.toString()).isTrue();
        assertThat(error.get("type").isString()).as(error.toString()).isTrue();
        assertThat(error.has("param")).as(error.toString()).isTrue();
        assertThat(error.has("code")).as(error.toString()).isTrue();
    }

    /** The native {@code {"error":{"code","message"}}}. */
    private static void assertNativeShape(JsonNode error) {
        assertThat(error.get("code").isString()).as(error.toString()).isTrue();
        assertThat(error.has("type")).as(error.toString()).isFalse();
    }

    @Test
    void anUnknownSubPathOfAnOpenAiRouteIs404InOpenAisShape() throws Exception {
        JsonNode e = answer("POST", "/v1/chat/completions/extra", Map.of(), 404);
        assertOpenAiShape(e);
        assertThat(e.get("code").asString()).isEqualTo("not_found");
        assertOpenAiShape(answer("GET", "/v1/models/a/b/c", Map.of(), 404));
    }

    @Test
    void aWrongMethodIs405InOpenAisShape() throws Exception {
        try (RawHttp http = RawHttp.request(gateway.port(), "GET", "/v1/chat/completions", Map.of(), null)) {
            assertThat(http.status()).isEqualTo(405);
            assertThat(http.header("allow")).contains("POST");
            assertOpenAiShape(JSON.readTree(http.bodyText()).get("error"));
        }
        assertOpenAiShape(answer("DELETE", "/v1/models", Map.of(), 405));
    }

    @Test
    void aRequestJettyRefusesBeforeTheHandlerIsAnsweredInTheShapeOfItsPath() throws Exception {
        // an ambiguous escape ('%25' in a path) is refused by Jetty's URI rules
        JsonNode ambiguous = answer("GET", "/v1/models/%25", Map.of(), 400);
        assertOpenAiShape(ambiguous);
        assertThat(ambiguous.get("code").asString()).isEqualTo("bad_http_request");

        JsonNode hugeHeader = answer("GET", "/v1/models", Map.of("X-Big", "x".repeat(20_000)), 431);
        assertOpenAiShape(hugeHeader);

        // no route claims the path: the native shape; nor when the request line cannot be parsed at all
        // (Jetty then keeps no path to go by)
        assertNativeShape(answer("GET", "/v1/nope/%25", Map.of(), 400));
        assertNativeShape(answer("GET", "/v1/models/%ZZ", Map.of(), 400));
    }

    @Test
    void aRefusedOriginIs403InTheShapeOfItsPath() throws Exception {
        Map<String, String> evil = Map.of("Origin", "https://evil.example");
        assertOpenAiShape(answer("GET", "/v1/models", evil, 403));
        assertNativeShape(answer("GET", "/v1/streams/x", evil, 403));
    }

    @Test
    void nativeRoutesKeepTheNativeShape() throws Exception {
        assertNativeShape(answer("GET", "/v1/nope", Map.of(), 404));
        assertNativeShape(answer("GET", "/v1/stream", Map.of(), 405));
        assertNativeShape(answer("GET", "/v1/streams/x/y", Map.of(), 404));
    }
}
