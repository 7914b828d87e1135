package io.aistream.provider.transport.internal;

import static io.aistream.provider.transport.internal.SocketTests.exchange;
import static io.aistream.provider.transport.internal.SocketTests.open;
import static io.aistream.testing.Chunks.done;
import static io.aistream.testing.Chunks.drain;
import static io.aistream.testing.Chunks.errors;
import static io.aistream.testing.Chunks.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aistream.AIStreamException;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.testing.LineProtocol;
import io.aistream.provider.transport.UpstreamClient;
import io.aistream.stream.ChunkSource;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.Script;
import io.aistream.testing.UpstreamConnection;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The socket transport's keep-alive pool, counted on the server's side of real connections. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketKeepAliveTest {
    private final FakeUpstream server = FakeUpstream.start();
    private final UpstreamClient client =
            UpstreamClient.builder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stop() {
        server.close();
        client.closeIdleConnections();
    }

    private static SocketHttpTransport transport(int maxIdle, Duration idleTimeout, AtomicLong clock) {
        return new SocketHttpTransport(
                null, Duration.ofSeconds(2), 2048, maxIdle, idleTimeout, "aistream-test", clock::get);
    }

    @Test
    void sequentialStreamsShareOneConnection() throws Exception {
        server.enqueue(SocketTests.chunkedSse(LineProtocol.sse("one")))
                .enqueue(SocketTests.chunkedSse(LineProtocol.sse("two")));

        assertThat(text(drain(open(client, server.baseUri())))).isEqualTo("one");
        assertThat(text(drain(open(client, server.baseUri())))).isEqualTo("two");

        assertThat(server.connections()).hasSize(1);
        assertThat(server.awaitConnection(0).requests()).hasSize(2);
    }

    @Test
    void aStreamWhoseDoneArrivesBeforeTheLastChunkStillGivesItsConnectionBack() throws Exception {
        // The read that carries [DONE] ends exactly at the chunk's data, so the decoder is done while
        // the last chunk is still unread: closing the body picks it up without blocking.
        String body = LineProtocol.sse("x");
        UpstreamClient small =
                UpstreamClient.builder().readBufferBytes(body.length()).build();
        server.enqueue(SocketTests.chunkedSse(body)).enqueue(SocketTests.chunkedSse(LineProtocol.sse("y")));

        assertThat(text(drain(open(small, server.baseUri())))).isEqualTo("x");
        assertThat(text(drain(open(small, server.baseUri())))).isEqualTo("y");

        assertThat(server.connections()).hasSize(1);
        small.closeIdleConnections();
    }

    @Test
    void closingABodyWhoseLastChunkAlreadyArrivedGivesTheConnectionBack() throws Exception {
        SocketTests.closeWithTheLastChunkArrivedButUnread(
                server, transport(4, Duration.ofSeconds(30), new AtomicLong()));
    }

    @Test
    void aLastChunkThatComesAfterTheBodyWasClosedIsAwaitedInTheBackgroundAndTheConnectionReused() throws Exception {
        SocketHttpTransport transport = transport(4, Duration.ofSeconds(30), new AtomicLong());
        CompletableFuture<String> lastChunk = new CompletableFuture<>();
        server.enqueue(Script.raw()
                        .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk("hello"))
                        .sendRawLater(lastChunk)
                        .keepAlive())
                .enqueue(SocketTests.chunkedSse("again"));
        Exchange exchange = transport.newExchange(SocketTests.post(server.uri("localhost"), Map.of(), "{}"), "test");
        exchange.start();
        InputStream body = exchange.body();
        assertThat(body.readNBytes(5)).asString().isEqualTo("hello");

        body.close(); // the last chunk has not even been sent: close() must not wait for it
        exchange.abort(); // what a source's close does next: the lingering connection is no longer the exchange's
        assertThat(transport.pool().idleCount(Endpoint.of(server.uri("localhost"))))
                .isZero();
        lastChunk.complete("0\r\n\r\n");

        await().atMost(Duration.ofSeconds(5))
                .until(() -> transport.pool().idleCount(Endpoint.of(server.uri("localhost"))) == 1);
        assertThat(SocketTests.exchange(transport, server.uri("localhost"))).isEqualTo("again");
        assertThat(server.connections()).hasSize(1);
        transport.pool().closeIdle();
    }

    @Test
    void aBodyThatGoesOnLongAfterItWasClosedIsNotDrainedForeverButClosed() throws Exception {
        SocketHttpTransport transport = transport(4, Duration.ofSeconds(30), new AtomicLong());
        String more = Script.chunk("x".repeat(4096)).repeat(8); // 32 KiB past the close: beyond the drain's limit
        CompletableFuture<String> rest = new CompletableFuture<>();
        server.enqueue(Script.raw()
                .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk("hello"))
                .sendRawLater(rest)
                .hold());
        Exchange exchange = transport.newExchange(SocketTests.post(server.uri("localhost"), Map.of(), "{}"), "test");
        exchange.start();
        InputStream body = exchange.body();
        assertThat(body.readNBytes(5)).asString().isEqualTo("hello");

        body.close();
        rest.complete(more);

        server.awaitConnection(0).awaitClosedByClient();
        assertThat(transport.pool().idleCount(Endpoint.of(server.uri("localhost"))))
                .isZero();
    }

    @Test
    void aContentLengthBodyKeepsTheConnection() throws Exception {
        server.enqueue(SocketTests.lengthSse(LineProtocol.sse("one")))
                .enqueue(SocketTests.lengthSse(LineProtocol.sse("two")));

        assertThat(text(drain(open(client, server.baseUri())))).isEqualTo("one");
        assertThat(text(drain(open(client, server.baseUri())))).isEqualTo("two");

        assertThat(server.connections()).hasSize(1);
    }

    @Test
    void anErrorResponseReadToItsEndKeepsTheConnection() throws Exception {
        String error = "{\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow\"}}";
        server.enqueue(Script.raw()
                        .sendRaw("HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nContent-Length: "
                                + error.length() + "\r\n\r\n" + error)
                        .keepAlive())
                .enqueue(SocketTests.chunkedSse(LineProtocol.sse("ok")));

        assertThatThrownBy(() -> drain(open(client, server.baseUri()))).hasMessageContaining("slow");
        assertThat(text(drain(open(client, server.baseUri())))).isEqualTo("ok");

        assertThat(server.connections()).hasSize(1);
    }

    @Test
    void connectionCloseFromTheServerIsHonoured() throws Exception {
        String body = LineProtocol.sse("one");
        server.enqueue(Script.raw()
                        .sendRaw("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: " + body.length() + "\r\n\r\n"
                                + body)
                        .keepAlive())
                .enqueue(SocketTests.chunkedSse(LineProtocol.sse("two")));

        assertThat(text(drain(open(client, server.baseUri())))).isEqualTo("one");
        server.awaitConnection(0).awaitClosedByClient();
        assertThat(text(drain(open(client, server.baseUri())))).isEqualTo("two");

        assertThat(server.connections()).hasSize(2);
        assertThat(server.connections().get(0).requests()).hasSize(1);
    }

    @Test
    void anHttp10ResponseIsReusedOnlyWithExplicitKeepAlive() throws Exception {
        String body = LineProtocol.sse("a");
        server.enqueue(Script.raw()
                        .sendRaw("HTTP/1.0 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .keepAlive())
                .enqueue(Script.raw()
                        .sendRaw("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: " + body.length()
                                + "\r\n\r\n" + body)
                        .keepAlive())
                .enqueue(SocketTests.lengthSse(body));

        drain(open(client, server.baseUri()));
        server.awaitConnection(0).awaitClosedByClient();
        drain(open(client, server.baseUri()));
        drain(open(client, server.baseUri()));

        assertThat(server.connections()).hasSize(2);
        assertThat(server.connections().get(1).requests()).hasSize(2);
    }

    @Test
    void aCancelledStreamClosesItsConnectionInsteadOfReusingIt() throws Exception {
        server.enqueue(Script.raw()
                        .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk(LineProtocol.delta("a")))
                        .hold())
                .enqueue(SocketTests.chunkedSse(LineProtocol.sse("b")));
        ChunkSource first = open(client, server.baseUri());
        assertThat(first.next()).contains(ContentChunk.of("a"));

        first.close();

        server.awaitConnection(0).awaitClosedByClient();
        assertThat(text(drain(open(client, server.baseUri())))).isEqualTo("b");
        assertThat(server.connections()).hasSize(2);
    }

    @Test
    void aStreamClosedBeforeItsBodyWasReadDoesNotGiveItsConnectionBack() throws Exception {
        // the whole body was sent, but the consumer stops after the first chunk, long before the
        // transport has read it all (it reads 2 KiB at a time)
        server.enqueue(SocketTests.chunkedSse(LineProtocol.delta("a").repeat(500) + LineProtocol.done()))
                .enqueue(SocketTests.chunkedSse(LineProtocol.sse("c")));
        ChunkSource first = open(client, server.baseUri());
        assertThat(first.next()).contains(ContentChunk.of("a"));

        first.close();

        server.awaitConnection(0).awaitClosedByClient();
        assertThat(text(drain(open(client, server.baseUri())))).isEqualTo("c");
        assertThat(server.connections()).hasSize(2);
    }

    @Test
    void aCutBodyLeavesNothingInThePool() throws Exception {
        AtomicLong clock = new AtomicLong();
        SocketHttpTransport transport = transport(4, Duration.ofSeconds(30), clock);
        server.enqueue(Script.raw().sendRaw(Script.CHUNKED_SSE_HEAD + "10\r\nonly part"));
        Exchange exchange = transport.newExchange(SocketTests.post(server.baseUri(), Map.of(), "{}"), "test");
        exchange.start();

        try (InputStream body = exchange.body()) {
            assertThatThrownBy(() -> SocketTests.readAll(body, 100))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("closed inside a chunk");
        }

        assertThat(transport.pool().idleCount(Endpoint.of(server.baseUri()))).isZero();
    }

    @Test
    void aCutStreamEndsIncompleteAndTheNextStreamUsesANewConnection() throws Exception {
        server.enqueue(Script.raw().sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk(LineProtocol.delta("a"))))
                .enqueue(SocketTests.chunkedSse(LineProtocol.sse("b")));

        List<StreamChunk> cut = drain(open(client, server.baseUri()));
        assertThat(errors(cut))
                .singleElement()
                .satisfies(e -> assertThat(e.error().code()).isEqualTo("incomplete_stream"));
        assertThat(done(cut).finishReason()).isEqualTo(FinishReason.ERROR);

        assertThat(text(drain(open(client, server.baseUri())))).isEqualTo("b");
        assertThat(server.connections()).hasSize(2);
        assertThat(server.connections().get(1).requests()).hasSize(1);
    }

    @Test
    void aPooledConnectionTheServerClosedIsReplacedAndTheRequestSentOnceOnTheNewOne() throws Exception {
        server.enqueue(SocketTests.chunkedSse(LineProtocol.sse("one")))
                .enqueue(SocketTests.chunkedSse(LineProtocol.sse("two")));
        assertThat(text(drain(open(client, server.baseUri())))).isEqualTo("one");
        UpstreamConnection idle = server.awaitConnection(0);
        idle.closeFromServer();
        idle.ended().get(10, TimeUnit.SECONDS);

        List<StreamChunk> chunks = drain(open(client, server.baseUri()));

        assertThat(text(chunks)).isEqualTo("two");
        assertThat(errors(chunks)).isEmpty();
        assertThat(server.connections()).hasSize(2);
        assertThat(server.connections().get(0).requests()).hasSize(1);
        assertThat(server.connections().get(1).requests()).hasSize(1);
    }

    @Test
    void aNewConnectionClosedBeforeAnyResponseIsNotRetried() throws Exception {
        server.enqueue(Script.raw().sendRaw("")).enqueue(SocketTests.chunkedSse(LineProtocol.sse("later")));

        assertThatThrownBy(() -> open(client, server.baseUri()).next())
                .isInstanceOfSatisfying(
                        AIStreamException.class, e -> assertThat(e.code()).isEqualTo("upstream_connection"));
        assertThat(text(drain(open(client, server.baseUri())))).isEqualTo("later");

        assertThat(server.connections()).hasSize(2);
    }

    @Test
    void aReusedConnectionThatAnswersBadlyIsNotRetried() throws Exception {
        server.enqueue(SocketTests.chunkedSse(LineProtocol.sse("one")))
                .enqueue(Script.raw().sendRaw("SPDY/3 200 OK\r\n\r\n").keepAlive());
        drain(open(client, server.baseUri()));

        assertThatThrownBy(() -> open(client, server.baseUri()).next())
                .isInstanceOfSatisfying(AIStreamException.class, e -> {
                    assertThat(e.code()).isEqualTo("upstream_connection");
                    assertThat(e.getMessage()).contains("malformed HTTP status line 'SPDY/3 200 OK'");
                });

        assertThat(server.connections()).hasSize(1);
    }

    @Test
    void idleConnectionsBeyondTheLimitAreClosed() throws Exception {
        UpstreamClient one =
                UpstreamClient.builder().maxIdleConnectionsPerHost(1).build();
        CompletableFuture<String> rest = new CompletableFuture<>();
        server.enqueue(Script.raw()
                        .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk(LineProtocol.delta("a")))
                        .sendRawLater(rest)
                        .keepAlive())
                .enqueue(SocketTests.chunkedSse(LineProtocol.sse("b")))
                .enqueue(SocketTests.chunkedSse(LineProtocol.sse("c")));
        ChunkSource a = open(one, server.baseUri());
        assertThat(a.next()).contains(ContentChunk.of("a"));
        assertThat(text(drain(open(one, server.baseUri())))).isEqualTo("b"); // a second connection, now idle

        rest.complete(Script.chunk(LineProtocol.done()) + "0\r\n\r\n");
        assertThat(done(drain(a)).finishReason()).isEqualTo(FinishReason.STOP);

        // the first connection came back to a full pool: the older idle one was closed
        server.awaitConnection(1).awaitClosedByClient();
        assertThat(text(drain(open(one, server.baseUri())))).isEqualTo("c");
        assertThat(server.connections()).hasSize(2);
        assertThat(server.connections().get(0).requests()).hasSize(2);
        one.closeIdleConnections();
        server.awaitConnection(0).awaitClosedByClient();
    }

    @Test
    void noConnectionIsKeptWhenTheLimitIsZero() throws Exception {
        UpstreamClient none =
                UpstreamClient.builder().maxIdleConnectionsPerHost(0).build();
        server.enqueue(SocketTests.chunkedSse(LineProtocol.sse("one")))
                .enqueue(SocketTests.chunkedSse(LineProtocol.sse("two")));

        drain(open(none, server.baseUri()));
        server.awaitConnection(0).awaitClosedByClient();
        drain(open(none, server.baseUri()));

        assertThat(server.connections()).hasSize(2);
    }

    @Test
    void anIdleConnectionOlderThanTheTimeoutIsClosedInsteadOfReused() throws Exception {
        AtomicLong clock = new AtomicLong();
        SocketHttpTransport transport = transport(4, Duration.ofSeconds(30), clock);
        server.enqueue(SocketTests.chunkedSse("one"))
                .enqueue(SocketTests.chunkedSse("two"))
                .enqueue(SocketTests.chunkedSse("three"));
        assertThat(exchange(transport, server.baseUri())).isEqualTo("one");
        clock.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(exchange(transport, server.baseUri())).isEqualTo("two");
        assertThat(server.connections()).hasSize(1);

        clock.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(exchange(transport, server.baseUri())).isEqualTo("three");

        server.awaitConnection(0).awaitClosedByClient();
        assertThat(server.connections()).hasSize(2);
        assertThat(transport.pool().idleCount(Endpoint.of(server.baseUri()))).isEqualTo(1);
    }

    @Test
    void aSweepClosesExpiredIdleConnectionsWithoutAnotherRequest() throws Exception {
        AtomicLong clock = new AtomicLong();
        SocketHttpTransport transport = transport(4, Duration.ofSeconds(30), clock);
        server.enqueue(SocketTests.chunkedSse("one"));
        assertThat(exchange(transport, server.baseUri())).isEqualTo("one");
        transport.pool().sweep();
        assertThat(transport.pool().idleCount(Endpoint.of(server.baseUri()))).isEqualTo(1); // not yet expired

        clock.addAndGet(Duration.ofSeconds(30).toNanos());
        transport.pool().sweep();

        server.awaitConnection(0).awaitClosedByClient();
        assertThat(transport.pool().idleCount(Endpoint.of(server.baseUri()))).isZero();
    }

    @Test
    void theSweeperEmptiesAPoolNobodyUsesAnyMore() throws Exception {
        // the real clock and a short idle timeout: the sweeper thread, not a request, closes the connection
        SocketHttpTransport transport =
                new SocketHttpTransport(null, Duration.ofSeconds(2), 2048, 4, Duration.ofMillis(200), "aistream-test");
        server.enqueue(SocketTests.chunkedSse("one"));
        assertThat(exchange(transport, server.baseUri())).isEqualTo("one");

        server.awaitConnection(0).awaitClosedByClient();
        assertThat(transport.pool().idleCount(Endpoint.of(server.baseUri()))).isZero();
    }

    @Test
    void closeIdleConnectionsClosesThemNow() throws Exception {
        server.enqueue(SocketTests.chunkedSse(LineProtocol.sse("one")));
        drain(open(client, server.baseUri()));

        client.closeIdleConnections();

        server.awaitConnection(0).awaitClosedByClient();
    }
}
