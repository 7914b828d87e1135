package io.aistream.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aistream.provider.simulated.SimulatedProvider;
import io.aistream.server.AistreamServer;
import io.aistream.server.config.ServerConfig;
import io.aistream.server.config.WebSocketConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A client that stops reading cannot make the server's memory grow: the per-socket send queue stays within its cap. */
@Timeout(60)
class WsBoundedQueueTest {

    @AfterEach
    void removeProbe() {
        WsEndpoint.openedProbe = null;
    }

    @ParameterizedTest(name = "{0}, {1} bytes, {2} messages")
    @CsvSource({
        "block, 16384, 100000", // bound by bytes
        "block, 1048576, 32", // bound by messages
        "coalesce, 262144, 64", // merged deltas are large: bound by bytes with fewer, bigger messages
    })
    void aClientThatStopsReadingFillsTheQueueToItsCapAndNoFurther(String backpressure, int capBytes, int capMessages)
            throws Exception {
        CompletableFuture<WsSocket> opened = new CompletableFuture<>();
        WsEndpoint.openedProbe = opened::complete;
        ServerConfig config = ServerConfig.builder()
                .port(0)
                .provider(new SimulatedProvider())
                .webSocket(WebSocketConfig.defaults().withSendQueue(capBytes, capMessages))
                .build();
        try (AistreamServer server = AistreamServer.start(config)) {
            AtomicInteger received = new AtomicInteger();
            WebSocket.Listener stopsReading = new WebSocket.Listener() {
                @Override
                public void onOpen(WebSocket webSocket) {
                    webSocket.request(1); // one message, then never again
                }

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    received.incrementAndGet();
                    return null;
                }
            };
            WebSocket ws = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws"), stopsReading)
                    .join();
            ws.sendText(
                            "{\"type\":\"start\",\"stream\":\"flood\",\"request\":{\"provider\":\"simulated\",\"model\":\"lorem\","
                                    + "\"backpressure\":\"" + backpressure
                                    + "\",\"providerOptions\":{\"length\":1000000},"
                                    + "\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}}",
                            true)
                    .join();
            WsOutbox outbox = opened.get().outbox();

            // the provider is far faster than the socket: once the TCP buffers are full, the queue fills
            // and the stream waits for room (the guard is long: filling the TCP buffers takes a while)...
            await().atMost(Duration.ofSeconds(30)).until(() -> outbox.waitingStreams() == 1);
            // ...and the queue never held more than its cap: the peaks cover every moment until now, and
            // while the stream waits for room nothing more can be queued (the client never reads)
            assertThat(outbox.peakBytes()).isLessThanOrEqualTo(capBytes);
            assertThat(outbox.peakMessages()).isLessThanOrEqualTo(capMessages);
            assertThat(outbox.queuedBytes()).isPositive().isLessThanOrEqualTo(capBytes);
            assertThat(received.get()).isEqualTo(1);
            assertThat(server.activeStreams()).isEqualTo(1);
            assertThat(outbox.waitingStreams())
                    .as("the stream is still held on the full queue")
                    .isEqualTo(1);

            ws.abort();
            // the stream, blocked on the full queue, is stopped when the socket goes
            await().atMost(Duration.ofSeconds(10)).until(() -> server.activeStreams() == 0);
        }
    }
}
