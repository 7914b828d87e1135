package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.server.config.ConnectionConfig;
import io.aistream.testing.ControlledSource;
import io.aistream.testing.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slowloris and connection floods: a request's headers must arrive within the header timeout, a body
 * at the minimum rate, and one address may hold only so many connections — while other clients keep
 * being served. Real Jetty, raw sockets; the only waits are the trickles' own pacing and blocking reads
 * that end when the server acts.
 */
@Timeout(60)
class SlowClientTest {
    private static final Duration PACE = Duration.ofMillis(100);
    private static final String TIMEOUT_408 = "{\"error\":{\"code\":\"request_timeout\","
            + "\"message\":\"the request headers did not arrive within 1000 ms\"}}";

    private static ConnectionConfig headerTimeoutOfOneSecond() {
        return ConnectionConfig.defaults()
                .withRequestHeaderTimeout(Duration.ofSeconds(1))
                .withMaxConnectionsPerAddress(0);
    }

    private static String trickledHeaders() {
        return "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    }

    @Test
    void tricklingHeadersIsCutOffWith408WhileAFreshClientIsServed() throws Exception {
        try (TestGateway g = TestGateway.start(b -> b.maxConnections(3).connections(headerTimeoutOfOneSecond()))) {
            List<Trickler> slow = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                slow.add(new Trickler(g.port(), trickledHeaders(), 'a', PACE)); // every connection slot taken
            }
            // a fresh client waits in the accept queue until the slow ones are cut off, then is served
            try (RawHttp fresh = RawHttp.request(g.port(), "GET", "/health", Map.of(), null)) {
                assertThat(fresh.status()).isEqualTo(200);
            }
            for (Trickler t : slow) {
                String answer = t.answer(); // returns once the server closed the connection
                assertThat(answer).startsWith("HTTP/1.1 408 ").endsWith(TIMEOUT_408);
                assertThat(answer).contains("Connection: close");
                t.close();
            }
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws Exception {
        try (TestGateway g = TestGateway.start(b -> b.connections(headerTimeoutOfOneSecond()));
                Trickler silent = new Trickler(g.port(), "", 'x', Duration.ofDays(1))) {
            assertThat(silent.answer()).startsWith("HTTP/1.1 408 ");
        }
    }

    @Test
    void theDeadlineIsArmedAgainForTheNextRequestOnAKeptAliveConnection() throws Exception {
        try (TestGateway g = TestGateway.start(b -> b.connections(headerTimeoutOfOneSecond()));
                RawHttp first = RawHttp.request(g.port(), "GET", "/health", Map.of(), null)) {
            assertThat(first.status()).isEqualTo(200);
            first.bodyText();
            OutputStream out = first.socket().getOutputStream();
            out.write(trickledHeaders().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            first.readHead(); // no more bytes: the deadline runs from the second request's first byte
            assertThat(first.status()).isEqualTo(408);
            assertThat(first.bodyText()).isEqualTo(TIMEOUT_408);
            assertThat(first.socket().getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aLongStreamIsNotCutByTheHeaderDeadline() throws Exception {
        try (TestGateway g = TestGateway.start(b -> b.connections(headerTimeoutOfOneSecond()));
                RawHttp stream = g.stream("")) {
            assertThat(stream.status()).isEqualTo(200);
            ControlledSource source = g.provider.nextSource();
            // a connection opened after the stream's request is cut off: the stream's own deadline,
            // armed before, has passed as well
            try (Trickler later = new Trickler(g.port(), trickledHeaders(), 'a', PACE)) {
                assertThat(later.answer()).startsWith("HTTP/1.1 408 ");
            }
            source.emit(ContentChunk.of("still here"), DoneChunk.of(FinishReason.STOP));
            source.end();
            assertThat(stream.bodyText()).contains("still here").endsWith("data: [DONE]\n\n");
        }
    }

    @Test
    void aTrickledBodyIsCutOffWith408() throws Exception {
        ConnectionConfig slowBodies = ConnectionConfig.defaults().withMinRequestBodyRate(100, Duration.ofSeconds(1));
        try (LogCapture log = LogCapture.start(Map.of("io.aistream.server.http.Dispatcher", "DEBUG"));
                TestGateway g = TestGateway.start(b -> b.connections(slowBodies))) {
            String head = "POST /v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{\"provider\":\"simulated\",\"messages\":[{\"role\":\"user\",\"content\":\"";
            try (Trickler t = new Trickler(g.port(), head, 'x', PACE)) { // 10 bytes/s
                String answer = t.answer();
                assertThat(answer).startsWith("HTTP/1.1 408 ");
                assertThat(answer)
                        .endsWith("{\"error\":{\"code\":\"request_timeout\","
                                + "\"message\":\"the request body arrived slower than 100 bytes per second\"}}");
                assertThat(t.trickled()).isLessThan(1000 - head.length());
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> log.lines().stream().anyMatch(l -> l.contains("answered 408")));
            assertThat(log.problems()).isEmpty();
        }
    }

    @Test
    void oneAddressMayHoldOnlySoManyConnections() throws Exception {
        ConnectionConfig twoPerAddress = ConnectionConfig.defaults().withMaxConnectionsPerAddress(2);
        try (LogCapture log = LogCapture.start(Map.of("org.eclipse.jetty", "INFO"));
                TestGateway g = TestGateway.start(b -> b.maxConnections(4).connections(twoPerAddress))) {
            RawHttp a = health(g.port());
            RawHttp b = health(g.port());
            for (int i = 0; i < 10; i++) { // refused, again and again: no slot of the total may leak
                assertRefused(g.port());
            }
            try (RawHttp again = a) {
                again.send("GET", "/health", Map.of(), null);
                again.readHead();
                assertThat(again.status()).isEqualTo(200); // the held connections are still served
                again.bodyText();
            }
            b.close();
            // the slots come back once the server has seen the connections close
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                try (RawHttp c = health(g.port());
                        RawHttp d = health(g.port())) {
                    return c.status() == 200 && d.status() == 200;
                }
            });
            assertThat(log.problems()).isEmpty();
        }
    }

    @Test
    void theConnectionLimitAndWhereItCameFromAreLoggedAtStart() throws Exception {
        try (LogCapture log = LogCapture.start(Map.of("io.aistream.server.jetty.JettyGateway", "INFO"));
                TestGateway g = TestGateway.start()) {
            long limit = ConnectionBudgetProbe.openFiles();
            int expected = (int) Math.min(20_000, limit / 2);
            assertThat(g.port()).isPositive();
            assertThat(log.lines())
                    .anyMatch(l -> l.contains(":INFO :")
                            && l.contains("maxConnections " + expected + " (half the open-files limit of " + limit));
        }
    }

    private static RawHttp health(int port) throws IOException {
        RawHttp r = RawHttp.request(port, "GET", "/health", Map.of(), null);
        assertThat(r.status()).isEqualTo(200);
        r.bodyText();
        return r;
    }

    /** The server closes the connection without answering (a reset counts too). */
    private static void assertRefused(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            try {
                assertThat(in.read()).isEqualTo(-1);
            } catch (SocketException e) {
                assertThat(e.getMessage()).contains("reset");
            }
        } catch (SocketException e) {
            // the write met the reset already
            assertThat(e.getMessage()).containsAnyOf("reset", "Broken pipe");
        }
    }
}
