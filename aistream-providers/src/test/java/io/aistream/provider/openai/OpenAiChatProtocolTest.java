package io.aistream.provider.openai;

import static io.aistream.provider.openai.OpenAiTestRequests.API_KEY;
import static io.aistream.provider.openai.OpenAiTestRequests.body;
import static io.aistream.provider.openai.OpenAiTestRequests.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.provider.TestRequests;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.UnsupportedOptionException;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.request.ChatRequest;
import io.aistream.request.ContentPart;
import io.aistream.request.Message;
import io.aistream.request.Reasoning;
import io.aistream.request.Reasoning.Effort;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OpenAiChatProtocolTest {

    private static UpstreamRequest request(OpenAiCompatible preset, ChatRequest request, ProviderConfig config) {
        return new OpenAiChatProtocol(preset).toRequest(request, config);
    }

    private static ChatRequest withoutReasoning(ChatRequest r) {
        return r.toBuilder().reasoning(null).build();
    }

    private static ChatRequest textOnly(ChatRequest r) {
        ChatRequest.Builder b = ChatRequest.builder()
                .model(r.model().orElseThrow())
                .system(r.system().orElseThrow());
        r.messages().stream().skip(1).forEach(b::message);
        r.tools().forEach(b::tool);
        return b.toolChoice(r.toolChoice().orElseThrow()).maxOutputTokens(512).build();
    }

    private static ChatRequest prefill() {
        return ChatRequest.builder()
                .model("m")
                .user("Write a haiku about rain.")
                .assistant("Soft rain on")
                .build();
    }

    @Test
    void goldenRequestBodyMatchesTheGoldenFile() {
        UpstreamRequest req = request(
                OpenAiCompatible.OPENAI,
                OpenAiTestRequests.golden(),
                config("openai", "openai-chat", "https://api.openai.com/v1", Map.of()));
        assertThat(body(req.body())).isEqualTo(TestRequests.goldenFile("openai-chat/request.json"));
    }

    @Test
    void openAiRequestPostsToChatCompletionsWithBearerKeyAndAsksForSse() {
        UpstreamRequest req = new OpenAiChatProtocol()
                .toRequest(
                        OpenAiTestRequests.simple(),
                        config("openai", "openai-chat", "https://api.openai.com/v1/", Map.of("organization", "org-1")));
        assertThat(req.uri()).isEqualTo(URI.create("https://api.openai.com/v1/chat/completions"));
        assertThat(req.headers())
                .containsEntry("Authorization", List.of("Bearer " + API_KEY))
                .containsEntry("Content-Type", List.of("application/json"))
                .containsEntry("Accept", List.of("text/event-stream"))
                .containsEntry("OpenAI-Organization", List.of("org-1"));
        assertThat(req.toString()).doesNotContain(API_KEY);
    }

    @Test
    void providerOptionsAreSetLastAtTheTopLevelVerbatim() {
        ChatRequest r = OpenAiTestRequests.simple().toBuilder()
                .providerOption("seed", OpenAiTestRequests.json("7"))
                .providerOption(
                        "stream_options",
                        OpenAiTestRequests.json("{\"include_usage\":true,\"include_obfuscation\":false}"))
                .build();
        JsonNode body = body(new OpenAiChatProtocol()
                .toRequest(r, config("openai", "openai-chat", "https://x/v1", Map.of()))
                .body());
        assertThat(body.path("seed").asInt()).isEqualTo(7);
        assertThat(body.path("stream_options").path("include_obfuscation").asBoolean(true))
                .isFalse();
    }

    @Test
    void azureUsesTheDeploymentUrlWithApiVersionAndAnApiKeyHeader() {
        UpstreamRequest req = request(
                OpenAiCompatible.AZURE_OPENAI,
                OpenAiTestRequests.golden(),
                config(
                        "azure",
                        "openai-chat",
                        "https://res.openai.azure.com",
                        Map.of("deployment", "gpt4o prod", "apiVersion", "2025-01-01-preview")));
        assertThat(req.uri())
                .isEqualTo(
                        URI.create(
                                "https://res.openai.azure.com/openai/deployments/gpt4o%20prod/chat/completions?api-version=2025-01-01-preview"));
        assertThat(req.headers()).containsEntry("api-key", List.of(API_KEY)).doesNotContainKey("Authorization");
        assertThat(body(req.body()).path("reasoning_effort").asString()).isEqualTo("high");
    }

    @Test
    void azureFallsBackToTheModelAsDeploymentAndOffersTheV1Path() {
        ProviderConfig defaults = config("azure-openai", "openai-chat", "https://res.openai.azure.com/", Map.of());
        assertThat(request(OpenAiCompatible.AZURE_OPENAI, OpenAiTestRequests.simple(), defaults)
                        .uri())
                .isEqualTo(URI.create(
                        "https://res.openai.azure.com/openai/deployments/some-model/chat/completions?api-version="
                                + OpenAiChatProtocol.DEFAULT_AZURE_API_VERSION));
        ProviderConfig v1 =
                config("azure-openai", "openai-chat", "https://res.openai.azure.com", Map.of("apiVersion", "v1"));
        assertThat(request(OpenAiCompatible.AZURE_OPENAI, OpenAiTestRequests.simple(), v1)
                        .uri())
                .isEqualTo(URI.create("https://res.openai.azure.com/openai/v1/chat/completions"));
    }

    @Test
    void deepSeekTakesMaxTokensAndContinuesAPrefillWithAPrefixFlagOnTheBetaPath() {
        ProviderConfig cfg = config("deepseek", "openai-chat", "https://api.deepseek.com", Map.of());
        UpstreamRequest plain =
                request(OpenAiCompatible.DEEPSEEK, withoutReasoning(textOnly(OpenAiTestRequests.golden())), cfg);
        JsonNode body = body(plain.body());
        assertThat(plain.uri()).isEqualTo(URI.create("https://api.deepseek.com/chat/completions"));
        assertThat(body.path("max_tokens").asInt()).isEqualTo(512);
        assertThat(body.has("max_completion_tokens")).isFalse();
        assertThat(body.path("stream_options").path("include_usage").asBoolean())
                .isTrue();

        UpstreamRequest prefill = request(OpenAiCompatible.DEEPSEEK, prefill(), cfg);
        assertThat(prefill.uri()).isEqualTo(URI.create("https://api.deepseek.com/beta/chat/completions"));
        JsonNode last = body(prefill.body()).path("messages").get(1);
        assertThat(last.path("role").asString()).isEqualTo("assistant");
        assertThat(last.path("prefix").asBoolean()).isTrue();
        assertThat(new OpenAiChatProtocol(OpenAiCompatible.DEEPSEEK).supportsAssistantPrefill())
                .isTrue();
    }

    @Test
    void openRouterSendsAReasoningObjectAndItsAttributionHeaders() {
        ProviderConfig cfg = config(
                "openrouter",
                "openai-chat",
                "https://openrouter.ai/api/v1",
                Map.of("referer", "https://app.example", "title", "Example"));
        UpstreamRequest effort = request(OpenAiCompatible.OPENROUTER, OpenAiTestRequests.golden(), cfg);
        JsonNode body = body(effort.body());
        assertThat(body.path("reasoning")).isEqualTo(OpenAiTestRequests.json("{\"effort\":\"high\"}"));
        assertThat(body.has("reasoning_effort")).isFalse();
        assertThat(body.path("max_tokens").asInt()).isEqualTo(512);
        assertThat(effort.headers())
                .containsEntry("HTTP-Referer", List.of("https://app.example"))
                .containsEntry("X-Title", List.of("Example"));

        ChatRequest budget = OpenAiTestRequests.golden().toBuilder()
                .reasoning(Reasoning.budget(2048))
                .build();
        assertThat(body(request(OpenAiCompatible.OPENROUTER, budget, cfg).body())
                        .path("reasoning"))
                .isEqualTo(OpenAiTestRequests.json("{\"max_tokens\":2048}"));
    }

    @Test
    void mistralOmitsStreamOptionsNamesToolResultsAndMarksAPrefillAsPrefix() {
        ProviderConfig cfg = config("mistral", "openai-chat", "https://api.mistral.ai/v1", Map.of());
        JsonNode body = body(request(OpenAiCompatible.MISTRAL, withoutReasoning(OpenAiTestRequests.golden()), cfg)
                .body());
        assertThat(body.has("stream_options")).isFalse();
        assertThat(body.path("max_tokens").asInt()).isEqualTo(512);
        assertThat(body.path("messages").get(3).path("name").asString()).isEqualTo("get_weather");

        JsonNode prefill =
                body(request(OpenAiCompatible.MISTRAL, prefill(), cfg).body());
        assertThat(prefill.path("messages").get(1).path("prefix").asBoolean()).isTrue();
        assertThat(new OpenAiChatProtocol(OpenAiCompatible.MISTRAL).supportsAssistantPrefill())
                .isTrue();
    }

    @Test
    void vllmContinuesAPrefillWithContinueFinalMessageAndSendsNoAuthWithoutAKey() {
        ProviderConfig noKey = new ProviderConfig(
                "vllm", "openai-chat", URI.create("http://localhost:8000/v1"), Optional.empty(), Map.of());
        UpstreamRequest req = request(OpenAiCompatible.VLLM, prefill(), noKey);
        JsonNode body = body(req.body());
        assertThat(body.path("continue_final_message").asBoolean()).isTrue();
        assertThat(body.path("add_generation_prompt").asBoolean(true)).isFalse();
        assertThat(body.path("messages").get(1).has("prefix")).isFalse();
        assertThat(req.headers()).doesNotContainKey("Authorization");
    }

    @Test
    void presetsKnowTheirDefaultBaseUrlsAndArePickedFromTheConfig() {
        assertThat(OpenAiCompatible.VLLM.defaultBaseUrl()).contains(URI.create("http://localhost:8000/v1"));
        assertThat(OpenAiCompatible.LMSTUDIO.defaultBaseUrl()).contains(URI.create("http://localhost:1234/v1"));
        assertThat(OpenAiCompatible.LLAMACPP.defaultBaseUrl()).contains(URI.create("http://localhost:8080/v1"));
        assertThat(OpenAiCompatible.OLLAMA_OPENAI.defaultBaseUrl()).contains(URI.create("http://localhost:11434/v1"));
        assertThat(OpenAiCompatible.AZURE_OPENAI.defaultBaseUrl()).isEmpty();
        assertThat(OpenAiCompatible.LMSTUDIO.requiresApiKey()).isFalse();
        assertThat(OpenAiCompatible.GROQ.apiKeyEnv()).contains("GROQ_API_KEY");

        assertThat(OpenAiCompatible.forConfig(config("deepseek", "openai-chat", "https://x", Map.of())))
                .isEqualTo(OpenAiCompatible.DEEPSEEK);
        assertThat(OpenAiCompatible.forConfig(
                        config("my-llm", "openai-chat", "https://x", Map.of("preset", "ollama_openai"))))
                .isEqualTo(OpenAiCompatible.OLLAMA_OPENAI);
        assertThat(OpenAiCompatible.forConfig(config("my-llm", "openai-chat", "https://x", Map.of())))
                .isEqualTo(OpenAiCompatible.OPENAI);
        assertThat(new OpenAiChatProtocol().supportsAssistantPrefill()).isFalse();
        assertThat(new OpenAiChatProtocol(OpenAiCompatible.GROQ).id()).isEqualTo("openai-chat");
    }

    @Test
    void openAiRejectsAReasoningBudgetNamingTheOption() {
        ChatRequest budget = OpenAiTestRequests.simple().toBuilder()
                .reasoning(Reasoning.budget(1024))
                .build();
        assertThatThrownBy(() -> new OpenAiChatProtocol()
                        .toRequest(budget, config("openai", "openai-chat", "https://x", Map.of())))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("reasoning.budgetTokens"))
                .hasMessageContaining("openai");
    }

    @Test
    void presetsWithoutReasoningControlRejectEffortAndBudget() {
        ChatRequest effort = OpenAiTestRequests.simple().toBuilder()
                .reasoning(Reasoning.effort(Effort.LOW))
                .build();
        ChatRequest budget = OpenAiTestRequests.simple().toBuilder()
                .reasoning(Reasoning.budget(100))
                .build();
        for (OpenAiCompatible preset :
                List.of(OpenAiCompatible.DEEPSEEK, OpenAiCompatible.MISTRAL, OpenAiCompatible.LLAMACPP)) {
            ProviderConfig cfg = config(preset.id(), "openai-chat", "https://x", Map.of());
            assertThatThrownBy(() -> request(preset, effort, cfg))
                    .isInstanceOfSatisfying(
                            UnsupportedOptionException.class,
                            e -> assertThat(e.option()).isEqualTo("reasoning.effort"));
            assertThatThrownBy(() -> request(preset, budget, cfg))
                    .isInstanceOfSatisfying(
                            UnsupportedOptionException.class,
                            e -> assertThat(e.option()).isEqualTo("reasoning.budgetTokens"));
        }
    }

    @Test
    void effortLevelsAPresetDoesNotKnowAreRejected() {
        ChatRequest medium = OpenAiTestRequests.simple().toBuilder()
                .reasoning(Reasoning.effort(Effort.MEDIUM))
                .build();
        assertThatThrownBy(() ->
                        request(OpenAiCompatible.XAI, medium, config("xai", "openai-chat", "https://x", Map.of())))
                .isInstanceOf(UnsupportedOptionException.class)
                .hasMessageContaining("[low, high]");
        ChatRequest minimal = OpenAiTestRequests.simple().toBuilder()
                .reasoning(Reasoning.effort(Effort.MINIMAL))
                .build();
        assertThatThrownBy(() ->
                        request(OpenAiCompatible.GROQ, minimal, config("groq", "openai-chat", "https://x", Map.of())))
                .isInstanceOf(UnsupportedOptionException.class);
        assertThat(body(request(
                                        OpenAiCompatible.OPENAI,
                                        minimal,
                                        config("openai", "openai-chat", "https://x", Map.of()))
                                .body())
                        .path("reasoning_effort")
                        .asString())
                .isEqualTo("minimal");
    }

    @Test
    void deepSeekRejectsImages() {
        ChatRequest image = ChatRequest.builder()
                .model("deepseek-chat")
                .message(new Message.User(
                        List.of(ContentPart.text("What is this?"), ContentPart.Image.url("https://example.com/a.png"))))
                .build();
        assertThatThrownBy(() -> request(
                        OpenAiCompatible.DEEPSEEK, image, config("deepseek", "openai-chat", "https://x", Map.of())))
                .isInstanceOfSatisfying(
                        UnsupportedOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("messages.content.image"));
    }

    @Test
    void assistantTurnWithOnlyToolCallsSendsNullContent() {
        ChatRequest r = ChatRequest.builder()
                .model("m")
                .user("Weather?")
                .message(new Message.Assistant(
                        "",
                        List.of(new io.aistream.request.AssistantToolCall("c1", "w", OpenAiTestRequests.json("{}")))))
                .message(Message.toolResult("c1", "w", "sunny"))
                .build();
        JsonNode assistant = body(new OpenAiChatProtocol()
                        .toRequest(r, config("openai", "openai-chat", "https://x", Map.of()))
                        .body())
                .path("messages")
                .get(1);
        assertThat(assistant.path("content").isNull()).isTrue();
        assertThat(assistant
                        .path("tool_calls")
                        .get(0)
                        .path("function")
                        .path("arguments")
                        .asString())
                .isEqualTo("{}");
    }

    @Test
    void keepsOpenAisAdvisoryParametersAndDropsItsDefaults() {
        ChatRequest r = io.aistream.provider.TestRequests.withNoOpOpenAiParameters(
                        OpenAiTestRequests.simple().toBuilder())
                .build();
        JsonNode body = body(new OpenAiChatProtocol()
                .toRequest(r, config("openai", "openai-chat", "https://x/v1", Map.of()))
                .body());

        assertThat(body.path("user").asString()).isEqualTo("legacy-user");
        assertThat(body.path("safety_identifier").asString()).isEqualTo("end-user-7");
        assertThat(body.path("metadata").path("trace").asString()).isEqualTo("t1");
        assertThat(body.path("prompt_cache_key").asString()).isEqualTo("k1");
        assertThat(body.path("store").asBoolean(true)).isFalse();
        for (String dropped : List.of(
                "parallel_tool_calls",
                "frequency_penalty",
                "presence_penalty",
                "n",
                "logprobs",
                "top_logprobs",
                "response_format",
                "service_tier",
                "logit_bias")) {
            assertThat(body.has(dropped)).as(dropped).isFalse();
        }
    }
}
