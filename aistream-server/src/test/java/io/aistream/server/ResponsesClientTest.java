package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import io.aistream.chunk.ContentChunk;
import io.aistream.json.Jackson;
import io.aistream.testing.RawHttp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

/** The official openai-java client's Responses API ({@code client.responses()}) against POST /v1/responses. */
@Timeout(60)
class ResponsesClientTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final FunctionTool GET_WEATHER = FunctionTool.builder()
            .name("get_weather")
            .description("Current weather in a city")
            .parameters(FunctionTool.Parameters.builder()
                    .putAdditionalProperty("type", JsonValue.from("object"))
                    .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                    .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                    .build())
            .strict(false)
            .build();

    private static TestGateway gateway;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start(b -> b.provider(new FixedProvider()));
        client = OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
                .apiKey("sk-unused")
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        gateway.close();
    }

    private static ResponseCreateParams.Builder params(String model, String input) {
        return ResponseCreateParams.builder().model(model).input(input);
    }

    /** The streamed events, and the response the SDK's accumulator builds from them. */
    private record Streamed(List<ResponseStreamEvent> events, Response response, String text) {}

    private static Streamed stream(ResponseCreateParams params) {
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        List<ResponseStreamEvent> events = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ResponseStreamEvent> response = client.responses().createStreaming(params)) {
            response.stream().forEach(event -> {
                event.validate(); // every field the SDK requires is there, of the right type
                events.add(accumulator.accumulate(event));
                event.outputTextDelta().ifPresent(d -> text.append(d.delta()));
            });
        }
        return new Streamed(events, accumulator.response(), text.toString());
    }

    private static String outputText(Response response) {
        StringBuilder text = new StringBuilder();
        for (ResponseOutputItem item : response.output()) {
            if (item.isMessage()) {
                item.asMessage().content().forEach(c -> c.outputText().ifPresent(t -> text.append(t.text())));
            }
        }
        return text.toString();
    }

    @Test
    void streamsEchoAndTheAccumulatorBuildsTheResponse() {
        Streamed s =
                stream(params("simulated/echo", "hello there, streaming world").build());
        assertThat(s.text()).isEqualTo("hello there, streaming world");
        assertThat(s.events().getFirst().isCreated()).isTrue();
        assertThat(s.events().getLast().isCompleted()).isTrue();
        assertThat(s.events().stream().map(e -> e.outputTextDelta().isPresent()).filter(b -> b))
                .hasSizeGreaterThan(1);
        Response r = s.response();
        assertThat(r.id()).startsWith("resp_st_");
        assertThat(r.status()).contains(ResponseStatus.COMPLETED);
        assertThat(outputText(r)).isEqualTo("hello there, streaming world");
        assertThat(r.usage().orElseThrow().inputTokens()).isPositive();
        assertThat(r.usage().orElseThrow().totalTokens())
                .isEqualTo(r.usage().orElseThrow().inputTokens()
                        + r.usage().orElseThrow().outputTokens());
    }

    @Test
    void createAnswersTheSameResponseAsTheStream() {
        Response r = client.responses()
                .create(params("simulated/echo", "hello there")
                        .instructions("be brief")
                        .store(false)
                        .build());
        assertThat(r.status()).contains(ResponseStatus.COMPLETED);
        assertThat(r.model().asString()).isEqualTo("simulated/echo");
        assertThat(r.instructions().orElseThrow().asString()).isEqualTo("be brief");
        assertThat(outputText(r)).isEqualTo("hello there");
        assertThat(r.error()).isEmpty();
        assertThat(r.incompleteDetails()).isEmpty();
        assertThat(r.tools()).isEmpty();
        r.validate(); // every required field is there, of the right type
    }

    @Test
    void reasoningArrivesAsAReasoningItemBeforeTheMessage() {
        Streamed s = stream(params("simulated/reasoning", "think").build());
        List<ResponseOutputItem> output = s.response().output();
        assertThat(output).hasSizeGreaterThanOrEqualTo(2);
        assertThat(output.getFirst().isReasoning()).isTrue();
        assertThat(output.getFirst().asReasoning().summary().getFirst().text()).isNotBlank();
        assertThat(outputText(s.response())).isNotBlank().isEqualTo(s.text());
        assertThat(s.events()).anyMatch(e -> e.reasoningSummaryTextDelta().isPresent());
        s.response().validate();
    }

    @Test
    void aFunctionCallRoundTrip() {
        ResponseCreateParams first = params("simulated/tools", "weather in Paris?")
                .addTool(GET_WEATHER)
                .build();
        Streamed s = stream(first);
        ResponseFunctionToolCall call = s.response().output().stream()
                .filter(ResponseOutputItem::isFunctionCall)
                .map(ResponseOutputItem::asFunctionCall)
                .findFirst()
                .orElseThrow();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.arguments()).has("city")).isTrue();
        assertThat(call.callId()).isNotBlank();

        Response created = client.responses().create(first);
        assertThat(created.output()).anyMatch(ResponseOutputItem::isFunctionCall);

        // the conversation goes on: the model's output items and the tool's result go back in, statelessly
        List<ResponseInputItem> input = new ArrayList<>();
        input.add(ResponseInputItem.ofEasyInputMessage(com.openai.models.responses.EasyInputMessage.builder()
                .role(com.openai.models.responses.EasyInputMessage.Role.USER)
                .content("weather in Paris?")
                .build()));
        input.add(ResponseInputItem.ofFunctionCall(call));
        input.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId(call.callId())
                .output("{\"temp\":21}")
                .build()));
        Response next = client.responses()
                .create(ResponseCreateParams.builder()
                        .model("simulated/tools")
                        .addTool(GET_WEATHER)
                        .inputOfResponse(input)
                        .build());
        assertThat(next.status()).contains(ResponseStatus.COMPLETED);
        assertThat(outputText(next)).contains("21");
        assertThat(next.output()).noneMatch(ResponseOutputItem::isFunctionCall);
    }

    @Test
    void aToolLoopWithPreviousResponseIdAndItemReferencesRetrieveAndDelete() {
        Response first = client.responses()
                .create(params("simulated/tools", "weather in Paris?")
                        .addTool(GET_WEATHER)
                        .build());
        ResponseFunctionToolCall call = first.output().stream()
                .filter(ResponseOutputItem::isFunctionCall)
                .map(ResponseOutputItem::asFunctionCall)
                .findFirst()
                .orElseThrow();

        // continue with previous_response_id: only the tool's result goes in
        Response next = client.responses()
                .create(ResponseCreateParams.builder()
                        .model("simulated/tools")
                        .addTool(GET_WEATHER)
                        .previousResponseId(first.id())
                        .inputOfResponse(List.of(
                                ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                                        .callId(call.callId())
                                        .output("{\"temp\":21}")
                                        .build())))
                        .build());
        assertThat(next.previousResponseId()).contains(first.id());
        assertThat(outputText(next)).contains("get_weather tool returned {\"temp\":21}");

        // or with references to the first response's items
        List<ResponseInputItem> input = new ArrayList<>();
        input.add(ResponseInputItem.ofEasyInputMessage(com.openai.models.responses.EasyInputMessage.builder()
                .role(com.openai.models.responses.EasyInputMessage.Role.USER)
                .content("weather in Paris?")
                .build()));
        for (ResponseOutputItem item : first.output()) {
            String id = item.isMessage()
                    ? item.asMessage().id()
                    : item.asFunctionCall().id().orElseThrow();
            input.add(ResponseInputItem.ofItemReference(
                    ResponseInputItem.ItemReference.builder().id(id).build()));
        }
        input.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId(call.callId())
                .output("{\"temp\":22}")
                .build()));
        Response referenced = client.responses()
                .create(ResponseCreateParams.builder()
                        .model("simulated/tools")
                        .addTool(GET_WEATHER)
                        .inputOfResponse(input)
                        .build());
        assertThat(outputText(referenced)).contains("{\"temp\":22}");

        Response retrieved = client.responses().retrieve(referenced.id());
        retrieved.validate();
        assertThat(outputText(retrieved)).isEqualTo(outputText(referenced));
        client.responses().delete(referenced.id());
        assertThatThrownBy(() -> client.responses().retrieve(referenced.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void anUnknownItemReferenceIsNotFoundNamingTheItem() {
        assertThatThrownBy(() -> client.responses()
                        .create(ResponseCreateParams.builder()
                                .model("simulated/echo")
                                .inputOfResponse(List.of(
                                        ResponseInputItem.ofItemReference(ResponseInputItem.ItemReference.builder()
                                                .id("msg_gone_0")
                                                .build())))
                                .build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.param()).contains("input[0].id");
                    assertThat(e.getMessage()).contains("'msg_gone_0' not found", "store: false");
                });
    }

    @Test
    void anUnknownModelIsNotFound() {
        assertThatThrownBy(() ->
                        client.responses().create(params("nope/model", "hi").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.code()).contains("model_not_found");
                    assertThat(e.param()).contains("model");
                    assertThat(e.getMessage()).contains("simulated/echo");
                });
    }

    @Test
    void aStreamFailureIsRaisedByTheClient() {
        assertThatThrownBy(() -> stream(params("fixed/fail", "hi").build()))
                .isInstanceOf(OpenAIException.class)
                .hasMessageContaining("slow down");
    }

    @Test
    void anAbortedStreamIsRaisedByTheClient() throws Exception {
        HttpResponseFor<StreamResponse<ResponseStreamEvent>> raw = client.responses()
                .withRawResponse()
                .createStreaming(params("test/script", "hi").build());
        String id = raw.headers().values("X-Stream-Id").getFirst();
        var source = gateway.provider.nextSource();
        source.emit(ContentChunk.of("partial"));
        try (StreamResponse<ResponseStreamEvent> response = raw.parse()) {
            Iterator<ResponseStreamEvent> events = response.stream().iterator();
            ResponseStreamEvent event;
            do {
                event = events.next();
            } while (!event.isOutputTextDelta());
            assertThat(event.asOutputTextDelta().delta()).isEqualTo("partial");
            try (RawHttp delete = RawHttp.request(gateway.port(), "DELETE", "/v1/streams/" + id, Map.of(), null)) {
                assertThat(delete.status()).isEqualTo(200);
            }
            source.awaitCancel();
            assertThatThrownBy(() -> events.forEachRemaining(e -> {}))
                    .isInstanceOf(OpenAIException.class)
                    .hasMessageContaining("aborted");
        }
    }
}
