package io.aistream.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.testing.GatewayProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11's other attacks on one small-heap {@code aistream serve} without keys: DNS rebinding, broken
 * framing, slowloris, resume positions that overflow, bodies that are not JSON. Each answer is checked on the
 * wire, and the gateway's log must stay free of stack traces.
 */
@Timeout(300)
class AttacksTest {
    private static final Duration T = Duration.ofSeconds(30);
    private static final String STREAM = "{\"provider\":\"simulated\",\"model\":\"echo\","
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";

    private static GatewayProcess gateway;
    private static int port;

    @BeforeAll
    static void start() throws IOException {
        // the header timeout shortened so that the slowloris test is quick; everything else as shipped
        gateway = HostileGateway.start("{\"limits\": {\"requestHeaderTimeoutSeconds\": 3}}");
        port = gateway.port();
    }

    @AfterAll
    static void stop() {
        assertThat(gateway.logLines("^\\s+at |Exception in|ERROR|WARN"))
                .as("stack traces, errors or warnings in the gateway's log")
                .isEmpty();
        gateway.close();
    }

    @Test
    void aRebindingPageIsMisdirected() throws IOException {
        for (String path : new String[] {"/v1/chat/completions", "/metrics", "/health", "/v1/stream"}) {
            String method = path.startsWith("/v1/") ? "POST" : "GET";
            String body = path.equals("/v1/chat/completions")
                    ? "{\"model\":\"simulated/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"spend\"}]}"
                    : STREAM;
            String request = Raw.head(
                            method,
                            path,
                            Map.of(
                                    "Host", "rebind.attacker.example:" + port,
                                    "Origin", "http://rebind.attacker.example:" + port,
                                    "Content-Type", "application/json"),
                            method.equals("POST") ? body.length() : 0)
                    + "\r\n" + (method.equals("POST") ? body : "");
            Raw.Response r = Raw.exchange(port, request, T);
            assertThat(r.status()).as(path).isEqualTo(421);
            assertThat(r.header("Access-Control-Allow-Origin")).as(path).isEmpty();
            assertThat(r.body()).as(path).contains("host_not_allowed");
        }
        // the same page on a loopback name is served
        Raw.Response ok = Raw.get(port, "/health", Map.of("Host", "localhost:" + port), T);
        assertThat(ok.status()).isEqualTo(200);
    }

    @Test
    void brokenFramingIsABadRequestWithoutAStackTrace() throws IOException {
        String badChunk = "POST /v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n";
        assertBadRequest(Raw.exchange(port, badChunk, T), "bad chunk size");
        String uiBadChunk = badChunk.replace("/v1/stream", "/v1/ui/chat");
        assertBadRequest(Raw.exchange(port, uiBadChunk, T), "bad chunk size on the UI endpoint");
        assertBadRequest(Raw.get(port, "/v1/streams/st_x?after=%zz", Map.of(), T), "%zz in a query");
        assertBadRequest(
                Raw.get(
                        port,
                        "/v1/ws?x=%zz",
                        Map.of(
                                "Upgrade", "websocket",
                                "Connection", "Upgrade",
                                "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==",
                                "Sec-WebSocket-Version", "13"),
                        T),
                "%zz in the WebSocket upgrade");
        // a body cut short: the client half-closes after fewer bytes than it announced
        try (Socket s = Raw.connect(port, T)) {
            s.getOutputStream()
                    .write(("POST /v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: 500\r\nConnection: close\r\n\r\n{\"provider\":")
                            .getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            assertBadRequest(Raw.read(s.getInputStream(), true), "a body cut short");
        }
    }

    private static void assertBadRequest(Raw.Response r, String what) {
        assertThat(r.status()).as(what).isEqualTo(400);
        assertThat(r.header("Content-Type"))
                .as(what)
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.body()).as(what).startsWith("{\"error\":");
    }

    @Test
    void resumePositionsPastTheEndAreRefusedNotOverflowed() throws IOException {
        Raw.Response started = Raw.postJson(
                port,
                "/v1/stream",
                "{\"provider\":\"simulated\",\"model\":\"echo\",\"resumable\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"one two\"}]}",
                T);
        assertThat(started.status()).isEqualTo(200);
        String id = started.header("X-Stream-Id").orElseThrow();
        Raw.Response overflow =
                Raw.get(port, "/v1/streams/" + id, Map.of("Last-Event-ID", Long.toString(Long.MAX_VALUE)), T);
        assertThat(overflow.status()).isEqualTo(400);
        assertThat(overflow.body()).contains("invalid_position").contains(Long.toString(Long.MAX_VALUE));
        Raw.Response past = Raw.get(port, "/v1/streams/" + id + "?after=1000", Map.of(), T);
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.body()).contains("invalid_position");
    }

    @Test
    void aBodyThatIsNotJsonIsUnsupported() throws IOException {
        String request =
                Raw.head("POST", "/v1/stream", Map.of("Content-Type", "text/plain"), STREAM.length()) + "\r\n" + STREAM;
        Raw.Response r = Raw.exchange(port, request, T);
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.body()).contains("unsupported_media_type");
    }

    /**
     * Slowloris from another address (127.0.0.2): 300 connections trickle header bytes, one a second. The
     * per-address cap (256) turns the excess away at once, the header timeout closes the rest, and a client
     * on 127.0.0.1 is answered throughout.
     */
    @Test
    void slowlorisStarvesNobody() throws Exception {
        InetAddress attacker = InetAddress.getByName("127.0.0.2");
        List<Socket> sockets = new ArrayList<>();
        List<CompletableFuture<Long>> closedAfter = new ArrayList<>();
        try (HealthProbe probe = new HealthProbe(port);
                ExecutorService tricklers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 300; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress(attacker, 0));
                s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                sockets.add(s);
                long opened = System.nanoTime();
                closedAfter.add(CompletableFuture.supplyAsync(() -> trickle(s, opened), tricklers));
            }
            List<Long> millis = new ArrayList<>();
            for (CompletableFuture<Long> c : closedAfter) {
                millis.add(c.get(60, TimeUnit.SECONDS));
            }
            long slowest = millis.stream().mapToLong(Long::longValue).max().orElseThrow();
            System.out.printf(
                    "slowloris: 300 trickling connections from 127.0.0.2 all closed by the gateway, the last after"
                            + " %d ms; /health from 127.0.0.1: %d probes, slowest %d ms%n",
                    slowest, probe.probes(), probe.slowestMillis());
            assertThat(slowest)
                    .as("the header timeout (3 s) closed every trickler")
                    .isLessThan(20_000);
            assertThat(probe.failures()).isEmpty();
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        assertThat(Raw.postJson(port, "/v1/stream", STREAM, T).status()).isEqualTo(200);
    }

    /** Sends a header byte a second until the gateway closes the connection; returns when, in ms after opening. */
    private static long trickle(Socket s, long openedNanos) {
        byte[] head = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
        try {
            s.setSoTimeout(1000);
            InputStream in = s.getInputStream();
            for (int i = 0; ; i++) {
                s.getOutputStream().write(i < head.length ? head[i] : 'x');
                try {
                    if (in.read(new byte[4096]) == -1) {
                        break; // closed, maybe after a 408
                    }
                    while (in.read(new byte[4096]) != -1) {
                        // the rest of the 408
                    }
                    break;
                } catch (java.net.SocketTimeoutException e) {
                    // nothing yet: the next byte, a second later (the read's timeout is the pacing)
                }
            }
        } catch (SocketException e) {
            // reset: closed by the gateway
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return (System.nanoTime() - openedNanos) / 1_000_000;
    }
}
