package io.aistream.provider.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.chunk.CompletionResponse;
import io.aistream.chunk.FinishReason;
import io.aistream.json.Jackson;
import io.aistream.provider.ModelRef;
import io.aistream.provider.UnknownModelException;
import io.aistream.provider.UnknownProviderException;
import io.aistream.provider.spi.InvalidConfigException;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.transport.AttemptObserver;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChatStream;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.Script;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ProviderRegistryTest {
    private static final JsonMapper JSON = Jackson.mapper();

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    @Test
    void simulatedIsAlwaysLiveAndResolvesWithItsDefaultModel() {
        ProviderRegistry registry = ProviderRegistry.builder().build();

        assertThat(registry.providerNames()).containsExactly("simulated");
        ProviderRegistry.Resolution r = registry.resolve(Optional.of("simulated"), Optional.empty());
        assertThat(r.chain()).containsExactly(new ModelRef("simulated", "echo"));
        try (ChatStream s = ChatStream.builder(
                        registry.open(r, ChatRequest.builder().user("hi there").build()))
                .build()) {
            assertThat(CompletionResponse.accumulate(s).content()).isEqualTo("hi there");
        }
    }

    @Test
    void environmentKeysMakeProvidersLiveAndNeverShowInToString() {
        ProviderRegistry registry = ProviderRegistry.builder()
                .environment(Map.of(
                        "OPENAI_API_KEY",
                        "sk-secret-1",
                        "ANTHROPIC_API_KEY",
                        "sk-ant-secret",
                        "OLLAMA_HOST",
                        "0.0.0.0:11434",
                        "GROQ_API_KEY",
                        "gsk",
                        "AWS_ACCESS_KEY_ID",
                        "AKIA",
                        "AWS_SECRET_ACCESS_KEY",
                        "s3cr3t",
                        "AWS_REGION",
                        "eu-west-1"))
                .build();

        assertThat(registry.providerNames())
                .contains("simulated", "openai", "openai-responses", "anthropic", "ollama", "groq", "bedrock");
        List<ProviderConfig> configs = EnvironmentProviders.read(Map.of(
                "OPENAI_API_KEY",
                "sk-secret-1",
                "OLLAMA_HOST",
                "0.0.0.0:11434",
                "AZURE_OPENAI_API_KEY",
                "azure-secret-2",
                "AZURE_OPENAI_ENDPOINT",
                "https://x.openai.azure.com"));
        assertThat(configs)
                .extracting(ProviderConfig::name)
                .containsExactly("openai", "openai-responses", "ollama", "azure-openai");
        assertThat(configs.get(2).baseUrl()).hasToString("http://127.0.0.1:11434");
        assertThat(configs.get(3).setting("preset")).contains("azure-openai");
        assertThat(configs.toString())
                .doesNotContain("sk-secret-1")
                .doesNotContain("azure-secret-2")
                .contains("apiKey=(set)");
    }

    @Test
    void modelMayNameProviderSlashModelAnAliasOrAChain() {
        ProviderRegistry registry = ProviderRegistry.builder()
                .environment(Map.of("OPENAI_API_KEY", "k", "ANTHROPIC_API_KEY", "k"))
                .config(json("""
                        {"aliases":{"fast":"simulated/lorem"},
                         "chains":{"robust":["anthropic/claude-sonnet-4-5","openai/gpt-4o-mini"]}}"""), Set.of())
                .build();

        assertThat(registry.resolve(Optional.empty(), Optional.of("simulated/reasoning"))
                        .chain())
                .containsExactly(new ModelRef("simulated", "reasoning"));
        assertThat(registry.resolve(Optional.empty(), Optional.of("openai/org/model-x"))
                        .chain())
                .containsExactly(new ModelRef("openai", "org/model-x"));
        assertThat(registry.resolve(Optional.of("fast"), Optional.empty()).chain())
                .containsExactly(new ModelRef("simulated", "lorem"));
        assertThat(registry.resolve(Optional.empty(), Optional.of("robust")).chain())
                .extracting(ModelRef::toString)
                .containsExactly("anthropic/claude-sonnet-4-5", "openai/gpt-4o-mini");
    }

    @Test
    void unknownNamesListWhatExists() {
        ProviderRegistry registry = ProviderRegistry.builder().build();

        assertThatThrownBy(() -> registry.resolve(Optional.of("openai"), Optional.of("gpt-4o")))
                .isInstanceOf(UnknownProviderException.class)
                .hasMessageContaining("'openai'")
                .hasMessageContaining("simulated");
        assertThatThrownBy(() -> registry.resolve(Optional.of("simulated"), Optional.of("gpt-4o")))
                .isInstanceOf(UnknownModelException.class)
                .hasMessageContaining("echo");
        assertThatThrownBy(() -> registry.resolve(Optional.empty(), Optional.of("just-a-model")))
                .isInstanceOf(UnknownProviderException.class);
    }

    @Test
    void simulatedCanBeDisabledAndIsCappedWhenAsked() {
        ProviderRegistry off = ProviderRegistry.builder()
                .config(json("{\"simulated\":{\"enabled\":false}}"), Set.of())
                .build();
        assertThat(off.providerNames()).isEmpty();
        assertThatThrownBy(() -> off.resolve(Optional.of("simulated"), Optional.empty()))
                .isInstanceOf(UnknownProviderException.class);
        assertThatThrownBy(() -> ProviderRegistry.builder()
                        .config(json("{\"simulated\":{\"enabled\":\"no\"}}"), Set.of())
                        .build())
                .hasMessageContaining("simulated.enabled");

        ProviderRegistry capped = ProviderRegistry.builder()
                .config(json("{\"simulated\":{\"maxLength\":100,\"maxTokensPerSecond\":50}}"), Set.of())
                .simulatedTokensPerSecond(40)
                .simulatedCapped(true)
                .build();
        var simulated = (io.aistream.provider.simulated.SimulatedProvider)
                capped.provider("simulated").orElseThrow();
        assertThat(simulated.caps()).contains(new io.aistream.provider.simulated.SimulatedProvider.Caps(100, 50));
        assertThat(ProviderRegistry.builder().build().provider("simulated").orElseThrow())
                .isInstanceOfSatisfying(
                        io.aistream.provider.simulated.SimulatedProvider.class,
                        p -> assertThat(p.caps()).isEmpty());
        assertThatThrownBy(() -> ProviderRegistry.builder()
                        .config(json("{\"simulated\":{\"tokensPerSecond\":0}}"), Set.of())
                        .simulatedCapped(true)
                        .build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("simulated.tokensPerSecond")
                .hasMessageContaining("unpaced answers are off");
        assertThatThrownBy(() -> ProviderRegistry.builder()
                        .config(json("{\"simulated\":{\"maxLength\":0}}"), Set.of())
                        .build())
                .hasMessageContaining("simulated.maxLength");
    }

    @Test
    void configErrorsNameTheirPath() {
        assertThatThrownBy(() -> ProviderRegistry.builder()
                        .config(json("{\"provders\":{}}"), Set.of())
                        .build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'provders'")
                .hasMessageContaining("providers");
        assertThatThrownBy(() -> ProviderRegistry.builder()
                        .config(json("{\"providers\":{\"x\":{\"protocol\":\"nope\"}}}"), Set.of())
                        .build())
                .hasMessageContaining("providers.x.protocol")
                .hasMessageContaining("openai-chat");
        assertThatThrownBy(() -> ProviderRegistry.builder()
                        .config(json("{\"retry\":{\"maxAttempts\":0}}"), Set.of())
                        .build())
                .hasMessageContaining("retry.maxAttempts");
        assertThatThrownBy(() -> ProviderRegistry.builder()
                        .config(json("{\"aliases\":{\"a\":\"nope\"}}"), Set.of())
                        .build())
                .hasMessageContaining("aliases.a");
        assertThatThrownBy(() -> ProviderRegistry.builder()
                        .config(json("{\"aliases\":{\"a\":\"ghost/m\"}}"), Set.of())
                        .build())
                .hasMessageContaining("'ghost'");
        assertThatThrownBy(() -> ProviderRegistry.builder()
                        .config(json("{\"chains\":{\"c\":[\"simulated/echo\"]}}"), Set.of())
                        .build())
                .hasMessageContaining("not a live HTTP provider");
        assertThatThrownBy(() ->
                        ProviderRegistry.builder().config(json("""
                {"providers":{"mine":{"protocol":"openai-chat","baseUrl":"http://127.0.0.1:1/v1","apiKeyEnv":"MY_KEY"}}}"""), Set.of()).build())
                .hasMessageContaining("MY_KEY");
        // keys the caller reads itself pass through
        assertThat(ProviderRegistry.builder()
                        .config(json("{\"cors\":[]}"), Set.of("cors"))
                        .build()
                        .providerNames())
                .containsExactly("simulated");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void chainFallsBackFromAFailingProviderToTheNextThroughTheRealOpenAiDecoder() {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.enqueue(
                    Script.status(401)
                            .header("content-type", "application/json")
                            .send(
                                    "{\"error\":{\"message\":\"bad key\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
            upstream.enqueue(Script.sse().send("""
                    data: {"id":"c1","object":"chat.completion.chunk","model":"m2","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}

                    data: {"id":"c1","object":"chat.completion.chunk","model":"m2","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}

                    data: [DONE]

                    """));
            String base = upstream.baseUri() + "/v1";
            ProviderRegistry registry = ProviderRegistry.builder()
                    .config(json("""
                    {"providers":{
                       "first":{"protocol":"openai-chat","preset":"vllm","baseUrl":"%s","apiKey":"k1"},
                       "second":{"protocol":"openai-chat","preset":"vllm","baseUrl":"%s"}},
                     "chains":{"both":["first/m1","second/m2"]}}""".formatted(base, base)), Set.of())
                    .build();

            ProviderRegistry.Resolution r = registry.resolve(Optional.empty(), Optional.of("both"));
            try (ChatStream s = ChatStream.builder(
                            registry.open(r, ChatRequest.builder().user("hi").build()))
                    .build()) {
                CompletionResponse response = CompletionResponse.accumulate(s);
                assertThat(response.content()).isEqualTo("Hello");
                assertThat(response.finishReason()).contains(FinishReason.STOP);
            }
            assertThat(upstream.requests()).hasSize(2);
            assertThat(upstream.requests().get(0).bodyText()).contains("\"model\":\"m1\"");
            assertThat(upstream.requests().get(1).bodyText()).contains("\"model\":\"m2\"");
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void theStreamsAttemptObserverHearsTheEventTypesItsDecoderSkips() {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.enqueue(Script.sse().send("""
                    event: usage.estimate
                    data: {"object":"usage.estimate","choices":[]}

                    data: {"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":"stop"}]}

                    data: [DONE]

                    """));
            ProviderRegistry registry = ProviderRegistry.builder()
                    .config(json("""
                    {"providers":{"up":{"protocol":"openai-chat","preset":"vllm","baseUrl":"%s/v1"}}}""".formatted(upstream.baseUri())), Set.of())
                    .build();
            List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
            AttemptObserver observer = new AttemptObserver() {
                @Override
                public void unknownEvent(String provider, String eventType) {
                    heard.add(provider + " " + eventType);
                }
            };

            ProviderRegistry.Resolution r = registry.resolve(Optional.of("up"), Optional.of("m"));
            try (ChatStream s = ChatStream.builder(
                            registry.open(r, ChatRequest.builder().user("hi").build(), observer))
                    .build()) {
                assertThat(CompletionResponse.accumulate(s).content()).isEqualTo("ok");
            }
            assertThat(heard).containsExactly("up usage.estimate");
        }
    }
}
