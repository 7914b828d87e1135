package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.json.Jackson;
import io.aistream.testing.RawHttp;
import io.aistream.testing.WsClient;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request for a well-known provider whose key is not set says which environment variable is
 * missing, on every endpoint, rather than "unknown provider" or "model does not exist". The test
 * gateway serves no anthropic, gemini or vllm provider.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MissingKeyTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static JsonNode post(String path, String body, int status) throws Exception {
        try (RawHttp http = RawHttp.postJson(gateway.port(), path, body)) {
            assertThat(http.status()).as(path + " " + body).isEqualTo(status);
            return JSON.readTree(http.bodyText()).get("error");
        }
    }

    @Test
    void theNativeEndpointNamesTheMissingVariable() throws Exception {
        JsonNode e = post("/v1/stream", "{\"provider\":\"anthropic\",\"model\":\"claude-sonnet-4-5\"," + HI + "}", 404);
        assertThat(e.get("code").asString()).isEqualTo("provider_not_configured");
        assertThat(e.get("field").asString()).isEqualTo("provider");
        assertThat(e.get("message").asString())
                .contains("the provider 'anthropic' is not configured on this gateway: ANTHROPIC_API_KEY is not set")
                .contains("available: ");

        assertThat(post("/v1/stream", "{\"provider\":\"gemini\"," + HI + "}", 404)
                        .get("message")
                        .asString())
                .contains("(GEMINI_API_KEY, GOOGLE_API_KEY) is not set");
        assertThat(post("/v1/stream", "{\"provider\":\"vllm\"," + HI + "}", 404)
                        .get("message")
                        .asString())
                .contains("add it under \"providers\" in the --config file");
        // a name that is no known provider stays unknown
        assertThat(post("/v1/stream", "{\"provider\":\"nowhere\"," + HI + "}", 404)
                        .get("code")
                        .asString())
                .isEqualTo("unknown_provider");
    }

    @Test
    void theOpenAiEndpointNamesItInItsModelNotFound() throws Exception {
        JsonNode e = post("/v1/chat/completions", "{\"model\":\"anthropic/claude-sonnet-4-5\"," + HI + "}", 404);
        assertThat(e.get("code").asString()).isEqualTo("model_not_found");
        assertThat(e.get("message").asString())
                .contains("ANTHROPIC_API_KEY is not set")
                .doesNotContain("does not exist");
        assertThat(post("/v1/chat/completions", "{\"model\":\"anthropic\"," + HI + "}", 404)
                        .get("message")
                        .asString())
                .contains("ANTHROPIC_API_KEY is not set");
        assertThat(post("/v1/chat/completions", "{\"model\":\"nowhere/x\"," + HI + "}", 404)
                        .get("message")
                        .asString())
                .contains("does not exist");
    }

    @Test
    void theUiChatEndpointNamesIt() throws Exception {
        JsonNode e = post(
                "/v1/ui/chat",
                "{\"id\":\"c1\",\"provider\":\"anthropic\",\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"id\":\"m1\","
                        + "\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}",
                404);
        assertThat(e.get("message").asString()).contains("ANTHROPIC_API_KEY is not set");
    }

    @Test
    void theWebSocketNamesIt() throws Exception {
        try (WsClient ws = WsClient.connect(gateway.port(), "", Map.of())) {
            ws.start("a", "{\"provider\":\"anthropic\"," + HI + "}");
            JsonNode m = ws.next();
            assertThat(m.at("/error/code").asString()).isEqualTo("provider_not_configured");
            assertThat(m.at("/error/status").asInt()).isEqualTo(404);
            assertThat(m.at("/error/message").asString()).contains("ANTHROPIC_API_KEY is not set");
        }
    }
}
