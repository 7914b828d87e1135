package io.aistream.provider.cohere;

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

class CohereRequestTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final ProviderConfig CONFIG = new ProviderConfig(
            "cohere", "cohere", URI.create("https://api.cohere.com"), Optional.of("co-secret"), Map.of());
    private static final CohereProtocol PROTOCOL = new CohereProtocol();

    static ChatRequest fullRequest() {
        return TestRequests.golden("command-a-03-2025", TestRequests.IMAGE_URL)
                .toolChoice(ToolChoice.REQUIRED)
                .temperature(0.3)
                .topP(0.9)
                .maxOutputTokens(1024)
                .stopSequence("END")
                .reasoning(Reasoning.budget(2048))
                .build();
    }

    @Test
    void mapsEveryFieldAsTheGoldenBodyShows() {
        assertThat(body(PROTOCOL.toRequest(fullRequest(), CONFIG))).isEqualTo(goldenFile("cohere/full-request.json"));
    }

    @Test
    void postsToV2ChatWithBearerAuth() {
        UpstreamRequest request = PROTOCOL.toRequest(fullRequest(), CONFIG);

        assertThat(request.uri()).isEqualTo(URI.create("https://api.cohere.com/v2/chat"));
        assertThat(request.headers())
                .containsEntry("authorization", List.of("Bearer co-secret"))
                .containsEntry("content-type", List.of("application/json"));
        assertThat(request.toString()).doesNotContain("co-secret");
    }

    @Test
    void sendsNothingForAutoToolChoiceAndNoneAsNone() {
        JsonNode auto = body(PROTOCOL.toRequest(
                fullRequest().toBuilder().toolChoice(ToolChoice.AUTO).build(), CONFIG));
        JsonNode none = body(PROTOCOL.toRequest(
                fullRequest().toBuilder().toolChoice(ToolChoice.NONE).build(), CONFIG));

        assertThat(auto.has("tool_choice")).isFalse();
        assertThat(none.path("tool_choice").asString()).isEqualTo("NONE");
    }

    @Test
    void rejectsChoosingASpecificTool() {
        ChatRequest request = fullRequest().toBuilder()
                .toolChoice(ToolChoice.tool("get_time"))
                .build();

        assertThatThrownBy(() -> PROTOCOL.toRequest(request, CONFIG))
                .isInstanceOfSatisfying(UnsupportedOptionException.class, e -> {
                    assertThat(e.option()).isEqualTo("toolChoice");
                    assertThat(e.getMessage()).contains("cohere", "get_time");
                });
    }

    @ParameterizedTest
    @CsvSource({"MINIMAL, 1024", "LOW, 2048", "MEDIUM, 8192", "HIGH, 16384"})
    void mapsEffortToADocumentedTokenBudget(Reasoning.Effort effort, int budget) {
        JsonNode body = body(PROTOCOL.toRequest(
                ChatRequest.builder()
                        .model("m")
                        .user("hi")
                        .reasoning(Reasoning.effort(effort))
                        .build(),
                CONFIG));

        assertThat(body.path("thinking"))
                .isEqualTo(JSON.readTree("{\"type\":\"enabled\",\"token_budget\":" + budget + "}"));
    }

    @Test
    void marksAFailedToolResultInItsContent() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .user("hi")
                .message(new Message.Assistant("", List.of(new AssistantToolCall("c1", "f", JSON.readTree("{}")))))
                .message(new Message.Tool("c1", "f", "service down", true))
                .build();

        JsonNode messages = body(PROTOCOL.toRequest(request, CONFIG)).path("messages");

        assertThat(messages.get(1).has("tool_plan")).isFalse();
        assertThat(messages.get(1)
                        .path("tool_calls")
                        .get(0)
                        .path("function")
                        .path("arguments")
                        .asString())
                .isEqualTo("{}");
        assertThat(messages.get(2))
                .isEqualTo(JSON.readTree(
                        "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"Error: service down\"}"));
    }

    @Test
    void sendsMinimalRequestWithOnlyModelMessagesAndStream() {
        JsonNode body = body(PROTOCOL.toRequest(
                ChatRequest.builder().model("m").user("hi").assistant("Hello").build(), CONFIG));

        assertThat(body).isEqualTo(JSON.readTree("""
                {"model":"m","stream":true,"messages":[
                  {"role":"user","content":[{"type":"text","text":"hi"}]},
                  {"role":"assistant","content":"Hello"}]}"""));
    }

    @Test
    void rejectsARequestWithoutModel() {
        assertThatThrownBy(() ->
                        PROTOCOL.toRequest(ChatRequest.builder().user("hi").build(), CONFIG))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("model"));
    }

    @Test
    void passesProviderOptionsThroughAtTopLevel() {
        JsonNode body = body(PROTOCOL.toRequest(
                ChatRequest.builder()
                        .model("m")
                        .user("hi")
                        .providerOption("k", JSON.readTree("40"))
                        .providerOption("seed", JSON.readTree("7"))
                        .build(),
                CONFIG));

        assertThat(body.path("k").asInt()).isEqualTo(40);
        assertThat(body.path("seed").asInt()).isEqualTo(7);
    }

    @Test
    void dropsOpenAisNoOpParameters() {
        JsonNode body = body(PROTOCOL.toRequest(
                TestRequests.withNoOpOpenAiParameters(fullRequest().toBuilder()).build(), CONFIG));

        assertThat(body).isEqualTo(goldenFile("cohere/full-request.json"));
    }
}
