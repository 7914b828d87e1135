package io.aistream.compat;

import static io.aistream.testing.CompatScenarios.ECHO;
import static io.aistream.testing.CompatScenarios.LONG_PROMPT;
import static io.aistream.testing.CompatScenarios.PROMPT;
import static io.aistream.testing.CompatScenarios.TOOL;
import static io.aistream.testing.CompatScenarios.TOOLS;
import static io.aistream.testing.CompatScenarios.TOOL_DESCRIPTION;
import static io.aistream.testing.CompatScenarios.TOOL_RESULT;
import static io.aistream.testing.CompatScenarios.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import io.aistream.testing.CompatResults;
import io.aistream.testing.CompatScenarios;
import io.aistream.testing.GatewayProcess;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The official openai-java client, unchanged, against Chat Completions and Responses of a real gateway. */
@Timeout(90)
class OpenAiJavaTest {
    private static final String CHAT = "/v1/chat/completions";
    private static final String RESPONSES = "/v1/responses";
    private static final Map<String, Object> WEATHER_SCHEMA = Map.of(
            "type", "object", "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city"));

    private static GatewayProcess gateway;
    private static OpenAIClient client;
    private static CompatResults results;

    @BeforeAll
    static void start() throws Exception {
        gateway = CompatScenarios.startGateway();
        client = OpenAIOkHttpClient.builder()
                .baseUrl(gateway.baseUrl() + "/v1")
                .apiKey("sk-not-checked")
                .maxRetries(0)
                .build();
        results = new CompatResults(
                CompatResults.defaultDir(),
                "openai-java",
                "openai-java",
                "Java",
                CompatResults.versionOf(OpenAIClient.class, "com.openai", "openai-java-core"));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    // --- Chat Completions

    private static ChatCompletionCreateParams.Builder chat(String model, String user) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(user);
    }

    /** Streams and puts the answer together as the SDK's own accumulator does; counts the content deltas. */
    private static ChatCompletion streamChat(ChatCompletionCreateParams params, int[] contentDeltas) {
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params)) {
            s.stream().forEach(chunk -> {
                acc.accumulate(chunk);
                chunk.choices().forEach(c -> c.delta().content().ifPresent(t -> contentDeltas[0]++));
            });
        }
        return acc.chatCompletion();
    }

    @Test
    void chatText() throws Exception {
        results.run(CHAT, "text", () -> {
            int[] deltas = {0};
            ChatCompletion c = streamChat(chat(ECHO, PROMPT).build(), deltas);
            assertThat(c.choices().getFirst().message().content()).contains(PROMPT);
            assertThat(deltas[0]).isGreaterThan(1);
            return "echo streamed in " + deltas[0] + " deltas";
        });
    }

    @Test
    void chatTools() throws Exception {
        results.run(CHAT, "tools", () -> {
            ChatCompletionCreateParams first = chat(TOOLS, CompatScenarios.TOOL_QUESTION)
                    .addTool(ChatCompletionFunctionTool.builder()
                            .function(FunctionDefinition.builder()
                                    .name(TOOL)
                                    .description(TOOL_DESCRIPTION)
                                    .parameters(FunctionParameters.builder()
                                            .putAllAdditionalProperties(json(WEATHER_SCHEMA))
                                            .build())
                                    .build())
                            .build())
                    .build();
            ChatCompletion called = streamChat(first, new int[1]);
            ChatCompletion.Choice choice = called.choices().getFirst();
            assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
            ChatCompletionMessageFunctionToolCall call =
                    choice.message().toolCalls().orElseThrow().getFirst().asFunction();
            assertThat(call.function().name()).isEqualTo(TOOL);
            ChatCompletionCreateParams second = first.toBuilder()
                    .addMessage(choice.message())
                    .addMessage(ChatCompletionToolMessageParam.builder()
                            .toolCallId(call.id())
                            .content(TOOL_RESULT)
                            .build())
                    .build();
            ChatCompletion answered = streamChat(second, new int[1]);
            assertThat(answered.choices().getFirst().message().content())
                    .hasValueSatisfying(t -> assertThat(t).contains(TOOL_RESULT));
            return TOOL + " called with " + call.function().arguments() + ", its result quoted in the answer";
        });
    }

    @Test
    void chatAbort() throws Exception {
        results.run(CHAT, "abort", () -> {
            double before = CompatScenarios.aborts(gateway);
            try (StreamResponse<ChatCompletionChunk> s = client.chat()
                    .completions()
                    .createStreaming(chat(ECHO, LONG_PROMPT).build())) {
                Iterator<ChatCompletionChunk> it = s.stream().iterator();
                while (it.hasNext()
                        && it.next().choices().stream()
                                .noneMatch(c -> c.delta().content().isPresent())) {
                    // until the first text arrives
                }
            } // closing the StreamResponse mid-way is how the SDK cancels
            return CompatScenarios.awaitAbort(gateway, before);
        });
    }

    @Test
    void chatUnknownModel() throws Exception {
        results.run(CHAT, "unknown model", () -> {
            Throwable e = catchThrowable(() -> streamChat(chat(UNKNOWN, PROMPT).build(), new int[1]));
            assertThat(e).isInstanceOf(NotFoundException.class).hasMessageContaining(UNKNOWN);
            return CompatScenarios.describe(e);
        });
    }

    // --- Responses

    private static ResponseCreateParams.Builder responses(String model) {
        return ResponseCreateParams.builder().model(model);
    }

    private static Response streamResponse(ResponseCreateParams params, int[] textDeltas) {
        ResponseAccumulator acc = ResponseAccumulator.create();
        try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(params)) {
            s.stream().forEach(event -> {
                acc.accumulate(event);
                event.outputTextDelta().ifPresent(d -> textDeltas[0]++);
            });
        }
        return acc.response();
    }

    private static String outputText(Response r) {
        StringBuilder text = new StringBuilder();
        r.output()
                .forEach(item -> item.message()
                        .ifPresent(m ->
                                m.content().forEach(c -> c.outputText().ifPresent(t -> text.append(t.text())))));
        return text.toString();
    }

    @Test
    void responsesText() throws Exception {
        results.run(RESPONSES, "text", () -> {
            int[] deltas = {0};
            Response r = streamResponse(responses(ECHO).input(PROMPT).build(), deltas);
            assertThat(outputText(r)).contains(PROMPT);
            assertThat(deltas[0]).isGreaterThan(1);
            return "echo streamed in " + deltas[0] + " output_text deltas";
        });
    }

    @Test
    void responsesTools() throws Exception {
        results.run(RESPONSES, "tools", () -> {
            FunctionTool tool = FunctionTool.builder()
                    .name(TOOL)
                    .description(TOOL_DESCRIPTION)
                    .parameters(FunctionTool.Parameters.builder()
                            .putAllAdditionalProperties(json(WEATHER_SCHEMA))
                            .build())
                    .strict(false)
                    .build();
            ResponseInputItem user = ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
                    .role(EasyInputMessage.Role.USER)
                    .content(CompatScenarios.TOOL_QUESTION)
                    .build());
            Response called = streamResponse(
                    responses(TOOLS)
                            .input(ResponseCreateParams.Input.ofResponse(List.of(user)))
                            .addTool(tool)
                            .build(),
                    new int[1]);
            ResponseFunctionToolCall call = called.output().stream()
                    .map(ResponseOutputItem::functionCall)
                    .flatMap(java.util.Optional::stream)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no function_call item in " + called.output()));
            assertThat(call.name()).isEqualTo(TOOL);
            Response answered = streamResponse(
                    responses(TOOLS)
                            .input(ResponseCreateParams.Input.ofResponse(List.of(
                                    user,
                                    ResponseInputItem.ofFunctionCall(call),
                                    ResponseInputItem.ofFunctionCallOutput(
                                            ResponseInputItem.FunctionCallOutput.builder()
                                                    .callId(call.callId())
                                                    .output(TOOL_RESULT)
                                                    .build()))))
                            .addTool(tool)
                            .build(),
                    new int[1]);
            assertThat(outputText(answered)).contains(TOOL_RESULT);
            return TOOL + " called with " + call.arguments() + ", its result quoted in the answer";
        });
    }

    @Test
    void responsesAbort() throws Exception {
        results.run(RESPONSES, "abort", () -> {
            double before = CompatScenarios.aborts(gateway);
            try (StreamResponse<ResponseStreamEvent> s = client.responses()
                    .createStreaming(responses(ECHO).input(LONG_PROMPT).build())) {
                Iterator<ResponseStreamEvent> it = s.stream().iterator();
                while (it.hasNext() && it.next().outputTextDelta().isEmpty()) {
                    // until the first text arrives
                }
            }
            return CompatScenarios.awaitAbort(gateway, before);
        });
    }

    @Test
    void responsesUnknownModel() throws Exception {
        results.run(RESPONSES, "unknown model", () -> {
            Throwable e = catchThrowable(
                    () -> streamResponse(responses(UNKNOWN).input(PROMPT).build(), new int[1]));
            assertThat(e).isInstanceOf(NotFoundException.class).hasMessageContaining(UNKNOWN);
            return CompatScenarios.describe(e);
        });
    }

    private static Map<String, JsonValue> json(Map<String, Object> object) {
        Map<String, JsonValue> out = new java.util.LinkedHashMap<>();
        object.forEach((k, v) -> out.put(k, JsonValue.from(v)));
        return out;
    }
}
