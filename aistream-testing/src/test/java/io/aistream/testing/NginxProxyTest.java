package io.aistream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real nginx in front of tiny loopback upstreams: round robin, headers passed, no buffering either way,
 * WebSocket upgrades, dead upstreams skipped. Waits are on events (latches the peers count down); the 30 s
 * guards only bound a failing run.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NginxProxyTest {
    private static final long GUARD_SECONDS = 30;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void nginxIsInstalled() {
        NginxProxy.assumeAvailable();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable r : resources.reversed()) {
            r.close();
        }
        http.close();
    }

    private <T extends AutoCloseable> T closing(T r) {
        resources.add(r);
        return r;
    }

    private HttpServer upstream(int port, HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/", handler);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        closing(() -> server.stop(0));
        return server;
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String get(NginxProxy nginx, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(nginx.baseUrl() + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(nginx.log()).isEqualTo(200);
        return response.body();
    }

    @Test
    void takesTheUpstreamsInTurnAndPassesTheRequestHeaders() throws Exception {
        Map<String, List<String>> seen = new ConcurrentHashMap<>();
        HttpHandler recording = exchange -> {
            String name = exchange.getHttpContext().getServer().getAddress().getPort() + "";
            seen.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>())
                    .add(exchange.getRequestHeaders().getFirst("Authorization") + "|"
                            + exchange.getRequestHeaders().getFirst("Last-Event-ID") + "|"
                            + exchange.getRequestHeaders().getFirst("X_Tenant_Id") + "|"
                            + exchange.getRequestURI());
            answer(exchange, name);
        };
        HttpServer a = upstream(0, recording);
        HttpServer b = upstream(0, recording);
        int portA = a.getAddress().getPort();
        int portB = b.getAddress().getPort();
        NginxProxy nginx = closing(NginxProxy.start(portA, portB));

        List<String> served = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            served.add(get(
                    nginx,
                    "/v1/streams/s" + i + "?from=3",
                    "Authorization",
                    "Bearer key-" + i,
                    "Last-Event-ID",
                    "s" + i + ":7",
                    "X_Tenant_Id",
                    "t"));
        }

        assertThat(served).as(nginx.log()).containsOnly(portA + "", portB + "");
        for (int i = 1; i < served.size(); i++) {
            assertThat(served.get(i))
                    .as("request %d goes to the other upstream: %s", i, served)
                    .isNotEqualTo(served.get(i - 1));
        }
        List<String> all = new ArrayList<>(seen.get(portA + ""));
        all.addAll(seen.get(portB + ""));
        assertThat(all)
                .hasSize(6)
                .contains("Bearer key-0|s0:7|t|/v1/streams/s0?from=3", "Bearer key-5|s5:7|t|/v1/streams/s5?from=3");
        assertThat(nginx.accessLog()).contains("upstream=127.0.0.1:" + portA, "upstream=127.0.0.1:" + portB);
        assertThat(nginx.port()).isNotIn(portA, portB);
        assertThat(nginx.upstreams()).containsExactly(portA, portB);
    }

    @Test
    void aResponsePassesChunkByChunk() throws Exception {
        CountDownLatch clientGotFirst = new CountDownLatch(1);
        CompletableFuture<Boolean> upstreamSawTheClientFirst = new CompletableFuture<>();
        HttpServer sse = upstream(0, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0); // chunked
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("data: one\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                // a buffering proxy holds "one" until the response ends, and the client never signals
                boolean signalled;
                try {
                    signalled = clientGotFirst.await(GUARD_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                upstreamSawTheClientFirst.complete(signalled);
                out.write("data: two\n\n".getBytes(StandardCharsets.UTF_8));
            }
        });
        NginxProxy nginx = closing(NginxProxy.start(sse.getAddress().getPort()));

        HttpResponse<InputStream> response = http.send(
                HttpRequest.newBuilder(URI.create(nginx.baseUrl() + "/v1/chat")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
                if (line.equals("data: one")) {
                    clientGotFirst.countDown();
                }
            }
        }

        assertThat(upstreamSawTheClientFirst.get(GUARD_SECONDS, TimeUnit.SECONDS))
                .as("the client got the first event before the upstream sent the second")
                .isTrue();
        assertThat(lines).containsExactly("data: one", "", "data: two", "");
    }

    @Test
    void aRequestBodyPassesChunkByChunk() throws Exception {
        CountDownLatch upstreamGotFirst = new CountDownLatch(1);
        HttpServer echo = upstream(0, exchange -> {
            InputStream in = exchange.getRequestBody();
            StringBuilder body = new StringBuilder();
            byte[] buf = new byte[1024];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                body.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                if (body.toString().contains("part1")) {
                    upstreamGotFirst.countDown();
                }
            }
            answer(exchange, "got " + body);
        });
        NginxProxy nginx = closing(NginxProxy.start(echo.getAddress().getPort()));

        SubmissionPublisher<ByteBuffer> body = new SubmissionPublisher<>();
        // items submitted before the client subscribes would be dropped: wait for its subscription
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        Flow.Publisher<ByteBuffer> publisher = subscriber -> {
            body.subscribe(subscriber);
            subscribed.complete(null);
        };
        CompletableFuture<HttpResponse<String>> response = http.sendAsync(
                HttpRequest.newBuilder(URI.create(nginx.baseUrl() + "/upload"))
                        .POST(HttpRequest.BodyPublishers.fromPublisher(publisher)) // no length: chunked
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        subscribed.get(GUARD_SECONDS, TimeUnit.SECONDS);
        body.submit(ByteBuffer.wrap("part1,".getBytes(StandardCharsets.UTF_8)));

        // a buffering proxy waits for the whole body before it calls the upstream
        boolean streamed = upstreamGotFirst.await(GUARD_SECONDS, TimeUnit.SECONDS);
        body.submit(ByteBuffer.wrap("part2".getBytes(StandardCharsets.UTF_8)));
        body.close();

        assertThat(streamed)
                .as("the upstream read the first part while the client still sent")
                .isTrue();
        assertThat(response.get(GUARD_SECONDS, TimeUnit.SECONDS).body()).isEqualTo("got part1,part2");
    }

    @Test
    void aWebSocketUpgradePassesAndFramesFlowBothWays() throws Exception {
        TinyWebSocketEcho echo = closing(new TinyWebSocketEcho());
        NginxProxy nginx = closing(NginxProxy.start(echo.port()));

        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder()
                .header("Authorization", "Bearer ws-key")
                .buildAsync(URI.create("ws://127.0.0.1:" + nginx.port() + "/v1/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        reply.complete(data.toString());
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        reply.completeExceptionally(error);
                    }
                })
                .get(GUARD_SECONDS, TimeUnit.SECONDS);
        ws.sendText("hello", true).get(GUARD_SECONDS, TimeUnit.SECONDS);

        assertThat(reply.get(GUARD_SECONDS, TimeUnit.SECONDS)).isEqualTo("echo: hello");
        String head = echo.requestHead.get(GUARD_SECONDS, TimeUnit.SECONDS).toLowerCase(Locale.ROOT);
        assertThat(head)
                .startsWith("get /v1/ws http/1.1")
                .contains("\nupgrade: websocket", "\nconnection: upgrade", "\nauthorization: bearer ws-key");
        ws.abort();
    }

    @Test
    void aPlainRequestAsksNoUpgradeOfTheUpstream() throws Exception {
        CompletableFuture<String> upgrade = new CompletableFuture<>();
        HttpServer plain = upstream(0, exchange -> {
            upgrade.complete(exchange.getRequestHeaders().getFirst("Upgrade") + "|"
                    + exchange.getRequestHeaders().getFirst("Connection"));
            answer(exchange, "ok");
        });
        NginxProxy nginx = closing(NginxProxy.start(plain.getAddress().getPort()));

        // an HTTP/2 client's cleartext upgrade attempt is answered in HTTP/1.1, as a load balancer does
        HttpClient h2 =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        try (h2) {
            HttpResponse<String> response = h2.send(
                    HttpRequest.newBuilder(URI.create(nginx.baseUrl() + "/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("ok");
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
        assertThat(upgrade.get(GUARD_SECONDS, TimeUnit.SECONDS)).isEqualTo("null|close");
    }

    @Test
    void aDeadUpstreamIsSkippedAndServesAgainOnceItListens() throws Exception {
        int deadPort = TempDirs.freeLoopbackPort(); // nothing listens there
        HttpServer live = upstream(0, exchange -> answer(exchange, "live"));
        int livePort = live.getAddress().getPort();
        NginxProxy nginx = closing(NginxProxy.start(deadPort, livePort));

        for (int i = 0; i < 4; i++) {
            assertThat(get(nginx, "/r" + i)).isEqualTo("live");
        }
        assertThat(nginx.accessLog()).contains("upstream=127.0.0.1:" + deadPort + ", 127.0.0.1:" + livePort);
        assertThat(nginx.log()).contains("Connection refused");

        // a node restarted on its old port gets its turn again at once: nginx never marks it down
        upstream(deadPort, exchange -> answer(exchange, "back"));
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            served.add(get(nginx, "/s" + i));
        }
        assertThat(served).containsExactlyInAnyOrder("live", "live", "back", "back");
    }

    @Test
    void badUpstreamListsAreRefusedBeforeNginxStarts() {
        assertThatThrownBy(() -> NginxProxy.start(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nginx needs at least one upstream port");
        assertThatThrownBy(() -> NginxProxy.start(8080, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("upstream port out of range 1..65535: 0");
    }

    /**
     * A WebSocket server of one connection on a raw socket: the RFC 6455 handshake, then each text frame the
     * client sends (masked, short) is answered with {@code "echo: " + text}. Records the request head.
     */
    private static final class TinyWebSocketEcho implements AutoCloseable {
        private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
        final CompletableFuture<String> requestHead = new CompletableFuture<>();
        private final ServerSocket server;

        TinyWebSocketEcho() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::serveOne);
        }

        int port() {
            return server.getLocalPort();
        }

        private void serveOne() {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                String head = readHead(in);
                requestHead.complete(head);
                String key = head.lines()
                        .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:"))
                        .map(l -> l.substring(l.indexOf(':') + 1).strip())
                        .findFirst()
                        .orElseThrow();
                String accept = Base64.getEncoder()
                        .encodeToString(MessageDigest.getInstance("SHA-1")
                                .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                while (true) {
                    int opcode = in.read() & 0x0f;
                    int length = in.read() & 0x7f; // masked, and short: the test sends one small frame
                    byte[] mask = in.readNBytes(4);
                    byte[] payload = in.readNBytes(length);
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= mask[i % 4];
                    }
                    if (opcode != 1) {
                        return; // close (or anything else): done
                    }
                    byte[] reply =
                            ("echo: " + new String(payload, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                    out.write(new byte[] {(byte) 0x81, (byte) reply.length});
                    out.write(reply);
                    out.flush();
                }
            } catch (Exception e) {
                requestHead.completeExceptionally(e);
            }
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0 || head.length() > 64 * 1024) {
                    throw new IOException("no complete request head: " + head);
                }
                head.append((char) c);
            }
            return head.toString();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
