package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
import io.aistream.json.Jackson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The official openai-java client against POST /v1/chat/completions and the simulated provider. */
@Timeout(60)
class OpenAiClientTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final FunctionDefinition GET_WEATHER = FunctionDefinition.builder()
            .name("get_weather")
            .description("Current weather in a city")
            .parameters(FunctionParameters.builder()
                    .putAdditionalProperty("type", JsonValue.from("object"))
                    .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                    .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                    .build())
            .build();

    private static TestGateway gateway;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start(b -> b.provider(new FixedProvider()));
        client = client("sk-unused");
    }

    @AfterAll
    static void stop() {
        client.close();
        gateway.close();
    }

    private static OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .build();
    }

    private static ChatCompletionCreateParams.Builder params(String model, String user) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(user);
    }

    /** What a streaming client puts together from the chunks. */
    private record Streamed(
            String content,
            String reasoning,
            Map<Long, String[]> toolCalls,
            Optional<ChatCompletionChunk.Choice.FinishReason> finishReason,
            Optional<CompletionUsage> usage,
            int chunks,
            List<String> ids) {}

    private static Streamed stream(ChatCompletionCreateParams params) {
        StringBuilder content = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        Map<Long, String[]> calls = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        var finish = new ArrayList<ChatCompletionChunk.Choice.FinishReason>();
        var usage = new ArrayList<CompletionUsage>();
        int[] count = {0};
        try (StreamResponse<ChatCompletionChunk> response =
                client.chat().completions().createStreaming(params)) {
            response.stream().forEach(chunk -> {
                count[0]++;
                ids.add(chunk.id());
                chunk.usage().ifPresent(usage::add);
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                    choice.delta().content().ifPresent(content::append);
                    JsonValue r = choice.delta()._allProperties().get("reasoning_content");
                    if (r != null) {
                        reasoning.append(r.asStringOrThrow());
                    }
                    choice.delta()
                            .toolCalls()
                            .ifPresent(list -> list.forEach(tc -> {
                                String[] call = calls.computeIfAbsent(tc.index(), i -> new String[] {"", "", ""});
                                tc.id().ifPresent(id -> call[0] = id);
                                tc.function().ifPresent(fn -> {
                                    fn.name().ifPresent(n -> call[1] = n);
                                    fn.arguments().ifPresent(a -> call[2] += a);
                                });
                            }));
                    choice.finishReason().ifPresent(finish::add);
                }
            });
        }
        assertThat(finish).hasSizeLessThanOrEqualTo(1);
        assertThat(usage).hasSizeLessThanOrEqualTo(1);
        return new Streamed(
                content.toString(),
                reasoning.toString(),
                calls,
                finish.stream().findFirst(),
                usage.stream().findFirst(),
                count[0],
                ids);
    }

    @Test
    void listsAndRetrievesModelsAsTheChatEndpointNamesThem() {
        List<String> ids = client.models().list().data().stream()
                .map(com.openai.models.models.Model::id)
                .toList();
        assertThat(ids)
                .contains("fixed", "fixed/text", "fixed/mixed", "simulated", "simulated/echo", "test/script")
                .isSorted()
                .doesNotHaveDuplicates();

        com.openai.models.models.Model simulated = client.models().retrieve("simulated");
        assertThat(simulated.id()).isEqualTo("simulated");
        assertThat(simulated.ownedBy()).isEqualTo("simulated");
        // the client encodes the '/' of a provider/model id as %2F
        com.openai.models.models.Model echo = client.models().retrieve("simulated/echo");
        assertThat(echo.id()).isEqualTo("simulated/echo");
        assertThat(echo.ownedBy()).isEqualTo("simulated");
        // a listed id streams through the chat endpoint
        assertThat(stream(params("fixed/text", "hi").build()).finishReason())
                .contains(ChatCompletionChunk.Choice.FinishReason.STOP);
        assertThatThrownBy(() -> client.models().retrieve("nope"))
                .isInstanceOf(com.openai.errors.NotFoundException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void streamsEchoWithUsage() {
        Streamed s = stream(params("simulated/echo", "hello there, streaming world")
                .streamOptions(
                        ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build());
        assertThat(s.content()).isEqualTo("hello there, streaming world");
        assertThat(s.finishReason()).contains(ChatCompletionChunk.Choice.FinishReason.STOP);
        assertThat(s.ids())
                .allMatch(id -> id.startsWith("chatcmpl-st_"))
                .hasSize(s.chunks())
                .isNotEmpty();
        assertThat(s.ids().stream().distinct()).hasSize(1);
        CompletionUsage u = s.usage().orElseThrow();
        assertThat(u.promptTokens()).isEqualTo(4);
        assertThat(u.completionTokens()).isPositive();
        assertThat(u.totalTokens()).isEqualTo(u.promptTokens() + u.completionTokens());
    }

    @Test
    void streamsWithoutUsageUnlessAsked() {
        Streamed s = stream(params("simulated/echo", "no usage please").build());
        assertThat(s.content()).isEqualTo("no usage please");
        assertThat(s.usage()).isEmpty();
    }

    @Test
    void createAnswersAChatCompletion() {
        ChatCompletion c = client.chat()
                .completions()
                .create(params("simulated/echo", "hello there").build());
        assertThat(c.id()).startsWith("chatcmpl-st_");
        assertThat(c.model()).isEqualTo("simulated/echo");
        ChatCompletion.Choice choice = c.choices().getFirst();
        assertThat(choice.message().content()).contains("hello there");
        assertThat(choice.message().toolCalls()).isEmpty();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        CompletionUsage u = c.usage().orElseThrow();
        assertThat(u.promptTokens()).isEqualTo(2);
        assertThat(u.totalTokens()).isEqualTo(u.promptTokens() + u.completionTokens());
    }

    @Test
    void loremStreamedAndNotStreamedAgree() {
        ChatCompletionCreateParams p = params("simulated/lorem", "write")
                .putAdditionalBodyProperty("provider_options", JsonValue.from(Map.of("length", 25, "seed", 7)))
                .build();
        Streamed s = stream(p);
        ChatCompletion c = client.chat().completions().create(p);
        assertThat(s.content())
                .isNotBlank()
                .isEqualTo(c.choices().getFirst().message().content().orElseThrow());
        assertThat(s.chunks()).isGreaterThan(25); // role chunk, pieces, finish
    }

    @Test
    void reasoningArrivesAsReasoningContent() {
        Streamed s = stream(params("simulated/reasoning", "think").build());
        assertThat(s.reasoning()).isNotBlank();
        assertThat(s.content()).isNotBlank();
        ChatCompletion c = client.chat()
                .completions()
                .create(params("simulated/reasoning", "think").build());
        var message = c.choices().getFirst().message();
        assertThat(message._allProperties().get("reasoning_content").asStringOrThrow())
                .isEqualTo(s.reasoning());
        assertThat(message.content()).contains(s.content());
    }

    @Test
    void streamsAToolCall() {
        Streamed s = stream(params("simulated/tools", "weather in Paris?")
                .addFunctionTool(GET_WEATHER)
                .build());
        assertThat(s.finishReason()).contains(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS);
        assertThat(s.toolCalls()).containsOnlyKeys(0L);
        String[] call = s.toolCalls().get(0L);
        assertThat(call[0]).isNotBlank();
        assertThat(call[1]).isEqualTo("get_weather");
        JsonNode args = JSON.readTree(call[2]);
        assertThat(args.isObject()).isTrue();
        assertThat(args.has("city")).isTrue();
    }

    @Test
    void answersAToolCallAndTakesItsResultBack() {
        ChatCompletion c = client.chat()
                .completions()
                .create(params("simulated/tools", "weather in Paris?")
                        .addFunctionTool(GET_WEATHER)
                        .build());
        ChatCompletion.Choice choice = c.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call =
                choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.function().arguments()).has("city")).isTrue();

        // the conversation goes on: the assistant's tool call and the tool's result go back in
        ChatCompletion next = client.chat()
                .completions()
                .create(params("simulated/echo", "weather in Paris?")
                        .addFunctionTool(GET_WEATHER)
                        .addMessage(choice.message())
                        .addMessage(ChatCompletionToolMessageParam.builder()
                                .toolCallId(call.id())
                                .content("{\"temp\":21}")
                                .build())
                        .addUserMessage("thanks")
                        .build());
        assertThat(next.choices().getFirst().message().content()).contains("thanks");
    }

    @Test
    void errorsReachTheClientAsItsExceptions() {
        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(params("nope/model", "hi").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.code()).contains("model_not_found");
                    assertThat(e.param()).contains("model");
                    assertThat(e.getMessage()).contains("simulated/echo");
                });
        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(params("simulated/echo", "hi").temperature(5.0).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.param()).contains("temperature");
                    assertThat(e.type()).contains("invalid_request_error");
                });
        assertThatThrownBy(() -> stream(params("fixed/fail", "hi").build()))
                .isInstanceOf(OpenAIException.class)
                .hasMessageContaining("slow down");
    }

    @Test
    void aBadKeyIsUnauthorized() throws Exception {
        try (TestGateway secured = TestGateway.start(b -> b.apiKeys(List.of("good-key-0123456789ab")))) {
            OpenAIClient bad = OpenAIOkHttpClient.builder()
                    .baseUrl("http://127.0.0.1:" + secured.port() + "/v1")
                    .apiKey("bad-key")
                    .maxRetries(0)
                    .build();
            OpenAIClient good = OpenAIOkHttpClient.builder()
                    .baseUrl("http://127.0.0.1:" + secured.port() + "/v1")
                    .apiKey("good-key-0123456789ab")
                    .maxRetries(0)
                    .build();
            try {
                assertThatThrownBy(() -> bad.chat()
                                .completions()
                                .create(params("simulated/echo", "hi").build()))
                        .isInstanceOfSatisfying(
                                UnauthorizedException.class,
                                e -> assertThat(e.code()).contains("invalid_api_key"));
                assertThat(good.chat()
                                .completions()
                                .create(params("simulated/echo", "hi").build())
                                .choices()
                                .getFirst()
                                .message()
                                .content())
                        .contains("hi");
            } finally {
                bad.close();
                good.close();
            }
        }
    }
}
