package io.aistream.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aistream.provider.simulated.SimulatedProvider;
import io.aistream.server.AistreamServer;
import io.aistream.server.config.ServerConfig;
import io.aistream.server.config.WebSocketConfig;
import io.aistream.stream.VirtualTimeSource;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server pings every socket on the (virtual) clock; a socket whose pongs stop is closed with 1001. */
@Timeout(30)
class WsPingTest {
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private final VirtualTimeSource time = new VirtualTimeSource();
    private final CompletableFuture<WsSocket> opened = new CompletableFuture<>();
    private AistreamServer server;

    @BeforeEach
    void start() throws IOException {
        WsEndpoint.openedProbe = opened::complete;
        server = AistreamServer.start(ServerConfig.builder()
                .port(0)
                .provider(new SimulatedProvider())
                .timeSource(time)
                .webSocket(WebSocketConfig.defaults().withPingInterval(INTERVAL).withMaxMissedPongs(2))
                .build());
    }

    @AfterEach
    void stop() {
        WsEndpoint.openedProbe = null;
        server.close();
    }

    @Test
    void aClientThatAnswersPingsStaysConnected() throws Exception {
        AtomicInteger pings = new AtomicInteger();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
                        pings.incrementAndGet(); // java.net.http answers with a pong by itself
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }
                })
                .join();
        WsSocket socket = opened.get(10, TimeUnit.SECONDS);
        for (int i = 1; i <= 2 * (2 + 1); i++) {
            time.advance(INTERVAL);
            int expected = i;
            await().atMost(Duration.ofSeconds(10)).until(() -> pings.get() == expected && socket.missedPongs() == 0);
        }
        assertThat(closed).isNotDone();
        ws.abort();
    }

    @Test
    void aClientThatNeverAnswersIsClosedWith1001AfterTheMissedPongs() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", server.port())) {
            raw.setSoTimeout(10_000);
            OutputStream out = raw.getOutputStream();
            out.write(("GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            DataInputStream in = new DataInputStream(raw.getInputStream());
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101");
            WsSocket socket = opened.get(10, TimeUnit.SECONDS);

            time.advance(INTERVAL);
            assertThat(readFrame(in).opcode()).isEqualTo(0x9); // ping 1, never answered
            time.advance(INTERVAL);
            assertThat(readFrame(in).opcode()).isEqualTo(0x9); // ping 2: two may be missed
            assertThat(socket.missedPongs()).isEqualTo(2);
            time.advance(INTERVAL); // the third interval closes
            Frame error = readFrame(in);
            assertThat(error.opcode()).isEqualTo(0x1);
            assertThat(new String(error.payload(), StandardCharsets.UTF_8)).contains("\"code\":\"ping_timeout\"");
            Frame close = readFrame(in);
            assertThat(close.opcode()).isEqualTo(0x8);
            ByteBuffer body = ByteBuffer.wrap(close.payload());
            assertThat(body.getShort() & 0xFFFF).isEqualTo(1001);
            assertThat(StandardCharsets.UTF_8.decode(body).toString()).isEqualTo("ping_timeout");
        }
    }

    private record Frame(int opcode, byte[] payload) {}

    private static String readHead(DataInputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.readUnsignedByte());
        }
        return head.toString();
    }

    /** One unmasked server frame. */
    private static Frame readFrame(DataInputStream in) throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(b0 & 0x0F, payload);
    }
}
