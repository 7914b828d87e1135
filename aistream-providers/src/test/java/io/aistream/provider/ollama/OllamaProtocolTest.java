package io.aistream.provider.ollama;

import static io.aistream.provider.TestRequests.body;
import static io.aistream.provider.TestRequests.goldenFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.json.Jackson;
import io.aistream.provider.TestRequests;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.spi.UnsupportedOptionException;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.request.AssistantToolCall;
import io.aistream.request.ChatRequest;
import io.aistream.request.ContentPart;
import io.aistream.request.Message;
import io.aistream.request.Reasoning;
import io.aistream.request.ToolChoice;
import io.aistream.request.ToolDefinition;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OllamaProtocolTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final ProviderConfig LOCAL =
            new ProviderConfig("ollama", "ollama", OllamaProtocol.DEFAULT_BASE_URL, Optional.empty(), Map.of());

    private final OllamaProtocol protocol = new OllamaProtocol();

    private static JsonNode schema(String json) {
        return JSON.readTree(json);
    }

    /** The shared golden request; Ollama cannot fetch image URLs, so its URL image is a base64 data: URL. */
    static ChatRequest fullRequest() {
        return TestRequests.golden("qwen3:8b", TestRequests.IMAGE_DATA_URL)
                .toolChoice(ToolChoice.AUTO)
                .temperature(0.4)
                .topP(0.9)
                .maxOutputTokens(1024)
                .stopSequence("END")
                .reasoning(Reasoning.effort(Reasoning.Effort.HIGH))
                .build();
    }

    @Test
    void aFullRequestMapsToTheGoldenBody() {
        assertThat(body(protocol.toRequest(fullRequest(), LOCAL))).isEqualTo(goldenFile("ollama/request.json"));
    }

    @Test
    void theRequestGoesToApiChatWithoutAuthLocallyAndWithABearerKeyWhenConfigured() {
        UpstreamRequest local = protocol.toRequest(fullRequest(), LOCAL);
        ProviderConfig cloud = new ProviderConfig(
                "ollama-cloud", "ollama", URI.create("https://ollama.com/api/"), Optional.of("secret"), Map.of());
        UpstreamRequest remote = protocol.toRequest(fullRequest(), cloud);

        assertThat(local.uri()).hasToString("http://127.0.0.1:11434/api/chat");
        assertThat(local.headers())
                .doesNotContainKey("Authorization")
                .containsEntry("Content-Type", List.of("application/json"));
        assertThat(remote.uri()).hasToString("https://ollama.com/api/chat");
        assertThat(remote.headers()).containsEntry("Authorization", List.of("Bearer secret"));
    }

    @Test
    void aMinimalRequestStreamsWithoutOptions() {
        assertThat(body(protocol.toRequest(
                        ChatRequest.builder().model("llama3.2").user("hi").build(), LOCAL)))
                .isEqualTo(
                        JSON.readTree(
                                "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}"));
    }

    @Test
    void toolChoiceNoneLeavesTheToolsOut() {
        ChatRequest request = ChatRequest.builder()
                .model("llama3.2")
                .user("hi")
                .tool(new ToolDefinition("f", Optional.empty(), schema("{\"type\":\"object\"}")))
                .toolChoice(ToolChoice.NONE)
                .build();

        assertThat(body(protocol.toRequest(request, LOCAL)).has("tools")).isFalse();
    }

    @Test
    void aForcedToolChoiceIsUnsupported() {
        ChatRequest request = ChatRequest.builder()
                .model("llama3.2")
                .user("hi")
                .tool(new ToolDefinition("f", Optional.empty(), schema("{\"type\":\"object\"}")))
                .toolChoice(ToolChoice.REQUIRED)
                .build();

        assertThatThrownBy(() -> protocol.toRequest(request, LOCAL))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("toolChoice"));
    }

    @Test
    void anImageByUrlIsUnsupported() {
        ChatRequest request = ChatRequest.builder()
                .model("llava")
                .message(new Message.User(List.of(
                        ContentPart.text("what is this?"), ContentPart.Image.url("https://example.com/cat.png"))))
                .build();

        assertThatThrownBy(() -> protocol.toRequest(request, LOCAL))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("messages[0].content[1]"))
                .hasMessageContaining("base64");
    }

    @Test
    void aReasoningBudgetIsUnsupportedAndMinimalEffortIsLow() {
        ChatRequest budget = ChatRequest.builder()
                .model("qwen3:8b")
                .user("hi")
                .reasoning(Reasoning.budget(1000))
                .build();
        ChatRequest minimal = ChatRequest.builder()
                .model("qwen3:8b")
                .user("hi")
                .reasoning(Reasoning.effort(Reasoning.Effort.MINIMAL))
                .build();

        assertThatThrownBy(() -> protocol.toRequest(budget, LOCAL))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("reasoning.budgetTokens"));
        assertThat(body(protocol.toRequest(minimal, LOCAL)).get("think").stringValue())
                .isEqualTo("low");
    }

    @Test
    void aFailedToolResultIsSentAsAnErrorObject() {
        ChatRequest request = ChatRequest.builder()
                .model("llama3.2")
                .user("hi")
                .message(new Message.Assistant("", List.of(new AssistantToolCall("c1", "f", JSON.readTree("{}")))))
                .message(new Message.Tool("c1", "f", "city not found", true))
                .build();

        JsonNode tool = body(protocol.toRequest(request, LOCAL)).at("/messages/2");

        assertThat(tool)
                .isEqualTo(
                        JSON.readTree(
                                "{\"role\":\"tool\",\"content\":\"{\\\"error\\\":\\\"city not found\\\"}\",\"tool_name\":\"f\",\"tool_call_id\":\"c1\"}"));
    }

    @Test
    void providerOptionsMergeIntoTheBody() {
        ChatRequest request = ChatRequest.builder()
                .model("llama3.2")
                .user("hi")
                .temperature(0.2)
                .providerOption("options", JSON.readTree("{\"num_ctx\":8192}"))
                .providerOption("keep_alive", JSON.readTree("\"10m\""))
                .build();

        JsonNode body = body(protocol.toRequest(request, LOCAL));

        assertThat(body.get("options")).isEqualTo(JSON.readTree("{\"temperature\":0.2,\"num_ctx\":8192}"));
        assertThat(body.get("keep_alive").stringValue()).isEqualTo("10m");
    }

    private static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (a, b) -> true);
    }

    @Test
    void anOllamaErrorBodyBecomesATypedException() {
        byte[] body =
                "{\"error\":\"model \\\"llama9\\\" not found, try pulling it first\"}".getBytes(StandardCharsets.UTF_8);

        ProviderHttpException e = protocol.toException(404, headers(Map.of()), body, LOCAL);

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.providerErrorType()).isEqualTo("provider_error");
        assertThat(e.getMessage()).contains("model \"llama9\" not found, try pulling it first");
        assertThat(e.retryable()).isFalse();
        assertThat(e.code()).isEqualTo("invalid_request");
    }

    @Test
    void aBusyServerIsRetryableWithItsRetryHint() {
        byte[] body = "{\"error\":\"server busy, please try again.  maximum pending requests exceeded\"}"
                .getBytes(StandardCharsets.UTF_8);

        ProviderHttpException e = protocol.toException(
                503, headers(Map.of("Retry-After", List.of("3"), "x-request-id", List.of("r-9"))), body, LOCAL);

        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
        assertThat(e.requestId()).contains("r-9");
    }

    @Test
    void aNonJsonBodyIsQuotedTruncatedAndNeverShowsTheKey() {
        ProviderConfig cloud = new ProviderConfig(
                "ollama-cloud", "ollama", URI.create("https://ollama.com"), Optional.of("sk-ollama-secret"), Map.of());
        byte[] body = ("upstream failed for sk-ollama-secret " + "z".repeat(3000)).getBytes(StandardCharsets.UTF_8);

        ProviderHttpException e = protocol.toException(502, headers(Map.of()), body, cloud);

        assertThat(e.getMessage())
                .contains("upstream failed")
                .doesNotContain("sk-ollama-secret")
                .hasSizeLessThan(700);
        assertThat(e.providerErrorType()).isEqualTo("provider_error");
    }

    @Test
    void dropsOpenAisNoOpParameters() {
        ChatRequest.Builder request = ChatRequest.builder().model("llama3.2").user("hi");
        JsonNode plain = body(protocol.toRequest(request.build(), LOCAL));

        JsonNode withNoOps = body(protocol.toRequest(
                io.aistream.provider.TestRequests.withNoOpOpenAiParameters(request)
                        .build(),
                LOCAL));

        assertThat(withNoOps).isEqualTo(plain);
    }
}
