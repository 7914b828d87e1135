package io.aistream.provider.anthropic;

import static io.aistream.provider.TestRequests.body;
import static io.aistream.provider.TestRequests.goldenFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.json.Jackson;
import io.aistream.provider.TestRequests;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.UnsupportedOptionException;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.request.AssistantToolCall;
import io.aistream.request.ChatRequest;
import io.aistream.request.ContentPart;
import io.aistream.request.Message;
import io.aistream.request.Reasoning;
import io.aistream.request.ToolChoice;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AnthropicRequestTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final ProviderConfig CONFIG = new ProviderConfig(
            "anthropic", "anthropic", URI.create("https://api.anthropic.com/"), Optional.of("sk-ant-secret"), Map.of());
    private static final AnthropicProtocol PROTOCOL = new AnthropicProtocol();

    static ChatRequest fullRequest() {
        return TestRequests.golden("claude-sonnet-4-5", TestRequests.IMAGE_URL)
                .toolChoice(ToolChoice.AUTO)
                .temperature(1.0)
                .maxOutputTokens(8192)
                .stopSequence("END")
                .reasoning(Reasoning.budget(2048))
                .build();
    }

    @Test
    void mapsEveryFieldAsTheGoldenBodyShows() {
        assertThat(body(PROTOCOL.toRequest(fullRequest(), CONFIG)))
                .isEqualTo(goldenFile("anthropic/full-request.json"));
    }

    @Test
    void postsToMessagesWithKeyAndVersionHeaders() {
        UpstreamRequest request = PROTOCOL.toRequest(fullRequest(), CONFIG);

        assertThat(request.uri()).isEqualTo(URI.create("https://api.anthropic.com/v1/messages"));
        assertThat(request.headers())
                .containsEntry("x-api-key", List.of("sk-ant-secret"))
                .containsEntry("anthropic-version", List.of("2023-06-01"))
                .containsEntry("content-type", List.of("application/json"))
                .doesNotContainKey("authorization");
        assertThat(request.toString()).doesNotContain("sk-ant-secret");
    }

    @Test
    void settingsOverrideTheVersionAndAddBetaHeaders() {
        ProviderConfig config = new ProviderConfig(
                "claude",
                "anthropic",
                URI.create("http://localhost:8080"),
                Optional.empty(),
                Map.of("anthropic-version", "2099-01-01", "anthropic-beta", "some-feature"));

        UpstreamRequest request =
                PROTOCOL.toRequest(ChatRequest.builder().model("m").user("hi").build(), config);

        assertThat(request.uri()).isEqualTo(URI.create("http://localhost:8080/v1/messages"));
        assertThat(request.headers())
                .containsEntry("anthropic-version", List.of("2099-01-01"))
                .containsEntry("anthropic-beta", List.of("some-feature"))
                .doesNotContainKey("x-api-key");
    }

    @Test
    void defaultsMaxTokensBecauseAnthropicRequiresIt() {
        JsonNode body = body(
                PROTOCOL.toRequest(ChatRequest.builder().model("m").user("hi").build(), CONFIG));

        assertThat(body.path("max_tokens").asInt()).isEqualTo(AnthropicRequestMapper.DEFAULT_MAX_TOKENS);
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.has("thinking")).isFalse();
        assertThat(body.has("tools")).isFalse();
    }

    @Test
    void raisesTheDefaultMaxTokensAboveALargeThinkingBudget() {
        JsonNode body = body(PROTOCOL.toRequest(
                ChatRequest.builder()
                        .model("m")
                        .user("hi")
                        .reasoning(Reasoning.budget(10_000))
                        .build(),
                CONFIG));

        assertThat(body.path("max_tokens").asInt()).isEqualTo(14_096);
        assertThat(body.path("thinking").path("budget_tokens").asInt()).isEqualTo(10_000);
    }

    @ParameterizedTest
    @CsvSource({"MINIMAL, 1024", "LOW, 2048", "MEDIUM, 8192", "HIGH, 16384"})
    void mapsEffortToADocumentedThinkingBudget(Reasoning.Effort effort, int budget) {
        JsonNode body = body(PROTOCOL.toRequest(
                ChatRequest.builder()
                        .model("m")
                        .user("hi")
                        .reasoning(Reasoning.effort(effort))
                        .build(),
                CONFIG));

        assertThat(body.path("thinking").path("type").asString()).isEqualTo("enabled");
        assertThat(body.path("thinking").path("budget_tokens").asInt()).isEqualTo(budget);
        assertThat(body.path("max_tokens").asInt()).isGreaterThan(budget);
    }

    @Test
    void capsAnEffortBudgetBelowTheOutputLimit() {
        JsonNode body = body(PROTOCOL.toRequest(
                ChatRequest.builder()
                        .model("m")
                        .user("hi")
                        .maxOutputTokens(3000)
                        .reasoning(Reasoning.effort(Reasoning.Effort.HIGH))
                        .build(),
                CONFIG));

        assertThat(body.path("thinking").path("budget_tokens").asInt()).isEqualTo(2999);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(3000);
    }

    @Test
    void rejectsAThinkingBudgetThatDoesNotFitBelowMaxTokens() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .user("hi")
                .maxOutputTokens(2000)
                .reasoning(Reasoning.budget(2000))
                .build();

        assertThatThrownBy(() -> PROTOCOL.toRequest(request, CONFIG))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("reasoning.budgetTokens"));
    }

    @Test
    void rejectsAnEffortWhenTheOutputLimitLeavesNoRoomForThinking() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .user("hi")
                .maxOutputTokens(1024)
                .reasoning(Reasoning.effort(Reasoning.Effort.LOW))
                .build();

        assertThatThrownBy(() -> PROTOCOL.toRequest(request, CONFIG))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("reasoning.effort"));
    }

    @Test
    void rejectsARequestWithoutModel() {
        ChatRequest request = ChatRequest.builder().user("hi").build();

        assertThatThrownBy(() -> PROTOCOL.toRequest(request, CONFIG))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("model"));
    }

    @ParameterizedTest
    @CsvSource({"NONE, none", "REQUIRED, any"})
    void mapsToolChoiceModes(ToolChoice.Mode mode, String type) {
        ChatRequest request = fullRequest().toBuilder()
                .toolChoice(new ToolChoice(mode, Optional.empty()))
                .build();

        assertThat(body(PROTOCOL.toRequest(request, CONFIG)).path("tool_choice"))
                .isEqualTo(JSON.readTree("{\"type\":\"" + type + "\"}"));
    }

    @Test
    void mapsASpecificToolChoice() {
        ChatRequest request = fullRequest().toBuilder()
                .toolChoice(ToolChoice.tool("get_time"))
                .build();

        assertThat(body(PROTOCOL.toRequest(request, CONFIG)).path("tool_choice"))
                .isEqualTo(JSON.readTree("{\"type\":\"tool\",\"name\":\"get_time\"}"));
    }

    @Test
    void putsParallelToolResultsAndAFollowingUserTextIntoOneUserTurn() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .user("weather in Paris and Rome?")
                .message(new Message.Assistant(
                        "",
                        List.of(
                                new AssistantToolCall("t1", "w", JSON.readTree("{\"city\":\"Paris\"}")),
                                new AssistantToolCall("t2", "w", JSON.readTree("{\"city\":\"Rome\"}")))))
                .message(Message.toolResult("t1", "w", "sunny"))
                .message(new Message.Tool("t2", "w", "service down", true))
                .user("and tomorrow?")
                .build();

        JsonNode messages = body(PROTOCOL.toRequest(request, CONFIG)).path("messages");

        assertThat(messages).hasSize(3);
        assertThat(messages.get(1).path("content")).hasSize(2);
        assertThat(messages.get(2)).isEqualTo(JSON.readTree("""
                {"role":"user","content":[
                  {"type":"tool_result","tool_use_id":"t1","content":"sunny"},
                  {"type":"tool_result","tool_use_id":"t2","content":"service down","is_error":true},
                  {"type":"text","text":"and tomorrow?"}]}"""));
    }

    @Test
    void sendsADataUrlImageAsBase64Source() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .message(new Message.User(List.of(ContentPart.Image.url("data:image/jpeg;base64,/9j/4AAQ"))))
                .build();

        JsonNode source = body(PROTOCOL.toRequest(request, CONFIG))
                .path("messages")
                .get(0)
                .path("content")
                .get(0)
                .path("source");

        assertThat(source)
                .isEqualTo(JSON.readTree("{\"type\":\"base64\",\"media_type\":\"image/jpeg\",\"data\":\"/9j/4AAQ\"}"));
    }

    @Test
    void rejectsADataUrlThatIsNotBase64() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .message(new Message.User(List.of(ContentPart.Image.url("data:image/svg+xml,<svg/>"))))
                .build();

        assertThatThrownBy(() -> PROTOCOL.toRequest(request, CONFIG))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("messages[0].content[0]"));
    }

    @Test
    void keepsATrailingAssistantMessageAsPrefill() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .user("Count to five")
                .assistant("1, 2,")
                .build();

        JsonNode last =
                body(PROTOCOL.toRequest(request, CONFIG)).path("messages").get(1);

        assertThat(PROTOCOL.supportsAssistantPrefill()).isTrue();
        assertThat(last)
                .isEqualTo(
                        JSON.readTree("{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"1, 2,\"}]}"));
    }

    @Test
    void passesProviderOptionsThroughAtTopLevel() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .user("hi")
                .providerOption("top_k", JSON.readTree("40"))
                .providerOption("metadata", JSON.readTree("{\"user_id\":\"u1\"}"))
                .build();

        JsonNode body = body(PROTOCOL.toRequest(request, CONFIG));

        assertThat(body.path("top_k").asInt()).isEqualTo(40);
        assertThat(body.path("metadata").path("user_id").asString()).isEqualTo("u1");
    }

    @Test
    void dropsOpenAisNoOpParametersAndMapsTheEndUserToMetadataUserId() {
        ChatRequest request = TestRequests.withNoOpOpenAiParameters(
                        ChatRequest.builder().model("m").user("hi"))
                .build();

        JsonNode body = body(PROTOCOL.toRequest(request, CONFIG));

        assertThat(body.get("metadata")).isEqualTo(JSON.readTree("{\"user_id\":\"end-user-7\"}"));
        TestRequests.NO_OP_OPENAI_PARAMETERS.stream()
                .filter(name -> !name.equals("metadata"))
                .forEach(name -> assertThat(body.has(name)).as(name).isFalse());
    }

    @Test
    void refusesStoreTrueAndPassesAValueThatMattersToTheUpstream() {
        ChatRequest store = ChatRequest.builder()
                .model("m")
                .user("hi")
                .providerOption("store", JSON.readTree("true"))
                .build();
        assertThatThrownBy(() -> PROTOCOL.toRequest(store, CONFIG))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("store"));

        ChatRequest penalty = ChatRequest.builder()
                .model("m")
                .user("hi")
                .providerOption("frequency_penalty", JSON.readTree("0.5"))
                .build();
        assertThat(body(PROTOCOL.toRequest(penalty, CONFIG))
                        .path("frequency_penalty")
                        .asDouble())
                .isEqualTo(0.5);
    }
}
