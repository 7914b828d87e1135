package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseReader;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The same endpoints over h2c (HTTP/2 without TLS), as the JDK client speaks it after an upgrade. */
@Timeout(30)
class Http2Test {
    private static final String BODY = "{\"provider\":\"test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void streamsOverH2cAndAResetStreamCancelsTheUpstream() throws Exception {
        try (TestGateway g = TestGateway.start();
                HttpClient client = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_2)
                        .build()) {
            // the first request upgrades the connection to h2c
            HttpResponse<String> health = client.send(
                    HttpRequest.newBuilder(g.server.uri().resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);

            HttpRequest post = HttpRequest.newBuilder(g.server.uri().resolve("/v1/stream"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(BODY))
                    .build();
            HttpResponse<InputStream> first = client.send(post, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(first.headers().firstValue("content-type")).contains("text/event-stream; charset=utf-8");
            var source = g.provider.nextSource();
            source.emit(ContentChunk.of("a"), ContentChunk.of("b"), DoneChunk.of(FinishReason.STOP));
            List<String> data = new ArrayList<>();
            try (SseReader reader = new SseReader(first.body())) {
                for (SseEvent e : reader) {
                    data.add(e.data());
                }
            }
            assertThat(data).hasSize(4).last().isEqualTo("[DONE]");

            HttpResponse<InputStream> second = client.send(post, HttpResponse.BodyHandlers.ofInputStream());
            var stalled = g.provider.nextSource();
            stalled.emit(ContentChunk.of("x"));
            SseReader reader = new SseReader(second.body());
            assertThat(reader.next()).isPresent();
            reader.close(); // cancels the HTTP/2 stream: RST_STREAM
            stalled.awaitCancel();
        }
    }
}
