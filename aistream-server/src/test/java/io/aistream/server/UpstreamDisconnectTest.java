package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.provider.registry.ProviderRegistry;
import io.aistream.sse.SseEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole path, with nothing mocked: browser socket → gateway → provider registry → OpenAI
 * protocol over the socket transport → a raw-socket upstream. When the client hangs up on a non-resumable
 * stream, the upstream must see its own connection closed within 100 ms.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamDisconnectTest {

    @Test
    void clientDisconnectClosesTheUpstreamConnectionWithin100Ms() throws Exception {
        try (StallingUpstream upstream = new StallingUpstream()) {
            ProviderRegistry registry = ProviderRegistry.builder().config(JsonMapper.builder().build().readTree("""
                    {"providers":{"up":{"protocol":"openai-chat","preset":"vllm","baseUrl":"http://127.0.0.1:%d/v1"}}}"""
                    .formatted(upstream.port())), Set.of()).build();
            try (AistreamServer server = AistreamServer.start(ServerConfig.builder().port(0)
                    .providers(registry.asProviders()).build())) {
                RawHttp client = RawHttp.postJson(server.port(), "/v1/stream",
                        "{\"provider\":\"up\",\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                assertThat(client.status()).isEqualTo(200);
                List<SseEvent> first = client.events(client.sse(), 1); // the retry block dispatches nothing
                assertThat(first.get(0).data()).contains("\"delta\":\"Hel\"");
                assertThat(upstream.stalled.await(10, TimeUnit.SECONDS)).isTrue();

                long hungUp = System.nanoTime();
                client.close();
                long upstreamSawClose = upstream.closedAt.get(10, TimeUnit.SECONDS);

                assertThat(TimeUnit.NANOSECONDS.toMillis(upstreamSawClose - hungUp)).isLessThanOrEqualTo(100);
            }
        }
    }

    /** Answers one streaming request with a content chunk, then holds the connection until the client closes it. */
    private static final class StallingUpstream implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final CountDownLatch stalled = new CountDownLatch(1);
        final CompletableFuture<Long> closedAt = new CompletableFuture<>();

        StallingUpstream() throws IOException {
            Thread.ofVirtual().start(this::serve);
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                readRequest(in);
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n"
                        + "connection: close\r\n\r\n"
                        + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                        + "\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                stalled.countDown();
                while (in.read() >= 0) {
                    // nothing more is sent; read() returns -1 (or throws) once the gateway closes the connection
                }
                closedAt.complete(System.nanoTime());
            } catch (IOException e) {
                closedAt.complete(System.nanoTime());
            }
        }

        /** Reads the head and a Content-Length body (java.net.http sends fixed-length POSTs). */
        private static void readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                byte[] h = head.toByteArray();
                int n = h.length;
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                    break;
                }
            }
            String text = head.toString(StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            int at = text.indexOf("content-length:");
            if (at >= 0) {
                int length = Integer.parseInt(text.substring(at + 15, text.indexOf('\r', at)).strip());
                in.readNBytes(length);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
