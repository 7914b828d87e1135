package io.aistream.provider.vertex;

import static io.aistream.testing.Chunks.done;
import static io.aistream.testing.Chunks.drain;
import static io.aistream.testing.Chunks.reasoning;
import static io.aistream.testing.Chunks.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.AIStreamException;
import io.aistream.chunk.AnswerPart;
import io.aistream.chunk.CompletionResponse;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ReasoningState;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.provider.registry.EnvironmentProviders;
import io.aistream.provider.registry.ProtocolCatalog;
import io.aistream.provider.registry.ProviderRegistry;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.provider.support.Json;
import io.aistream.request.ChatRequest;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.RecordedRequest;
import io.aistream.testing.Script;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Both Vertex providers end to end through {@link ProviderRegistry}: a fake token endpoint and a fake
 * Vertex upstream on real sockets, the Vertex fixtures as the streamed bodies; the request's path,
 * Bearer token and body; the hosts of the locations; the environment; errors; the dry run.
 */
@Timeout(30)
class VertexProvidersTest {
    private static final ChatRequest QUESTION = ChatRequest.builder()
            .system("Answer briefly.")
            .user("What's the weather in Lisbon?")
            .build();

    @TempDir
    Path dir;

    private final FakeUpstream tokens = FakeUpstream.start();
    private final FakeUpstream vertex = FakeUpstream.start();

    @AfterEach
    void stop() {
        tokens.close();
        vertex.close();
    }

    private static String fixture(String path) throws IOException {
        try (InputStream in = VertexProvidersTest.class.getResourceAsStream("/fixtures/providers/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private ProviderRegistry registry() throws IOException {
        Path key = TestAccounts.keyFile(dir, tokens.baseUri().resolve("/token"));
        String settings = "{\"project\":\"aistream-test\",\"location\":\"europe-west4\",\"credentialsFile\":"
                + Json.MAPPER.writeValueAsString(key.toString()) + "}";
        return ProviderRegistry.builder()
                .config(
                        Json.MAPPER.readTree("{\"providers\":{"
                                + "\"vertex\":{\"protocol\":\"vertex\",\"baseUrl\":\"" + vertex.baseUri()
                                + "\",\"settings\":" + settings + "},"
                                + "\"vertex-anthropic\":{\"protocol\":\"vertex-anthropic\",\"baseUrl\":\""
                                + vertex.baseUri() + "\",\"settings\":" + settings + "}}}"),
                        Set.of())
                .build();
    }

    private static List<StreamChunk> stream(ProviderRegistry registry, String provider, String model) throws Exception {
        ChatRequest request = QUESTION.toBuilder().model(model).build();
        return drain(registry.open(registry.resolve(Optional.of(provider), Optional.of(model)), request));
    }

    @Test
    void geminiOnVertexStreamsWithTheServiceAccountsTokenAtTheModelsPublisherPath() throws Exception {
        tokens.enqueue(Script.json(200, TestAccounts.tokenJson("ya29.vertex-token", 3599)));
        vertex.enqueue(Script.sse().send(fixture("vertex/thinking-function-call.sse")));
        vertex.enqueue(Script.sse().send(fixture("vertex/unknown-event.sse")));
        ProviderRegistry registry = registry();

        List<StreamChunk> chunks = stream(registry, "vertex", "gemini-2.5-flash");

        assertThat(reasoning(chunks)).startsWith("**Checking the forecast**");
        assertThat(text(chunks)).isEqualTo("Let me look that up.");
        assertThat(chunks)
                .filteredOn(ToolCallChunk.class::isInstance)
                .extracting(c -> ((ToolCallChunk) c).toolCall().name().orElseThrow())
                .containsExactly("getWeather");
        DoneChunk done = done(chunks);
        assertThat(done.finishReason().wireName()).isEqualTo("tool_calls");
        assertThat(done.usage().orElseThrow().inputTokens()).isEqualTo(41);
        assertThat(done.usage().orElseThrow().outputTokens()).isEqualTo(109);

        RecordedRequest sent = vertex.awaitRequest(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.target())
                .isEqualTo("/v1/projects/aistream-test/locations/europe-west4/publishers/google/models/"
                        + "gemini-2.5-flash:streamGenerateContent?alt=sse");
        assertThat(sent.header("authorization")).hasValue("Bearer ya29.vertex-token");
        assertThat(sent.header("x-goog-api-key")).isEmpty();
        JsonNode body = Json.MAPPER.readTree(sent.body());
        assertThat(body.path("systemInstruction")
                        .path("parts")
                        .get(0)
                        .path("text")
                        .asString())
                .isEqualTo("Answer briefly.");
        assertThat(body.path("contents").get(0).path("role").asString()).isEqualTo("user");
        assertThat(body.has("model")).isFalse();

        // a second stream reuses the token
        assertThat(text(stream(registry, "vertex", "gemini-2.5-flash")))
                .isEqualTo("Lisbon is the capital of Portugal.");
        assertThat(vertex.awaitRequest(1).header("authorization")).hasValue("Bearer ya29.vertex-token");
        assertThat(tokens.requests()).hasSize(1);
    }

    @Test
    void claudeOnVertexSendsTheMessagesBodyWithTheVertexVersionAndTheModelOnlyInThePath() throws Exception {
        tokens.enqueue(Script.json(200, TestAccounts.tokenJson("ya29.claude-token", 3599)));
        vertex.enqueue(Script.sse().send(fixture("vertex-anthropic/thinking-tool-use.sse")));
        ProviderRegistry registry = registry();

        List<StreamChunk> chunks = stream(registry, "vertex-anthropic", "claude-sonnet-4-5@20250929");

        assertThat(reasoning(chunks))
                .isEqualTo("The user asks for the weather in Lisbon. I'll call get_weather with celsius.");
        assertThat(text(chunks)).isEqualTo("I'll check the current weather in Lisbon.");
        DoneChunk done = done(chunks);
        assertThat(done.finishReason().wireName()).isEqualTo("tool_calls");
        assertThat(done.usage().orElseThrow().inputTokens()).isEqualTo(412);
        assertThat(CompletionResponse.accumulate(chunks).parts().getFirst())
                .as("Claude-on-Vertex signatures are Anthropic's")
                .isInstanceOfSatisfying(
                        AnswerPart.Reasoning.class,
                        r -> assertThat(r.state().orElseThrow().source()).isEqualTo(ReasoningState.ANTHROPIC));
        assertThat(done.usage().orElseThrow().outputTokens()).isEqualTo(97);

        RecordedRequest sent = vertex.awaitRequest(0);
        assertThat(sent.target())
                .isEqualTo("/v1/projects/aistream-test/locations/europe-west4/publishers/anthropic/models/"
                        + "claude-sonnet-4-5@20250929:streamRawPredict");
        assertThat(sent.header("authorization")).hasValue("Bearer ya29.claude-token");
        assertThat(sent.header("x-api-key")).isEmpty();
        assertThat(sent.header("anthropic-version")).isEmpty();
        JsonNode body = Json.MAPPER.readTree(sent.body());
        assertThat(body.propertyNames().iterator().next()).isEqualTo("anthropic_version");
        assertThat(body.path("anthropic_version").asString()).isEqualTo("vertex-2023-10-16");
        assertThat(body.has("model")).isFalse();
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("system").toString()).contains("Answer briefly.");
        assertThat(body.path("max_tokens").isNumber()).isTrue();
    }

    @Test
    void theLocationPicksTheHostAndAnotherBaseUrlIsUsedAsItIs() {
        assertThat(uri("global", "https://aiplatform.googleapis.com"))
                .isEqualTo("https://aiplatform.googleapis.com/v1/projects/p-1/locations/global/publishers/google/"
                        + "models/gemini-2.5-pro:streamGenerateContent?alt=sse");
        assertThat(uri("us-central1", "https://aiplatform.googleapis.com"))
                .startsWith("https://us-central1-aiplatform.googleapis.com/v1/projects/p-1/locations/us-central1/");
        assertThat(uri("eu", "https://aiplatform.googleapis.com"))
                .startsWith("https://aiplatform.eu.rep.googleapis.com/v1/projects/p-1/locations/eu/");
        assertThat(uri("us-east5", "http://127.0.0.1:9/proxy/v1/"))
                .startsWith("http://127.0.0.1:9/proxy/v1/projects/p-1/locations/us-east5/publishers/");
        assertThat(uri(null, "https://aiplatform.googleapis.com"))
                .as("the default location is global")
                .contains("//aiplatform.googleapis.com/v1/projects/p-1/locations/global/");
    }

    private static String uri(String location, String base) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of(VertexSettings.PROJECT, "p-1"));
        if (location != null) {
            settings.put(VertexSettings.LOCATION, location);
        }
        ProviderConfig config =
                new ProviderConfig("vertex", "vertex", URI.create(base), Optional.of("ya29.static"), settings);
        return new VertexGeminiProtocol(config, java.time.Clock.systemUTC())
                .toRequest(
                        ChatRequest.builder().model("gemini-2.5-pro").user("x").build(), config)
                .uri()
                .toString();
    }

    @Test
    void theEnvironmentConfiguresBothProvidersAtTheLocationsHost() {
        List<ProviderConfig> configs = EnvironmentProviders.read(Map.of(
                "GOOGLE_APPLICATION_CREDENTIALS", "/secrets/sa.json",
                "VERTEX_PROJECT", "my-project",
                "VERTEX_LOCATION", "us-east5"));

        assertThat(configs).extracting(ProviderConfig::name).containsExactly("vertex", "vertex-anthropic");
        for (ProviderConfig c : configs) {
            assertThat(c.protocol()).isEqualTo(c.name());
            assertThat(c.baseUrl()).isEqualTo(URI.create("https://us-east5-aiplatform.googleapis.com"));
            assertThat(c.settings())
                    .containsEntry("project", "my-project")
                    .containsEntry("location", "us-east5")
                    .containsEntry("credentialsFile", "/secrets/sa.json");
            assertThat(c.apiKey()).isEmpty();
        }
        assertThat(EnvironmentProviders.read(Map.of("VERTEX_PROJECT", "my-project")))
                .as("no credential, no provider")
                .isEmpty();
        assertThat(EnvironmentProviders.read(Map.of("GOOGLE_APPLICATION_CREDENTIALS", "/secrets/sa.json")))
                .as("no project, no provider")
                .isEmpty();
        List<ProviderConfig> withToken =
                EnvironmentProviders.read(Map.of("VERTEX_ACCESS_TOKEN", "ya29.t", "VERTEX_PROJECT", "my-project"));
        assertThat(withToken).hasSize(2).allSatisfy(c -> {
            assertThat(c.apiKey()).hasValue("ya29.t");
            assertThat(c.baseUrl()).isEqualTo(URI.create("https://aiplatform.googleapis.com"));
        });
        assertThat(EnvironmentProviders.variables())
                .contains("GOOGLE_APPLICATION_CREDENTIALS", "VERTEX_PROJECT", "VERTEX_LOCATION", "VERTEX_ACCESS_TOKEN");
    }

    @Test
    void aDryRunShowsAPlaceholderTokenAndFetchesNothing() {
        ProviderConfig config = new ProviderConfig(
                "vertex-anthropic",
                "vertex-anthropic",
                URI.create("https://aiplatform.googleapis.com"),
                Optional.empty(),
                Map.of(
                        VertexSettings.PROJECT, "p-1",
                        VertexSettings.LOCATION, "us-east5",
                        VertexSettings.CREDENTIALS_FILE,
                                dir.resolve("absent.json").toString()));
        var protocol = ProtocolCatalog.create(config);

        UpstreamRequest dry = protocol.toDryRunRequest(
                ChatRequest.builder()
                        .model("claude-opus-4-1@20250805")
                        .user("hi")
                        .build(),
                config);

        assertThat(dry.headers().get("Authorization")).containsExactly("Bearer " + VertexAuth.DRY_RUN_TOKEN);
        assertThat(dry.uri().toString())
                .isEqualTo("https://us-east5-aiplatform.googleapis.com/v1/projects/p-1/locations/us-east5/"
                        + "publishers/anthropic/models/claude-opus-4-1@20250805:streamRawPredict");
        assertThat(new String(dry.body(), StandardCharsets.UTF_8))
                .startsWith("{\"anthropic_version\":\"vertex-2023-10-16\"");
        assertThat(tokens.requests()).isEmpty();
    }

    @Test
    void vertexErrorsOfBothShapesBecomeTypedErrors() {
        ProviderConfig config = new ProviderConfig(
                "vertex-anthropic",
                "vertex-anthropic",
                URI.create("https://aiplatform.googleapis.com"),
                Optional.of("ya29.static"),
                Map.of(VertexSettings.PROJECT, "p-1"));
        var protocol = ProtocolCatalog.create(config);
        HttpHeaders none = HttpHeaders.of(Map.of(), (a, b) -> true);

        ProviderHttpException notFound = protocol.toException(
                404,
                none,
                ("[{\"error\":{\"code\":404,\"message\":\"Publisher Model `projects/p-1/locations/global/publishers/"
                                + "anthropic/models/claude-x` not found.\",\"status\":\"NOT_FOUND\"}}]")
                        .getBytes(StandardCharsets.UTF_8),
                config);
        assertThat(notFound.code()).isEqualTo("invalid_request");
        assertThat(notFound.providerErrorType()).isEqualTo("NOT_FOUND");
        assertThat(notFound.getMessage()).contains("not found");

        ProviderHttpException quota = protocol.toException(
                429,
                none,
                ("{\"error\":{\"code\":429,\"message\":\"Quota exceeded for aiplatform.googleapis.com/"
                                + "online_prediction_requests_per_base_model.\",\"status\":\"RESOURCE_EXHAUSTED\"}}")
                        .getBytes(StandardCharsets.UTF_8),
                config);
        assertThat(quota.code()).isEqualTo("rate_limited");
        assertThat(quota.retryable()).isTrue();

        ProviderHttpException overloaded = protocol.toException(
                529,
                none,
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"
                        .getBytes(StandardCharsets.UTF_8),
                config);
        assertThat(overloaded.providerErrorType()).isEqualTo("overloaded_error");
        assertThat(overloaded.code()).isEqualTo("upstream_overloaded");
    }

    @Test
    void aMissingProjectOrModelIsAClearError() {
        ProviderConfig config = new ProviderConfig(
                "vertex",
                "vertex",
                URI.create("https://aiplatform.googleapis.com"),
                Optional.of("ya29.static"),
                Map.of());
        var protocol = ProtocolCatalog.create(config);

        assertThatThrownBy(() -> protocol.toRequest(
                        ChatRequest.builder()
                                .model("gemini-2.5-flash")
                                .user("x")
                                .build(),
                        config))
                .isInstanceOf(AIStreamException.class)
                .hasMessageContaining("'project'")
                .hasMessageContaining("VERTEX_PROJECT");
        ProviderConfig badLocation = new ProviderConfig(
                "vertex",
                "vertex",
                URI.create("https://aiplatform.googleapis.com"),
                Optional.of("ya29.static"),
                Map.of(VertexSettings.PROJECT, "p", VertexSettings.LOCATION, "us central/1"));
        assertThatThrownBy(() -> protocol.toRequest(
                        ChatRequest.builder()
                                .model("gemini-2.5-flash")
                                .user("x")
                                .build(),
                        badLocation))
                .isInstanceOf(AIStreamException.class)
                .hasMessageContaining("'location'");
    }
}
