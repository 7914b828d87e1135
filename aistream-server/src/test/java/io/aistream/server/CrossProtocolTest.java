package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.json.Jackson;
import io.aistream.provider.registry.ProviderRegistry;
import io.aistream.server.config.ServerConfig;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.RawHttp;
import io.aistream.testing.RecordedRequest;
import io.aistream.testing.Script;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * A client of one protocol on a provider of another, through the whole path (compatibility endpoint →
 * registry → provider protocol → a scripted raw-socket upstream): an Anthropic Messages client runs on
 * Gemini behind a fallback chain whose first target refuses, and an OpenAI Responses client runs on
 * Claude after one retried 429. The upstream sees its own wire format; the client sees its own.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CrossProtocolTest {
    private static final String GEMINI_STREAM =
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Bonjour\"}],\"role\":\"model\"},\"index\":0}]}\n\n"
                    + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" Paris\"}],\"role\":\"model\"},"
                    + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":5,"
                    + "\"candidatesTokenCount\":2,\"totalTokenCount\":7}}\n\n";
    private static final String ANTHROPIC_STREAM =
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":"
                    + "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[],"
                    + "\"usage\":{\"input_tokens\":6,\"output_tokens\":1}}}\n\n"
                    + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                    + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                    + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n"
                    + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\" there\"}}\n\n"
                    + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                    + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                    + "\"usage\":{\"output_tokens\":2}}\n\n"
                    + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    @Test
    void anAnthropicClientRunsOnGeminiAndAnOpenAiResponsesClientOnClaude() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            ProviderRegistry registry = ProviderRegistry.builder()
                    .config(Jackson.mapper().readTree("""
                    {"providers":{"gem":{"protocol":"gemini","baseUrl":"%1$s","apiKey":"g-key"},
                                  "claude":{"protocol":"anthropic","baseUrl":"%1$s","apiKey":"a-key"},
                                  "local":{"protocol":"openai-chat","preset":"vllm","baseUrl":"%1$s/v1"}},
                     "chains":{"robust":["local/m","gem/gemini-x"]},
                     "retry":{"maxAttempts":2,"initialBackoffMs":1,"maxBackoffMs":1}}""".formatted(upstream.baseUri())), Set.of())
                    .build();
            try (AistreamServer server = AistreamServer.start(ServerConfig.builder()
                    .port(0)
                    .providers(registry.asProviders())
                    .build())) {
                // Anthropic client → chain "robust": the OpenAI-wire target refuses (400), Gemini streams
                upstream.enqueue(reply(
                        400,
                        "application/json",
                        "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\"}}"));
                upstream.enqueue(reply(200, "text/event-stream", GEMINI_STREAM));
                String messages;
                try (RawHttp http = RawHttp.postJson(
                        server.port(),
                        "/v1/messages",
                        "{\"model\":\"robust\",\"max_tokens\":64,\"stream\":true,\"system\":\"Be brief.\","
                                + "\"metadata\":{\"user_id\":\"u-7\"},"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in French\"}]}")) {
                    assertThat(http.status()).isEqualTo(200);
                    messages = http.bodyText();
                }
                assertThat(messages)
                        .contains("event: message_start")
                        .contains("\"text_delta\",\"text\":\"Bonjour\"")
                        .contains("\"text_delta\",\"text\":\" Paris\"")
                        .contains("\"stop_reason\":\"end_turn\"")
                        .endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
                List<RecordedRequest> requests = upstream.requests();
                assertThat(requests).hasSize(2);
                JsonNode gemini = json(requests.get(1));
                assertThat(requests.get(1).target()).contains("gemini-x").contains("streamGenerateContent");
                assertThat(gemini.at("/systemInstruction/parts/0/text").asString())
                        .isEqualTo("Be brief.");
                assertThat(gemini.at("/contents/0/parts/0/text").asString()).isEqualTo("Say hello in French");
                assertThat(gemini.has("user") || gemini.has("metadata"))
                        .as("the end user id is advisory: Gemini has no field for it")
                        .isFalse();

                // OpenAI Responses client → Claude: a 429 first (retried), then Anthropic's stream
                upstream.enqueue(reply(
                        429,
                        "application/json",
                        "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                                + "\"message\":\"slow down\"}}"));
                upstream.enqueue(reply(200, "text/event-stream", ANTHROPIC_STREAM));
                String responses;
                try (RawHttp http = RawHttp.postJson(
                        server.port(),
                        "/v1/responses",
                        "{\"model\":\"claude/claude-x\",\"stream\":true,\"store\":false,\"instructions\":\"Be kind.\","
                                + "\"user\":\"u-8\",\"max_output_tokens\":50,\"input\":\"Greet me\"}")) {
                    assertThat(http.status()).isEqualTo(200);
                    responses = http.bodyText();
                }
                assertThat(responses)
                        .contains("event: response.created")
                        .contains("\"type\":\"response.output_text.delta\"")
                        .contains("\"delta\":\"Hello\"")
                        .contains("\"delta\":\" there\"")
                        .contains("event: response.completed")
                        .contains("\"text\":\"Hello there\"");
                List<RecordedRequest> all = upstream.requests();
                assertThat(all).hasSize(4);
                JsonNode claude = json(all.get(3));
                assertThat(all.get(3).target()).endsWith("/v1/messages");
                assertThat(all.get(3).headers().get("x-api-key")).containsExactly("a-key");
                assertThat(claude.get("model").asString()).isEqualTo("claude-x");
                assertThat(claude.get("system").toString()).contains("Be kind.");
                assertThat(claude.get("max_tokens").asInt()).isEqualTo(50);
                assertThat(claude.at("/messages/0/content").toString()).contains("Greet me");
                assertThat(claude.has("store"))
                        .as("store: false is OpenAI's alone")
                        .isFalse();
            }
        }
    }

    private static JsonNode json(RecordedRequest request) {
        return Jackson.mapper().readTree(new String(request.body(), StandardCharsets.UTF_8));
    }

    private static Script reply(int status, String type, String body) {
        return Script.status(status)
                .header("Content-Type", type)
                .framing(Script.Framing.CONTENT_LENGTH)
                .send(body);
    }
}
