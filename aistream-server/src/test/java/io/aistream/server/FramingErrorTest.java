package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aistream.testing.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Broken HTTP framing is the client's error: 400 JSON in the matched route's error shape, one debug
 * line, no stack trace, never a 500 — on every endpoint that reads a body or a query, the WebSocket
 * upgrade included. Raw sockets write the exact bytes.
 */
@Timeout(60)
class FramingErrorTest {
    private static final String NATIVE_BODY = "{\"provider\":\"simulated\",\"model\":\"lorem\","
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String BAD_CHUNKING = "{\"error\":{\"code\":\"bad_http_request\","
            + "\"message\":\"the request body is not valid chunked encoding\"}}";
    private static final String CUT_SHORT = "{\"error\":{\"code\":\"bad_http_request\",\"message\":"
            + "\"the request body ended before its declared length (the client closed the connection)\"}}";
    private static final String BAD_QUERY = "{\"error\":{\"code\":\"bad_http_request\","
            + "\"message\":\"the query string cannot be decoded (an invalid %-escape, or not UTF-8)\"}}";
    private static final List<String> NATIVE_POSTS = List.of("/v1/stream", "/v1/ui/chat");

    private static TestGateway gateway;
    private static LogCapture log;
    private int dispatcherLinesBefore;
    private int linesBefore;

    @BeforeAll
    static void start() throws IOException {
        log = LogCapture.start(Map.of("io.aistream.server.http.Dispatcher", "DEBUG", "org.eclipse.jetty", "INFO"));
        gateway = TestGateway.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        log.close();
    }

    @BeforeEach
    void mark() {
        dispatcherLinesBefore = dispatcherLines().size();
        linesBefore = log.lines().size();
    }

    private static List<String> dispatcherLines() {
        return log.lines().stream().filter(l -> l.contains("Dispatcher:")).toList();
    }

    /** One debug line of the dispatcher per broken request, without a stack trace; nothing at WARN/ERROR. */
    private void assertLoggedQuietly(int requests, String mentioning) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> dispatcherLines().size() >= dispatcherLinesBefore + requests);
        List<String> lines = dispatcherLines()
                .subList(dispatcherLinesBefore, dispatcherLines().size());
        assertThat(lines)
                .hasSize(requests)
                .allSatisfy(l -> assertThat(l).contains(":DEBUG:").contains(mentioning));
        assertThat(log.problems(linesBefore)).isEmpty();
    }

    private static String head(String method, String target, String... headers) {
        StringBuilder b = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    /** Writes the bytes (half-closing the socket after them if asked) and reads the answer. */
    private static RawHttp exchange(String bytes, boolean halfClose) throws IOException {
        RawHttp http = RawHttp.connect(gateway.port());
        OutputStream out = http.socket().getOutputStream();
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (halfClose) {
            http.socket().shutdownOutput();
        }
        http.readHead();
        return http;
    }

    @Test
    void brokenChunkSizeIs400InTheRoutesShape() throws IOException {
        for (String path : NATIVE_POSTS) {
            String bytes = head("POST", path, "Content-Type: application/json", "Transfer-Encoding: chunked")
                    + "5\r\n{\"mod\r\nzz\r\nel\":1}\r\n0\r\n\r\n";
            try (RawHttp r = exchange(bytes, false)) {
                assertThat(r.status()).as(path).isEqualTo(400);
                assertThat(r.header("Content-Type")).contains("application/json; charset=utf-8");
                assertThat(r.bodyText()).as(path).isEqualTo(BAD_CHUNKING);
            }
        }
        String bytes =
                head("POST", "/v1/chat/completions", "Content-Type: application/json", "Transfer-Encoding: chunked")
                        + "2\r\n{\"\r\nnot-hex\r\n";
        try (RawHttp r = exchange(bytes, false)) {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText())
                    .isEqualTo("{\"error\":{\"message\":\"the request body is not valid chunked encoding\","
                            + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"bad_http_request\"}}");
        }
        assertLoggedQuietly(3, "answered 400: the request body is not valid chunked encoding");
    }

    @Test
    void bodyCutShortByAHalfCloseIs400() throws IOException {
        for (String path : NATIVE_POSTS) {
            String bytes = head("POST", path, "Content-Type: application/json", "Content-Length: 500") + NATIVE_BODY;
            try (RawHttp r = exchange(bytes, true)) {
                assertThat(r.status()).as(path).isEqualTo(400);
                assertThat(r.bodyText()).as(path).isEqualTo(CUT_SHORT);
            }
        }
        String chunked =
                head("POST", "/v1/chat/completions", "Content-Type: application/json", "Transfer-Encoding: chunked")
                        + "40\r\n{\"model\":";
        try (RawHttp r = exchange(chunked, true)) {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText())
                    .contains("\"type\":\"invalid_request_error\"")
                    .contains("ended before");
        }
        assertLoggedQuietly(3, "answered 400: the request body ended before its declared length");
    }

    @Test
    void bodyCutShortByAClosedConnectionLogsOneDebugLine() throws IOException {
        for (String path : List.of("/v1/stream", "/v1/ui/chat", "/v1/chat/completions")) {
            try (Socket s = new Socket("127.0.0.1", gateway.port())) {
                OutputStream out = s.getOutputStream();
                out.write((head("POST", path, "Content-Type: application/json", "Content-Length: 500") + NATIVE_BODY)
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                s.setSoLinger(true, 0); // an abortive close: the gateway's read fails, its answer cannot arrive
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatcherLines().size() >= dispatcherLinesBefore + 3);
        List<String> lines = dispatcherLines()
                .subList(dispatcherLinesBefore, dispatcherLines().size());
        assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l).contains(":DEBUG:"));
        assertThat(log.problems(linesBefore)).isEmpty();
        assertThat(lines).allSatisfy(l -> assertThat(l).contains("(no answer: the client is gone)"));
    }

    @Test
    void invalidPercentEscapeInAQueryIs400() throws IOException {
        try (RawHttp r = exchange(head("GET", "/v1/streams/some-id?after=%zz"), false)) {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).isEqualTo(BAD_QUERY);
        }
        String ui =
                head("POST", "/v1/ui/chat?provider=%zz", "Content-Type: application/json", "Content-Length: 2") + "{}";
        try (RawHttp r = exchange(ui, false)) {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).isEqualTo(BAD_QUERY);
        }
        assertLoggedQuietly(2, "answered 400: the query string cannot be decoded");
    }

    @Test
    void webSocketUpgradeWithABrokenQueryIs400() throws IOException {
        for (String query : List.of("?access_token=%zz", "?x=%e9%zz")) {
            String upgrade = head(
                    "GET",
                    "/v1/ws" + query,
                    "Upgrade: websocket",
                    "Connection: Upgrade",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                    "Sec-WebSocket-Version: 13");
            try (RawHttp r = exchange(upgrade, false)) {
                assertThat(r.status()).as(query).isEqualTo(400);
                assertThat(r.bodyText()).as(query).isEqualTo(BAD_QUERY);
            }
        }
        assertLoggedQuietly(2, "answered 400: the query string cannot be decoded");
    }

    @Test
    void errorsJettyAnswersBeforeTheGatewayKeepTheirStatus() throws IOException {
        try (RawHttp r = exchange(head("GET", "/v1/streams/%zz"), false)) {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText())
                    .isEqualTo("{\"error\":{\"code\":\"bad_http_request\",\"message\":\"Bad Request\"}}");
        }
        try (RawHttp r = exchange(head("GET", "/v1/streams/x", "X-Big: " + "a".repeat(10_000)), false)) {
            assertThat(r.status()).isEqualTo(431);
            assertThat(r.bodyText())
                    .isEqualTo("{\"error\":{\"code\":\"bad_http_request\","
                            + "\"message\":\"Request Header Fields Too Large\"}}");
        }
        try (RawHttp r = exchange(head("GET", "/v1/streams/" + "a".repeat(10_000)), false)) {
            assertThat(r.status()).isEqualTo(414);
            assertThat(r.bodyText()).contains("\"code\":\"bad_http_request\"");
        }
        try (RawHttp r = exchange(
                "POST /v1/stream HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                false)) {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).contains("\"code\":\"bad_http_request\"");
        }
        assertThat(log.problems(linesBefore)).isEmpty();
        assertThat(dispatcherLines()).hasSize(dispatcherLinesBefore); // the gateway's handler never ran
    }

    @Test
    void aWellFramedRequestStillWorks() throws IOException {
        String bytes = head("POST", "/v1/stream", "Content-Type: application/json", "Transfer-Encoding: chunked")
                + Integer.toHexString(NATIVE_BODY.length()) + "\r\n" + NATIVE_BODY + "\r\n0\r\n\r\n";
        try (RawHttp r = exchange(bytes, false)) {
            assertThat(r.status()).isEqualTo(200);
            InputStream body = r.body();
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).endsWith("data: [DONE]\n\n");
        }
    }
}
