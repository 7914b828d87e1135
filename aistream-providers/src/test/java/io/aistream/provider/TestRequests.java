package io.aistream.provider;

import io.aistream.json.Jackson;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.request.AssistantToolCall;
import io.aistream.request.ChatRequest;
import io.aistream.request.ContentPart;
import io.aistream.request.Message;
import io.aistream.request.ToolDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The conversation every provider's golden request test maps, so that all providers are checked
 * against the same request. Each test adds what its provider accepts: tool choice, sampling, output
 * limit, reasoning, provider options and further turns.
 */
public final class TestRequests {
    /** An image by URL, for providers that fetch images themselves. */
    public static final String IMAGE_URL = "https://example.com/photos/tower.jpg";
    /** An image as a {@code data:} URL, for providers that need the bytes in the request. */
    public static final String IMAGE_DATA_URL = "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ==";
    /** A 1×1 PNG, base64. */
    public static final String PNG =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    private static final JsonMapper JSON = Jackson.mapper();

    private TestRequests() {}

    /**
     * The golden conversation for {@code model}: a system prompt; a user turn with text, the image
     * {@code imageUrl} and an inline base64 PNG; an assistant turn with text and a {@code get_weather}
     * call ({@code call_0}); that call's result; the tools {@code get_weather} (described, with an enum
     * property) and {@code get_time} (not described).
     */
    public static ChatRequest.Builder golden(String model, String imageUrl) {
        return ChatRequest.builder()
                .model(model)
                .system("You are a concise assistant.")
                .message(new Message.User(List.of(
                        ContentPart.text("What is in these pictures, and what's the weather in Paris?"),
                        ContentPart.Image.url(imageUrl),
                        ContentPart.Image.base64("image/png", PNG))))
                .message(new Message.Assistant(
                        "Let me check the weather.",
                        List.of(new AssistantToolCall(
                                "call_0", "get_weather", json("{\"city\":\"Paris\",\"unit\":\"celsius\"}")))))
                .message(Message.toolResult("call_0", "get_weather", "{\"temperature\":18,\"sky\":\"cloudy\"}"))
                .tool(new ToolDefinition("get_weather", Optional.of("Current weather for a city"), json("""
                        {"type":"object","properties":{"city":{"type":"string"},
                         "unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city"]}""")))
                .tool(new ToolDefinition("get_time", Optional.empty(), json("""
                        {"type":"object","properties":{"timezone":{"type":"string"}},"required":["timezone"]}""")));
    }

    /**
     * OpenAI parameters that change nothing about the answer, as an OpenAI client sends them: every
     * default and every advisory one (see {@code PortableOptions}); {@code safety_identifier} is
     * {@code "end-user-7"}.
     */
    public static ChatRequest.Builder withNoOpOpenAiParameters(ChatRequest.Builder b) {
        return b.providerOption("user", json("\"legacy-user\""))
                .providerOption("safety_identifier", json("\"end-user-7\""))
                .providerOption("metadata", json("{\"trace\":\"t1\"}"))
                .providerOption("prompt_cache_key", json("\"k1\""))
                .providerOption("store", json("false"))
                .providerOption("parallel_tool_calls", json("true"))
                .providerOption("frequency_penalty", json("0"))
                .providerOption("presence_penalty", json("0.0"))
                .providerOption("n", json("1"))
                .providerOption("logprobs", json("false"))
                .providerOption("top_logprobs", json("0"))
                .providerOption("response_format", json("{\"type\":\"text\"}"))
                .providerOption("service_tier", json("\"auto\""))
                .providerOption("logit_bias", json("{}"));
    }

    /** The names {@link #withNoOpOpenAiParameters} sets. */
    public static final List<String> NO_OP_OPENAI_PARAMETERS = List.of(
            "user",
            "safety_identifier",
            "metadata",
            "prompt_cache_key",
            "store",
            "parallel_tool_calls",
            "frequency_penalty",
            "presence_penalty",
            "n",
            "logprobs",
            "top_logprobs",
            "response_format",
            "service_tier",
            "logit_bias");

    /** The request's body, parsed. */
    public static JsonNode body(UpstreamRequest request) {
        return JSON.readTree(request.body());
    }

    /** The golden file {@code golden/<path>} from the test classpath, parsed. */
    public static JsonNode goldenFile(String path) {
        String name = "golden/" + path;
        try (InputStream in = TestRequests.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the test classpath");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
