package io.aistream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every byte a script puts on the wire, read with a plain socket. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FakeUpstreamWireTest {
    private final FakeUpstream upstream = FakeUpstream.start();

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void aChunkedScriptSendsOneChunkPerPieceThenTheLastChunkAndCloses() throws Exception {
        upstream.enqueue(
                Script.sse().header("X-Request-Id", "req_1").send("data: a\n\n").sendSplit("0123456789", 3, 7));

        try (RawClient client = new RawClient(upstream.port()).send("POST", "/v1/x", "{}")) {
            assertThat(client.head())
                    .isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nX-Request-Id: req_1\r\n"
                            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
            assertThat(client.chunks()).containsExactly("data: a\n\n", "012", "3456", "789");
            assertThat(client.rest()).isEmpty();
        }
        assertThat(upstream.awaitConnection(0).ended()).succeedsWithin(Duration.ofSeconds(10));
        assertThat(upstream.awaitConnection(0).closedByClient())
                .as("the server closed it")
                .isNotDone();
    }

    @Test
    void bytewiseAndSeededRandomSplitsWriteThePiecesTheyPromise() throws Exception {
        Seed seed = Seeds.seed("FakeUpstreamWireTest.randomSplits", 3L);
        upstream.enqueue(Script.sse().sendBytewise("äb"))
                .enqueue(Script.sse()
                        .sendRandomlySplit(
                                "x".repeat(50).getBytes(java.nio.charset.StandardCharsets.UTF_8), seed.random(), 7));

        try (RawClient client = new RawClient(upstream.port()).send("GET", "/", "")) {
            client.head();
            // one byte per chunk, even inside a UTF-8 sequence
            assertThat(client.chunks()).hasSize(3);
        }
        try (RawClient client = new RawClient(upstream.port()).send("GET", "/", "")) {
            client.head();
            SplittableRandom same = seed.random();
            java.util.List<String> chunks = client.chunks();
            seed.check(() -> {
                assertThat(String.join("", chunks)).isEqualTo("x".repeat(50));
                for (String c : chunks) {
                    assertThat(c.length())
                            .isEqualTo(Math.min(1 + same.nextInt(7), c.length()))
                            .isBetween(1, 7);
                }
            });
        }
    }

    @Test
    void aContentLengthScriptAnnouncesTheSumOfItsWrites() throws Exception {
        upstream.enqueue(Script.status(429)
                .header("Retry-After", "3")
                .framing(Script.Framing.CONTENT_LENGTH)
                .send("{\"err")
                .send("or\":1}"));

        try (RawClient client = new RawClient(upstream.port()).send("POST", "/", "x")) {
            assertThat(client.head())
                    .isEqualTo("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\nContent-Length: 11\r\n"
                            + "Connection: close\r\n\r\n");
            assertThat(client.rest()).isEqualTo("{\"error\":1}");
        }
    }

    @Test
    void aDeclaredLengthLongerThanTheBodyIsAShortBody() throws Exception {
        upstream.enqueue(Script.sse().declaredLength(1000).send("data: a\n\n"));

        try (RawClient client = new RawClient(upstream.port()).send("GET", "/", "")) {
            assertThat(client.head()).contains("Content-Length: 1000\r\n");
            assertThat(client.rest()).isEqualTo("data: a\n\n");
        }
    }

    @Test
    void aCloseDelimitedBodyHasNoFramingHeader() throws Exception {
        upstream.enqueue(
                Script.sse().framing(Script.Framing.CLOSE_DELIMITED).send("a").send("b"));

        try (RawClient client = new RawClient(upstream.port()).send("GET", "/", "")) {
            assertThat(client.head()).doesNotContain("Content-Length").doesNotContain("Transfer-Encoding");
            assertThat(client.rest()).isEqualTo("ab");
        }
    }

    @Test
    void rawWritesBypassTheFramingForMalformedBodies() throws Exception {
        upstream.enqueue(Script.sse()
                        .send("data: a\n\n")
                        .badChunkSize("zz")
                        .sendRaw("xx\r\n")
                        .hold())
                .enqueue(Script.sse().sendRaw("3\r\nabcdef\r\n").hold());

        try (RawClient client = new RawClient(upstream.port()).send("GET", "/", "")) {
            client.head();
            assertThat(client.line()).isEqualTo("9");
            assertThat(client.bytes(11)).isEqualTo("data: a\n\n\r\n");
            assertThat(client.line()).isEqualTo("zz");
            assertThat(client.line()).isEqualTo("xx");
        }
        try (RawClient client = new RawClient(upstream.port()).send("GET", "/", "")) {
            client.head();
            assertThat(client.line()).isEqualTo("3");
            assertThat(client.line()).isEqualTo("abcdef");
        }
    }

    @Test
    void aRawScriptWritesExactlyItsBytes() throws Exception {
        String reply =
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\nX-Folded: one\r\n  two\r\nContent-Length: 2\r\n\r\nhi";
        upstream.enqueue(Script.raw().sendRaw(reply));

        try (RawClient client = new RawClient(upstream.port()).send("GET", "/", "")) {
            assertThat(client.rest()).isEqualTo(reply);
        }
        assertThatThrownBy(() -> Script.raw().header("a", "b")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void handMadeChunkedBodiesMatchTheGeneratedOnes() throws Exception {
        upstream.enqueue(Script.sse().send("data: a\n\n").keepAlive())
                .enqueue(Script.raw()
                        .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk("data: a\n\n") + "0\r\n\r\n")
                        .keepAlive());

        try (RawClient client = new RawClient(upstream.port())) {
            client.send("GET", "/", "");
            String generated = client.head() + String.join("|", client.chunks());
            client.send("GET", "/", "");
            String handMade = client.head() + String.join("|", client.chunks());

            assertThat(handMade).isEqualTo(generated).startsWith(Script.CHUNKED_SSE_HEAD);
        }
        assertThat(Script.chunk("ü")).isEqualTo("2\r\nü\r\n");
    }

    @Test
    void responsesWithoutBodyGetNoFramingHeader() throws Exception {
        upstream.enqueue(Script.status(204).keepAlive());

        try (RawClient client = new RawClient(upstream.port()).send("DELETE", "/v1/streams/st_1", "")) {
            assertThat(client.head()).isEqualTo("HTTP/1.1 204 No Content\r\n\r\n");
        }
    }

    @Test
    void keepAliveAnswersSeveralRequestsOnOneConnection() throws Exception {
        upstream.enqueue(Script.sse().send("one").keepAlive())
                .enqueue(Script.json(200, "{}").keepAlive())
                .enqueue(Script.sse().send("three"));

        try (RawClient client = new RawClient(upstream.port())) {
            client.send("POST", "/a", "1");
            assertThat(client.head()).doesNotContain("Connection");
            assertThat(client.chunks()).containsExactly("one");
            client.send("POST", "/b?q=1", "22");
            assertThat(client.head()).contains("Content-Length: 2");
            assertThat(client.bytes(2)).isEqualTo("{}");
            client.send("GET", "/c", "");
            assertThat(client.head()).contains("Connection: close");
            assertThat(client.chunks()).containsExactly("three");
            assertThat(client.rest()).isEmpty();
        }

        UpstreamConnection c = upstream.awaitConnection(0);
        assertThat(upstream.connections()).hasSize(1);
        assertThat(c.requests()).extracting(RecordedRequest::target).containsExactly("/a", "/b?q=1", "/c");
        assertThat(c.awaitRequest(1).path()).isEqualTo("/b");
        assertThat(c.awaitRequest(1).bodyText()).isEqualTo("22");
        assertThat(upstream.requests()).hasSize(3);
    }

    @Test
    void requestsAreRecordedWithHeadersAndDechunkedBodies() throws Exception {
        upstream.enqueue(Script.status(200).keepAlive()).enqueue(Script.status(200));

        try (RawClient client = new RawClient(upstream.port())) {
            long before = System.nanoTime();
            client.sendBytes(
                    "\r\nPOST /up HTTP/1.1\r\nHost: h\r\nX-Multi: a\r\nx-multi: b\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "4;ext=1\r\nGrü\r\n2\r\nß\r\n0\r\nX-Trailer: t\r\n\r\n");
            client.head();
            client.chunks();
            RecordedRequest r = upstream.awaitRequest(0);

            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.headerValues("X-MULTI")).containsExactly("a", "b");
            assertThat(r.header("host")).contains("h");
            assertThat(r.header("absent")).isEmpty();
            assertThat(r.bodyText()).isEqualTo("Grüß");
            assertThat(r.receivedAt()).isGreaterThan(before);
        }
    }

    @Test
    void withoutAScriptTheAnswerIsA500ThatSaysSo() throws Exception {
        try (RawClient client = new RawClient(upstream.port()).send("GET", "/", "")) {
            assertThat(client.head())
                    .startsWith("HTTP/1.1 500 Internal Server Error\r\n")
                    .contains("application/json");
            assertThat(client.rest()).contains("no_script");
        }
    }

    @Test
    void anUpstreamMadeToWaitTakesAScriptEnqueuedAfterTheRequest() throws Exception {
        try (FakeUpstream waiting = FakeUpstream.builder()
                        .waitForScripts(Duration.ofSeconds(10))
                        .start();
                RawClient client = new RawClient(waiting.port()).send("GET", "/late", "")) {
            assertThat(waiting.awaitRequest(0).target()).isEqualTo("/late");

            waiting.enqueue(Script.sse().send("now"));

            client.head();
            assertThat(client.chunks()).containsExactly("now");
        }
    }

    @Test
    void theGuardTimeoutFailsAWaitForSomethingThatNeverComes() {
        try (FakeUpstream quick =
                FakeUpstream.builder().guard(Duration.ofMillis(200)).start()) {
            assertThatThrownBy(() -> quick.awaitConnection(0))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("connection 0 (from 0) did not arrive within 200 ms; got 0");
            assertThatThrownBy(() -> quick.awaitRequest(1))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("request 1");
        }
    }

    @Test
    void scriptsThatCannotRunAreRefusedWhenEnqueued() {
        assertThatThrownBy(() -> upstream.enqueue(Script.sse()
                        .framing(Script.Framing.CONTENT_LENGTH)
                        .sendLater(new java.util.concurrent.CompletableFuture<>())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("declaredLength");
        assertThatThrownBy(() -> upstream.enqueue(
                        Script.sse().framing(Script.Framing.CLOSE_DELIMITED).keepAlive()))
                .isInstanceOf(IllegalStateException.class);
        assertThat(upstream.pendingScripts()).isZero();
    }

    @Test
    void aRefusingUriRefuses() {
        var uri = FakeUpstream.refusingUri();

        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), uri.getPort()).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void theBaseUriNamesTheLoopbackAndThePort() throws IOException {
        assertThat(upstream.baseUri()).hasToString("http://127.0.0.1:" + upstream.port());
        assertThat(upstream.uri("localhost")).hasToString("http://localhost:" + upstream.port());
    }
}
