package io.aistream.provider.openai.responses;

import static io.aistream.provider.openai.OpenAiTestRequests.API_KEY;
import static io.aistream.provider.openai.OpenAiTestRequests.body;
import static io.aistream.provider.openai.OpenAiTestRequests.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.provider.TestRequests;
import io.aistream.provider.openai.OpenAiTestRequests;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.UnsupportedOptionException;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.request.ChatRequest;
import io.aistream.request.Reasoning;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiResponsesProtocolTest {
    private static final OpenAiResponsesProtocol PROTOCOL = new OpenAiResponsesProtocol();
    private static final ProviderConfig OPENAI =
            config("openai", "openai-responses", "https://api.openai.com/v1", Map.of());

    /** The shared golden request without its stop sequence, which Responses cannot express. */
    private static ChatRequest golden() {
        ChatRequest g = OpenAiTestRequests.golden();
        ChatRequest.Builder b = ChatRequest.builder()
                .model("gpt-4.1")
                .system(g.system().orElseThrow())
                .messages(g.messages())
                .toolChoice(g.toolChoice().orElseThrow())
                .temperature(0.3)
                .topP(0.9)
                .maxOutputTokens(512)
                .reasoning(g.reasoning().orElseThrow());
        g.tools().forEach(b::tool);
        return b.build();
    }

    @Test
    void goldenRequestBodyMatchesTheGoldenFile() {
        UpstreamRequest req = PROTOCOL.toRequest(golden(), OPENAI);
        assertThat(body(req.body())).isEqualTo(TestRequests.goldenFile("openai-responses/request.json"));
    }

    @Test
    void requestPostsToResponsesWithBearerKey() {
        UpstreamRequest req = PROTOCOL.toRequest(OpenAiTestRequests.simple(), OPENAI);
        assertThat(req.uri()).isEqualTo(URI.create("https://api.openai.com/v1/responses"));
        assertThat(req.headers())
                .containsEntry("Authorization", List.of("Bearer " + API_KEY))
                .containsEntry("Accept", List.of("text/event-stream"));
        assertThat(PROTOCOL.id()).isEqualTo("openai-responses");
        assertThat(PROTOCOL.supportsAssistantPrefill()).isFalse();
    }

    @Test
    void azureConfigUsesTheV1PathAndApiKeyHeader() {
        UpstreamRequest req = PROTOCOL.toRequest(
                OpenAiTestRequests.simple(),
                config("azure-openai", "openai-responses", "https://res.openai.azure.com/", Map.of()));
        assertThat(req.uri()).isEqualTo(URI.create("https://res.openai.azure.com/openai/v1/responses"));
        assertThat(req.headers()).containsEntry("api-key", List.of(API_KEY)).doesNotContainKey("Authorization");
    }

    @Test
    void stopSequencesAreRejected() {
        assertThatThrownBy(() -> PROTOCOL.toRequest(OpenAiTestRequests.golden(), OPENAI))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("stopSequences"));
    }

    @Test
    void aReasoningBudgetIsRejected() {
        ChatRequest budget = OpenAiTestRequests.simple().toBuilder()
                .reasoning(Reasoning.budget(1000))
                .build();
        assertThatThrownBy(() -> PROTOCOL.toRequest(budget, OPENAI))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("reasoning.budgetTokens"));
    }

    @Test
    void providerOptionsAreSetLastAtTheTopLevel() {
        ChatRequest r = OpenAiTestRequests.simple().toBuilder()
                .providerOption("store", OpenAiTestRequests.json("false"))
                .providerOption("reasoning", OpenAiTestRequests.json("{\"effort\":\"low\",\"summary\":\"detailed\"}"))
                .build();
        var body = body(PROTOCOL.toRequest(r, OPENAI).body());
        assertThat(body.path("store").asBoolean(true)).isFalse();
        assertThat(body.path("reasoning").path("summary").asString()).isEqualTo("detailed");
    }

    @Test
    void keepsOpenAisAdvisoryParametersAndDropsChatDefaultsTheResponsesApiLacks() {
        ChatRequest r = io.aistream.provider.TestRequests.withNoOpOpenAiParameters(
                        OpenAiTestRequests.simple().toBuilder())
                .build();
        var body = body(PROTOCOL.toRequest(r, OPENAI).body());

        assertThat(body.path("safety_identifier").asString()).isEqualTo("end-user-7");
        assertThat(body.path("store").asBoolean(true)).isFalse();
        assertThat(body.has("frequency_penalty")).isFalse();
        assertThat(body.has("response_format")).isFalse();
        assertThat(body.has("n")).isFalse();
    }
}
