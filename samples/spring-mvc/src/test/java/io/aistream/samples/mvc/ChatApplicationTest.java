package io.aistream.samples.mvc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** The sample as it runs, on a random port, through real HTTP. The simulated provider is unpaced. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "aistream.simulated.tokens-per-second=0",
            // Boot's test support turns metrics export off unless asked; the running sample has it on
            "management.defaults.metrics.export.enabled=true"
        })
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatApplicationTest {
    @Value("${local.server.port}")
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void chatStreamsNativeSseEndingInDone() throws Exception {
        HttpResponse<String> response = post("/chat", "{\"message\":\"hello from the sample\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        assertThat(response.body())
                .contains("\"type\":\"content\"", "\"delta\":\"hello \"", "\"type\":\"done\"")
                .endsWith("data: [DONE]\n\n");
    }

    @Test
    void chatWithoutMessageIsABadRequestNamingIt() throws Exception {
        HttpResponse<String> response = post("/chat", "{}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("'message' is required").doesNotContain("Exception");
    }

    @Test
    void mountedOpenAiEndpointStreams() throws Exception {
        HttpResponse<String> response = post(
                "/v1/chat/completions",
                "{\"model\":\"simulated/echo\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("chat.completion.chunk", "\"content\":\"hi")
                .endsWith("data: [DONE]\n\n");
    }

    @Test
    void prometheusShowsTheGatewayMetrics() throws Exception {
        assertThat(post("/chat", "{\"message\":\"count me\"}").statusCode()).isEqualTo(200);

        HttpResponse<String> metrics = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("aistream_streams_started_total");
    }
}
