package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.SseException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The official anthropic-java client against POST /v1/messages and the simulated provider. */
@Timeout(60)
class AnthropicClientTest {
    private static final Tool GET_WEATHER = Tool.builder()
            .name("get_weather")
            .description("Current weather in a city")
            .inputSchema(Tool.InputSchema.builder()
                    .properties(Tool.InputSchema.Properties.builder()
                            .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                            .build())
                    .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                    .build())
            .build();

    private static TestGateway gateway;
    private static AnthropicClient client;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start();
        client = client(gateway, "sk-unused");
    }

    @AfterAll
    static void stop() {
        client.close();
        gateway.close();
    }

    private static AnthropicClient client(TestGateway g, String key) {
        return AnthropicOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + g.port())
                .apiKey(key)
                .maxRetries(0)
                .build();
    }

    private static MessageCreateParams.Builder params(String model, String user) {
        return MessageCreateParams.builder().model(model).maxTokens(2048).addUserMessage(user);
    }

    /** Streams {@code params} through the SDK's own accumulator. */
    private static Message stream(AnthropicClient c, MessageCreateParams params) {
        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> response = c.messages().createStreaming(params)) {
            response.stream().forEach(acc::accumulate);
        }
        return acc.message();
    }

    private static String text(Message m) {
        StringBuilder sb = new StringBuilder();
        m.content().forEach(b -> b.text().ifPresent(t -> sb.append(t.text())));
        return sb.toString();
    }

    @Test
    void streamsEchoThroughTheAccumulator() {
        Message m = stream(
                client, params("simulated/echo", "hello there, streaming world").build());
        assertThat(text(m)).isEqualTo("hello there, streaming world");
        assertThat(m.id()).startsWith("msg_");
        assertThat(m.model().asString()).isEqualTo("simulated/echo");
        assertThat(m.stopReason()).contains(StopReason.END_TURN);
        assertThat(m.usage().inputTokens()).isEqualTo(4); // the simulated provider's count, from message_delta
        assertThat(m.usage().outputTokens()).isPositive();
        m.validate();
    }

    @Test
    void createAnswersAMessage() {
        Message m =
                client.messages().create(params("simulated/echo", "hello there").build());
        assertThat(text(m)).isEqualTo("hello there");
        assertThat(m.content()).hasSize(1);
        assertThat(m.stopReason()).contains(StopReason.END_TURN);
        assertThat(m.usage().inputTokens()).isEqualTo(2);
        m.validate();
    }

    @Test
    void loremStreamedAndNotStreamedAgree() {
        MessageCreateParams p = params("simulated/lorem", "write")
                .putAdditionalBodyProperty("provider_options", JsonValue.from(Map.of("seed", 7, "length", 12)))
                .build();
        Message streamed = stream(client, p);
        Message created = client.messages().create(p);
        assertThat(text(streamed)).isNotBlank().isEqualTo(text(created));
        assertThat(streamed.usage().outputTokens()).isEqualTo(created.usage().outputTokens());
    }

    @Test
    void aToolRoundTrip() {
        MessageCreateParams.Builder first =
                params("simulated/tools", "What is the weather in Paris?").addTool(GET_WEATHER);
        Message call = stream(client, first.build());
        assertThat(call.stopReason()).contains(StopReason.TOOL_USE);
        ToolUseBlock use = call.content().stream()
                .flatMap(b -> b.toolUse().stream())
                .findFirst()
                .orElseThrow();
        assertThat(use.name()).isEqualTo("get_weather");
        call.validate();
        assertThat(use._input().toString()).contains("city");

        MessageCreateParams second = first.addMessage(call)
                .addUserMessageOfContentBlockParams(
                        List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                                .toolUseId(use.id())
                                .content("18 degrees and sunny")
                                .build())))
                .build();
        Message answer = stream(client, second);
        assertThat(answer.stopReason()).contains(StopReason.END_TURN);
        assertThat(text(answer)).contains("18 degrees and sunny");
        // and the same round trip without streaming
        Message created = client.messages().create(second);
        assertThat(text(created)).isEqualTo(text(answer));
    }

    @Test
    void thinkingComesAsAThinkingBlockBeforeTheText() {
        MessageCreateParams p =
                params("simulated/reasoning", "why?").enabledThinking(1024).build();
        for (Message m : List.of(stream(client, p), client.messages().create(p))) {
            List<ContentBlock> blocks = m.content();
            assertThat(blocks).hasSize(2);
            assertThat(blocks.get(0).thinking().orElseThrow().thinking()).isNotBlank();
            assertThat(blocks.get(1).text().orElseThrow().text()).isNotBlank();
            assertThat(m.stopReason()).contains(StopReason.END_TURN);
            m.validate();
        }
    }

    @Test
    void countTokensAnswersAnEstimate() {
        long n = client.messages()
                .countTokens(MessageCountTokensParams.builder()
                        .model("simulated/echo")
                        .addUserMessage("x".repeat(400))
                        .build())
                .inputTokens();
        assertThat(n).isEqualTo(100 + 4); // a token per four characters, four per message
    }

    @Test
    void unknownModelIsNotFound() {
        assertThatThrownBy(() ->
                        client.messages().create(params("nope/model", "hi").build()))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("The model 'nope/model' does not exist")
                .hasMessageContaining("simulated/echo");
    }

    @Test
    void deletingTheStreamEndsItWithAnError() throws Exception {
        MessageCreateParams p = params("simulated/lorem", "write")
                .putAdditionalBodyProperty("provider_options", JsonValue.from(Map.of("length", 50, "stallAfter", 3)))
                .build();
        HttpResponseFor<StreamResponse<RawMessageStreamEvent>> raw =
                client.messages().withRawResponse().createStreaming(p);
        String streamId = raw.headers().values("X-Stream-Id").getFirst();
        try (StreamResponse<RawMessageStreamEvent> response = raw.parse()) {
            Iterator<RawMessageStreamEvent> events = response.stream().iterator();
            assertThat(events.next().isMessageStart()).isTrue();
            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> deleted = http.send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + gateway.port() + "/v1/streams/" + streamId))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(deleted.statusCode()).isLessThan(300);
            }
            assertThatThrownBy(() -> events.forEachRemaining(e -> {}))
                    .isInstanceOf(SseException.class)
                    .hasMessageContaining("aborted");
        }
    }

    @Test
    void keysComeAsXApiKeyOrBearer() throws Exception {
        try (TestGateway g = TestGateway.start(b -> b.apiKeys(List.of("k-one-0123456789abc")))) {
            AnthropicClient good = client(g, "k-one-0123456789abc");
            AnthropicClient bearer = AnthropicOkHttpClient.builder()
                    .baseUrl("http://127.0.0.1:" + g.port())
                    .authToken("k-one-0123456789abc")
                    .maxRetries(0)
                    .build();
            AnthropicClient bad = client(g, "wrong");
            try {
                assertThat(text(good.messages()
                                .create(params("simulated/echo", "in").build())))
                        .isEqualTo("in");
                assertThat(text(stream(
                                bearer, params("simulated/echo", "bearer too").build())))
                        .isEqualTo("bearer too");
                for (Runnable call : List.<Runnable>of(
                        () -> bad.messages()
                                .create(params("simulated/echo", "x").build()),
                        () -> stream(bad, params("simulated/echo", "x").build()))) {
                    assertThatThrownBy(call::run)
                            .isInstanceOf(UnauthorizedException.class)
                            .hasMessageContaining("x-api-key");
                }
            } finally {
                good.close();
                bearer.close();
                bad.close();
            }
        }
    }
}
