package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.testing.RawHttp;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that reuses its connection sends the next request the moment it has the last byte of a
 * response: each endpoint must be ready to read it by then (a disconnect watcher still armed would
 * swallow the start of it, and Jetty would answer 400). Many requests back to back on one socket.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionReuseTest {
    private static final int ROUNDS = 150;
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start(b -> b.provider(new FixedProvider()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static void backToBack(String path, String body, String lastLine) throws Exception {
        try (RawHttp http = RawHttp.connect(gateway.port())) {
            for (int i = 0; i < ROUNDS; i++) {
                http.send("POST", path, JSON, body);
                http.readHead();
                assertThat(http.status()).as("round %d", i).isEqualTo(200);
                String text = http.bodyText(); // to the response's last byte, then at once the next request
                assertThat(text.strip()).as("round %d", i).endsWith(lastLine);
            }
        }
    }

    @Test
    void nativeStreamsBackToBackOnOneConnection() throws Exception {
        backToBack("/v1/stream", "{\"provider\":\"fixed\",\"model\":\"text\"," + MESSAGES + "}", "data: [DONE]");
    }

    @Test
    void openAiStreamsBackToBackOnOneConnection() throws Exception {
        backToBack(
                "/v1/chat/completions", "{\"model\":\"fixed/text\",\"stream\":true," + MESSAGES + "}", "data: [DONE]");
    }

    @Test
    void openAiCompletionsBackToBackOnOneConnection() throws Exception {
        backToBack("/v1/chat/completions", "{\"model\":\"fixed/text\"," + MESSAGES + "}", "}");
    }

    @Test
    void uiChatStreamsBackToBackOnOneConnection() throws Exception {
        backToBack(
                "/v1/ui/chat",
                "{\"provider\":\"fixed\",\"model\":\"text\",\"trigger\":\"submit-message\","
                        + "\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}",
                "data: [DONE]");
    }
}
