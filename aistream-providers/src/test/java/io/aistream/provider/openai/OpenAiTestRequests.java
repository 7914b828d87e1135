package io.aistream.provider.openai;

import io.aistream.json.Jackson;
import io.aistream.provider.TestRequests;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.request.ChatRequest;
import io.aistream.request.Reasoning;
import io.aistream.request.ToolChoice;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The requests and configurations the OpenAI-family request tests share. */
public final class OpenAiTestRequests {
    public static final JsonMapper JSON = Jackson.mapper();
    public static final String API_KEY = "sk-test-0123456789abcdef";

    private OpenAiTestRequests() {}

    /**
     * The golden request: the {@linkplain TestRequests#golden shared conversation} with a follow-up
     * question, a forced tool choice, temperature, top_p, max tokens, a stop sequence and a reasoning
     * effort.
     */
    public static ChatRequest golden() {
        return TestRequests.golden("gpt-4o", TestRequests.IMAGE_URL)
                .user("And what time is it there?")
                .toolChoice(ToolChoice.tool("get_time"))
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
}
