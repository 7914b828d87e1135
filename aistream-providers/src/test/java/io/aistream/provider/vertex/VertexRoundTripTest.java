package io.aistream.provider.vertex;

import static io.aistream.provider.TestRequests.body;
import static io.aistream.provider.TestRequests.goldenFile;
import static io.aistream.provider.testing.ProviderFixtures.HARNESS;
import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.CompletionResponse;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.registry.ProtocolCatalog;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.provider.support.Json;
import io.aistream.provider.testing.ProviderFixtures;
import io.aistream.request.ChatRequest;
import io.aistream.request.Message;
import io.aistream.request.Reasoning;
import io.aistream.request.ToolDefinition;
import io.aistream.testing.FixtureHarness;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Claude on Vertex survives the next turn: the streamed answer (signed thinking, text, tool use),
 * accumulated and sent back with the tool's result, is the Vertex request Claude requires — the
 * golden file, built by the dry run (no token fetched).
 */
class VertexRoundTripTest {
    private static final ProviderConfig CONFIG = new ProviderConfig(
            "vertex-anthropic",
            VertexAnthropicProtocol.ID,
            URI.create("https://aiplatform.googleapis.com"),
            Optional.empty(),
            Map.of(
                    VertexSettings.PROJECT, "aistream-test",
                    VertexSettings.LOCATION, "us-east5",
                    VertexSettings.CREDENTIALS_FILE, "service-account.json"));
    private static final ToolDefinition GET_WEATHER =
            new ToolDefinition("get_weather", Optional.of("Current weather for a city"), Json.MAPPER.readTree("""
            {"type":"object","properties":{"city":{"type":"string"},
             "unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city"]}"""));

    @Test
    void theNextTurnSendsTheSignedThinkingTextAndToolUseBackInOrder() {
        ProviderProtocol protocol = ProtocolCatalog.create(CONFIG);
        FixtureHarness.Fixture fixture = HARNESS.fixtures(
                        "vertex-anthropic", name -> name.equals("thinking-tool-use.sse"))
                .getFirst();
        List<StreamChunk> chunks = FixtureHarness.decode(
                ProviderFixtures.decoder(
                        protocol.newDecoder(new DecoderContext("vertex-anthropic", "claude-sonnet-4-5@20250929"))),
                fixture.body(),
                new int[0]);
        CompletionResponse answer = CompletionResponse.accumulate(chunks);

        ChatRequest next = ChatRequest.builder()
                .model("claude-sonnet-4-5@20250929")
                .message(Message.user("What's the weather in Lisbon?"))
                .message(Message.Assistant.of(answer))
                .message(Message.toolResult(
                        answer.toolCalls().getFirst().callId(),
                        "get_weather",
                        "{\"temperature\":21,\"sky\":\"sunny\"}"))
                .tool(GET_WEATHER)
                .reasoning(Reasoning.budget(2048))
                .build();
        UpstreamRequest request = protocol.toDryRunRequest(next, CONFIG);

        assertThat(request.uri())
                .hasToString("https://us-east5-aiplatform.googleapis.com/v1/projects/aistream-test/locations/us-east5/"
                        + "publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict");
        JsonNode actual = body(request);
        assertThat(actual)
                .as("request body (actual):%n%s", actual.toPrettyString())
                .isEqualTo(goldenFile("vertex-anthropic/multi-turn-thinking-tool-result.json"));
    }
}
