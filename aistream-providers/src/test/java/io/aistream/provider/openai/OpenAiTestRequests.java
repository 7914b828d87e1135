package io.aistream.provider.openai;

import io.aistream.provider.ProviderConfig;
import io.aistream.request.AssistantToolCall;
import io.aistream.request.ChatRequest;
import io.aistream.request.ContentPart;
import io.aistream.request.Message;
import io.aistream.request.Reasoning;
import io.aistream.request.ToolChoice;
import io.aistream.request.ToolDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The requests and configurations the OpenAI-family request tests share. */
public final class OpenAiTestRequests {
    public static final JsonMapper JSON = JsonMapper.builder().build();
    public static final String API_KEY = "sk-test-0123456789abcdef";

    private OpenAiTestRequests() {
    }

    /**
     * The golden request: system, a user turn with text and two images (URL and inline base64), an
     * assistant turn with a tool call, its tool result, a follow-up question, two tools, a forced tool
     * choice, temperature, top_p, max tokens, a stop sequence, reasoning effort.
     */
    public static ChatRequest golden() {
        return ChatRequest.builder()
                .model("gpt-4o")
                .system("You are a concise travel assistant.")
                .message(new Message.User(List.of(
                        ContentPart.text("What is in these pictures, and what is the weather there?"),
                        ContentPart.Image.url("https://example.com/lisbon.jpg"),
                        ContentPart.Image.base64("image/png", "iVBORw0KGgoAAAANSUhEUgAAAAE="))))
                .message(new Message.Assistant("Let me check the weather.", List.of(
                        new AssistantToolCall("call_abc123", "get_weather", json("{\"city\":\"Lisbon\",\"unit\":\"c\"}")))))
                .message(Message.toolResult("call_abc123", "get_weather", "{\"temperature\":21,\"sky\":\"clear\"}"))
                .user("And tomorrow?")
                .tool(new ToolDefinition("get_weather", Optional.of("Current weather for a city"), json(
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"unit\":{\"type\":\"string\",\"enum\":[\"c\",\"f\"]}},\"required\":[\"city\"]}")))
                .tool(new ToolDefinition("get_forecast", Optional.empty(), json(
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"days\":{\"type\":\"integer\"}},\"required\":[\"city\",\"days\"]}")))
                .toolChoice(ToolChoice.tool("get_forecast"))
                .temperature(0.3)
                .topP(0.9)
                .maxOutputTokens(512)
                .stopSequence("END")
                .reasoning(Reasoning.effort(Reasoning.Effort.HIGH))
                .build();
    }

    /** A plain text request. */
    public static ChatRequest simple() {
        return ChatRequest.builder().model("some-model").user("Hi").build();
    }

    public static ProviderConfig config(String name, String protocol, String baseUrl, Map<String, String> settings) {
        return new ProviderConfig(name, protocol, URI.create(baseUrl), Optional.of(API_KEY), settings);
    }

    public static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    public static JsonNode body(byte[] body) {
        return JSON.readTree(body);
    }

    /** A JSON resource from the test classpath. */
    public static JsonNode resource(String path) {
        try (InputStream in = OpenAiTestRequests.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the test classpath");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
