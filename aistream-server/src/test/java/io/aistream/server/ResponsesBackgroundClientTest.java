package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseRetrieveParams;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import io.aistream.json.Jackson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official openai-java client's background mode against POST /v1/responses: {@code background(true)}, a
 * streamed response left mid-way and resumed with {@code retrieveStreaming(id, startingAfter)}, and
 * {@code cancel(id)}. Paced simulated streams with a fixed seed.
 */
@Timeout(60)
class ResponsesBackgroundClientTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final long SEED = 11;

    private static TestGateway gateway;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start();
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

    private static ResponseCreateParams params(Map<String, Object> options) {
        System.out.println("seed " + SEED);
        return ResponseCreateParams.builder()
                .model("simulated/lorem")
                .input("write")
                .background(true)
                .putAdditionalBodyProperty("provider_options", JsonValue.from(options))
                .build();
    }

    private static JsonNode json(ResponseStreamEvent event) throws Exception {
        return JSON.readTree(ObjectMappers.jsonMapper().writeValueAsString(event));
    }

    @Test
    void aStreamLeftMidWayIsResumedAfterItsLastSequenceNumber() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        String id;
        try (StreamResponse<ResponseStreamEvent> stream = client.responses()
                .createStreaming(params(Map.of("seed", SEED, "length", 40, "tokensPerSecond", 200)))) {
            Iterator<ResponseStreamEvent> it = stream.stream().iterator();
            int deltas = 0;
            while (deltas < 4) {
                ResponseStreamEvent e = it.next();
                events.add(json(e));
                if (e.isOutputTextDelta()) {
                    deltas++;
                }
            }
            id = events.getFirst().path("response").path("id").asString();
        } // the client leaves: the background response goes on
        long last = events.getLast().path("sequence_number").asLong();
        try (StreamResponse<ResponseStreamEvent> rest = client.responses()
                .retrieveStreaming(
                        id, ResponseRetrieveParams.builder().startingAfter(last).build())) {
            for (ResponseStreamEvent e : (Iterable<ResponseStreamEvent>) rest.stream()::iterator) {
                events.add(json(e));
            }
        }
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).path("sequence_number").asLong()).isEqualTo(i);
        }
        assertThat(events.getLast().path("type").asString()).isEqualTo("response.completed");
        StringBuilder text = new StringBuilder();
        events.stream()
                .filter(e -> e.path("type").asString().equals("response.output_text.delta"))
                .forEach(e -> text.append(e.path("delta").asString()));
        Response done = client.responses().retrieve(id);
        assertThat(done.status()).contains(ResponseStatus.COMPLETED);
        assertThat(done.background()).contains(true);
        assertThat(done.output()
                        .getFirst()
                        .asMessage()
                        .content()
                        .getFirst()
                        .asOutputText()
                        .text())
                .isEqualTo(text.toString());
    }

    @Test
    void aQueuedResponseIsCancelled() {
        Response queued = client.responses()
                .create(params(Map.of("seed", SEED, "length", 40, "tokensPerSecond", 200, "stallAfter", 2)));
        assertThat(queued.status()).contains(ResponseStatus.QUEUED);
        Response cancelled = client.responses().cancel(queued.id());
        assertThat(cancelled.status()).contains(ResponseStatus.CANCELLED);
        assertThat(client.responses().retrieve(queued.id()).status()).contains(ResponseStatus.CANCELLED);
    }
}
