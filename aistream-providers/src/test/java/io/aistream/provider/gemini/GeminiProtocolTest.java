package io.aistream.provider.gemini;

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
import io.aistream.provider.support.RetryAfter;
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
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class GeminiProtocolTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final String KEY = "AIzaSy-test-key-0123456789";
    private static final ProviderConfig CONFIG = new ProviderConfig(
            "gemini", "gemini", URI.create("https://generativelanguage.googleapis.com"), Optional.of(KEY), Map.of());

    private final GeminiProtocol protocol = new GeminiProtocol();

    static ChatRequest fullRequest() {
        return TestRequests.golden("gemini-2.5-flash", TestRequests.IMAGE_URL)
                .toolChoice(ToolChoice.tool("get_weather"))
                .temperature(0.4)
                .topP(0.9)
                .maxOutputTokens(1024)
                .stopSequence("END")
                .reasoning(Reasoning.budget(2048))
                .build();
    }

    @Test
    void aFullRequestMapsToTheGoldenBody() {
        UpstreamRequest request = protocol.toRequest(fullRequest(), CONFIG);

        assertThat(body(request)).isEqualTo(goldenFile("gemini/request.json"));
    }

    @Test
    void theRequestStreamsAsSseWithTheKeyInAHeaderNotTheUrl() {
        UpstreamRequest request = protocol.toRequest(fullRequest(), CONFIG);

        assertThat(request.uri())
                .hasToString(
                        "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
        assertThat(request.uri().toString()).doesNotContain(KEY);
        assertThat(request.headers())
                .containsEntry("x-goog-api-key", List.of(KEY))
                .containsEntry("Content-Type", List.of("application/json"));
        assertThat(request.toString()).doesNotContain(KEY);
    }

    @Test
    void aBaseUrlWithAVersionAndAModelsPrefixAreRespected() {
        ProviderConfig config = new ProviderConfig(
                "proxy", "gemini", URI.create("http://localhost:8080/google/v1beta/"), Optional.empty(), Map.of());
        UpstreamRequest request = protocol.toRequest(
                ChatRequest.builder()
                        .model("models/gemini-2.0-flash")
                        .user("hi")
                        .build(),
                config);

        assertThat(request.uri())
                .hasToString(
                        "http://localhost:8080/google/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
        assertThat(request.headers()).doesNotContainKey("x-goog-api-key");
    }

    @Test
    void aMinimalRequestHasOnlyContents() {
        JsonNode body = body(protocol.toRequest(
                ChatRequest.builder().model("gemini-2.0-flash").user("hi").build(), CONFIG));

        assertThat(body).isEqualTo(JSON.readTree("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}"));
    }

    @Test
    void effortMapsToAThinkingBudgetOrToAThinkingLevelOnGemini3() {
        JsonNode flash = body(protocol.toRequest(
                ChatRequest.builder()
                        .model("gemini-2.5-flash")
                        .user("hi")
                        .reasoning(Reasoning.effort(Reasoning.Effort.MEDIUM))
                        .build(),
                CONFIG));
        JsonNode three = body(protocol.toRequest(
                ChatRequest.builder()
                        .model("gemini-3-pro-preview")
                        .user("hi")
                        .reasoning(Reasoning.effort(Reasoning.Effort.HIGH))
                        .build(),
                CONFIG));

        assertThat(flash.at("/generationConfig/thinkingConfig"))
                .isEqualTo(JSON.readTree("{\"thinkingBudget\":8192,\"includeThoughts\":true}"));
        assertThat(three.at("/generationConfig/thinkingConfig"))
                .isEqualTo(JSON.readTree("{\"thinkingLevel\":\"high\",\"includeThoughts\":true}"));
    }

    @Test
    void toolChoiceModesMapToFunctionCallingConfig() {
        ChatRequest.Builder base = ChatRequest.builder()
                .model("gemini-2.5-flash")
                .user("hi")
                .tool(new ToolDefinition("f", Optional.empty(), JSON.readTree("{\"type\":\"object\"}")));

        assertThat(body(protocol.toRequest(base.toolChoice(ToolChoice.AUTO).build(), CONFIG))
                        .at("/toolConfig/functionCallingConfig/mode")
                        .stringValue())
                .isEqualTo("AUTO");
        assertThat(body(protocol.toRequest(base.toolChoice(ToolChoice.NONE).build(), CONFIG))
                        .at("/toolConfig/functionCallingConfig/mode")
                        .stringValue())
                .isEqualTo("NONE");
        assertThat(body(protocol.toRequest(base.toolChoice(ToolChoice.REQUIRED).build(), CONFIG))
                        .at("/toolConfig/functionCallingConfig"))
                .isEqualTo(JSON.readTree("{\"mode\":\"ANY\"}"));
    }

    @Test
    void toolResultsAreGroupedAndWrappedWhenNotAnObject() {
        ChatRequest request = ChatRequest.builder()
                .model("gemini-2.5-flash")
                .user("hi")
                .message(new Message.Assistant(
                        "",
                        List.of(
                                new AssistantToolCall("a", "f", JSON.readTree("{}")),
                                new AssistantToolCall("b", "g", JSON.readTree("{\"x\":1}")))))
                .message(Message.toolResult("a", "f", "plain text"))
                .message(new Message.Tool("b", "g", "{\"reason\":\"timeout\"}", true))
                .build();

        JsonNode contents = body(protocol.toRequest(request, CONFIG)).get("contents");

        assertThat(contents).hasSize(3);
        assertThat(contents.get(1)).isEqualTo(JSON.readTree("""
                {"role":"model","parts":[{"functionCall":{"name":"f","args":{}}},{"functionCall":{"name":"g","args":{"x":1}}}]}"""));
        assertThat(contents.get(2)).isEqualTo(JSON.readTree("""
                {"role":"user","parts":[
                  {"functionResponse":{"name":"f","response":{"output":"plain text"}}},
                  {"functionResponse":{"name":"g","response":{"error":{"reason":"timeout"}}}}]}"""));
    }

    @Test
    void aBase64DataUrlIsSentInline() {
        ChatRequest request = ChatRequest.builder()
                .model("gemini-2.5-flash")
                .message(new Message.User(List.of(ContentPart.Image.url("data:image/webp;base64,UklGRg=="))))
                .build();

        assertThat(body(protocol.toRequest(request, CONFIG)).at("/contents/0/parts/0"))
                .isEqualTo(JSON.readTree("{\"inlineData\":{\"mimeType\":\"image/webp\",\"data\":\"UklGRg==\"}}"));
    }

    @Test
    void aDataUrlThatIsNotBase64IsUnsupported() {
        ChatRequest request = ChatRequest.builder()
                .model("gemini-2.5-flash")
                .message(new Message.User(
                        List.of(ContentPart.text("look"), ContentPart.Image.url("data:image/svg+xml,%3Csvg%3E"))))
                .build();

        assertThatThrownBy(() -> protocol.toRequest(request, CONFIG))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("messages[0].content[1]"))
                .hasMessageContaining("base64");
    }

    @Test
    void aRequestWithoutAModelIsRejected() {
        assertThatThrownBy(() ->
                        protocol.toRequest(ChatRequest.builder().user("hi").build(), CONFIG))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("model"));
    }

    @Test
    void providerOptionsMergeIntoTheBody() {
        ChatRequest request = ChatRequest.builder()
                .model("gemini-2.5-flash")
                .user("hi")
                .temperature(0.5)
                .providerOption(
                        "generationConfig", JSON.readTree("{\"seed\":7,\"responseMimeType\":\"application/json\"}"))
                .providerOption(
                        "safetySettings",
                        JSON.readTree("[{\"category\":\"HARM_CATEGORY_HARASSMENT\",\"threshold\":\"BLOCK_NONE\"}]"))
                .build();

        JsonNode body = body(protocol.toRequest(request, CONFIG));

        assertThat(body.get("generationConfig"))
                .isEqualTo(JSON.readTree("{\"temperature\":0.5,\"seed\":7,\"responseMimeType\":\"application/json\"}"));
        assertThat(body.at("/safetySettings/0/threshold").stringValue()).isEqualTo("BLOCK_NONE");
    }

    private static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (a, b) -> true);
    }

    @Test
    void aGoogleErrorBodyBecomesATypedExceptionWithTheRetryDelay() {
        String body = """
                {"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED",
                  "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure"},
                             {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}}""";

        ProviderHttpException e = protocol.toException(
                429, headers(Map.of("x-request-id", List.of("req-1"))), body.getBytes(StandardCharsets.UTF_8), CONFIG);

        assertThat(e.status()).isEqualTo(429);
        assertThat(e.providerErrorType()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(e.getMessage()).contains("You exceeded your current quota.");
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(37));
        assertThat(e.requestId()).contains("req-1");
        assertThat(e.retryable()).isTrue();
        assertThat(e.code()).isEqualTo("rate_limited");
    }

    @Test
    void anErrorWrappedInAnArrayAndTheRetryAfterHeaderAreRead() {
        String body =
                "[{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}]";

        ProviderHttpException e = protocol.toException(
                503, headers(Map.of("retry-after", List.of("12"))), body.getBytes(StandardCharsets.UTF_8), CONFIG);

        assertThat(e.providerErrorType()).isEqualTo("UNAVAILABLE");
        assertThat(e.getMessage()).contains("The model is overloaded.");
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(12));
    }

    @Test
    void retryAfterAsAnHttpDateAndRetryAfterMsAreRead() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120));

        assertThat(RetryAfter.parse(headers(Map.of("retry-after", List.of(date))))
                        .orElseThrow())
                .isBetween(Duration.ofSeconds(100), Duration.ofSeconds(121));
        assertThat(RetryAfter.parse(headers(Map.of("retry-after-ms", List.of("1500"), "retry-after", List.of("9")))))
                .contains(Duration.ofMillis(1500));
    }

    @Test
    void aNonJsonBodyGivesATruncatedMessageAndNeverTheKey() {
        String body = "<html>bad gateway for key " + KEY + "</html>" + "x".repeat(2000);

        ProviderHttpException e =
                protocol.toException(502, headers(Map.of()), body.getBytes(StandardCharsets.UTF_8), CONFIG);

        assertThat(e.providerErrorType()).isEqualTo("provider_error");
        assertThat(e.getMessage()).contains("bad gateway").doesNotContain(KEY).hasSizeLessThan(700);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void theApiKeyIsMaskedInAnErrorMessage() {
        String body = "{\"error\":{\"code\":400,\"message\":\"API key not valid: " + KEY
                + "\",\"status\":\"INVALID_ARGUMENT\"}}";

        ProviderHttpException e =
                protocol.toException(400, headers(Map.of()), body.getBytes(StandardCharsets.UTF_8), CONFIG);

        assertThat(e.getMessage()).doesNotContain(KEY).contains("API key not valid");
        assertThat(e.providerErrorType()).isEqualTo("INVALID_ARGUMENT");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void dropsOpenAisNoOpParameters() {
        ChatRequest.Builder request =
                ChatRequest.builder().model("gemini-2.5-flash").user("hi");
        JsonNode plain = body(protocol.toRequest(request.build(), CONFIG));

        JsonNode withNoOps = body(protocol.toRequest(
                io.aistream.provider.TestRequests.withNoOpOpenAiParameters(request)
                        .build(),
                CONFIG));

        assertThat(withNoOps).isEqualTo(plain);
    }
}
