package io.aistream.provider.transport.internal;

import static io.aistream.provider.transport.Streams.done;
import static io.aistream.provider.transport.Streams.drain;
import static io.aistream.provider.transport.Streams.errors;
import static io.aistream.provider.transport.internal.SocketTests.exchange;
import static io.aistream.provider.transport.internal.SocketTests.open;
import static io.aistream.provider.transport.Streams.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aistream.AIStreamException;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.testing.LineProtocol;
import io.aistream.provider.transport.UpstreamClient;
import io.aistream.provider.transport.internal.RawHttpServer.After;
import io.aistream.provider.transport.internal.RawHttpServer.Reply;
import io.aistream.stream.ChunkSource;
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
    private final RawHttpServer server = RawHttpServer.plain();
    private final UpstreamClient client = UpstreamClient.builder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stop() {
        server.close();
        client.closeIdleConnections();
    }

    private static SocketHttpTransport transport(int maxIdle, Duration idleTimeout, AtomicLong clock) {
        return new SocketHttpTransport(null, Duration.ofSeconds(2), 2048, maxIdle, idleTimeout, "aistream-test", clock::get);
    }

    @Test
    void sequentialStreamsShareOneConnection() throws Exception {
        server.enqueue(Reply.chunkedSse(LineProtocol.sse("one"))).enqueue(Reply.chunkedSse(LineProtocol.sse("two")));

        assertThat(text(drain(open(client, server.uri())))).isEqualTo("one");
        assertThat(text(drain(open(client, server.uri())))).isEqualTo("two");

        assertThat(server.connections()).hasSize(1);
        assertThat(server.awaitConnection(0).requests()).hasSize(2);
    }

    @Test
    void aStreamWhoseDoneArrivesBeforeTheLastChunkStillGivesItsConnectionBack() throws Exception {
        // The read that carries [DONE] ends exactly at the chunk's data, so the decoder is done while
        // the last chunk is still unread: closing the body picks it up without blocking.
        String body = LineProtocol.sse("x");
        UpstreamClient small = UpstreamClient.builder().readBufferBytes(body.length()).build();
        server.enqueue(Reply.chunkedSse(body)).enqueue(Reply.chunkedSse(LineProtocol.sse("y")));

        assertThat(text(drain(open(small, server.uri())))).isEqualTo("x");
        assertThat(text(drain(open(small, server.uri())))).isEqualTo("y");

        assertThat(server.connections()).hasSize(1);
        small.closeIdleConnections();
    }

    @Test
    void closingABodyWhoseLastChunkAlreadyArrivedGivesTheConnectionBack() throws Exception {
        SocketTests.closeWithTheLastChunkArrivedButUnread(server, transport(4, Duration.ofSeconds(30), new AtomicLong()));
    }

    @Test
    void aLastChunkThatComesAfterTheBodyWasClosedIsAwaitedInTheBackgroundAndTheConnectionReused() throws Exception {
        SocketHttpTransport transport = transport(4, Duration.ofSeconds(30), new AtomicLong());
        CompletableFuture<String> lastChunk = new CompletableFuture<>();
        server.enqueue(Reply.of(RawHttpServer.CHUNKED_SSE_HEAD + RawHttpServer.chunk("hello"), After.KEEP_OPEN).then(lastChunk))
                .enqueue(Reply.chunkedSse("again"));
        Exchange exchange = transport.newExchange(SocketTests.post(server.uri("localhost"), Map.of(), "{}"), "test");
        exchange.start();
        InputStream body = exchange.body();
        assertThat(body.readNBytes(5)).asString().isEqualTo("hello");

        body.close(); // the last chunk has not even been sent: close() must not wait for it
        exchange.abort(); // what a source's close does next: the lingering connection is no longer the exchange's
        assertThat(transport.pool().idleCount(Endpoint.of(server.uri("localhost")))).isZero();
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
        String more = RawHttpServer.chunk("x".repeat(4096)).repeat(8); // 32 KiB past the close: beyond the drain's limit
        CompletableFuture<String> rest = new CompletableFuture<>();
        server.enqueue(Reply.of(RawHttpServer.CHUNKED_SSE_HEAD + RawHttpServer.chunk("hello"), After.HOLD).then(rest));
        Exchange exchange = transport.newExchange(SocketTests.post(server.uri("localhost"), Map.of(), "{}"), "test");
        exchange.start();
        InputStream body = exchange.body();
        assertThat(body.readNBytes(5)).asString().isEqualTo("hello");

        body.close();
        rest.complete(more);

        server.awaitConnection(0).closedByClient().get(5, TimeUnit.SECONDS);
        assertThat(transport.pool().idleCount(Endpoint.of(server.uri("localhost")))).isZero();
    }

    @Test
    void aContentLengthBodyKeepsTheConnection() throws Exception {
        server.enqueue(Reply.lengthSse(LineProtocol.sse("one"))).enqueue(Reply.lengthSse(LineProtocol.sse("two")));

        assertThat(text(drain(open(client, server.uri())))).isEqualTo("one");
        assertThat(text(drain(open(client, server.uri())))).isEqualTo("two");

        assertThat(server.connections()).hasSize(1);
    }

    @Test
    void anErrorResponseReadToItsEndKeepsTheConnection() throws Exception {
        String error = "{\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow\"}}";
        server.enqueue(Reply.of("HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nContent-Length: "
                + error.length() + "\r\n\r\n" + error, After.KEEP_OPEN))
                .enqueue(Reply.chunkedSse(LineProtocol.sse("ok")));

        assertThatThrownBy(() -> drain(open(client, server.uri()))).hasMessageContaining("slow");
        assertThat(text(drain(open(client, server.uri())))).isEqualTo("ok");

        assertThat(server.connections()).hasSize(1);
    }

    @Test
    void connectionCloseFromTheServerIsHonoured() throws Exception {
        String body = LineProtocol.sse("one");
        server.enqueue(Reply.of("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body,
                After.KEEP_OPEN)).enqueue(Reply.chunkedSse(LineProtocol.sse("two")));

        assertThat(text(drain(open(client, server.uri())))).isEqualTo("one");
        server.awaitConnection(0).closedByClient().get(5, TimeUnit.SECONDS);
        assertThat(text(drain(open(client, server.uri())))).isEqualTo("two");

        assertThat(server.connections()).hasSize(2);
        assertThat(server.connections().get(0).requests()).hasSize(1);
    }

    @Test
    void anHttp10ResponseIsReusedOnlyWithExplicitKeepAlive() throws Exception {
        String body = LineProtocol.sse("a");
        server.enqueue(Reply.of("HTTP/1.0 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body, After.KEEP_OPEN))
                .enqueue(Reply.of("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: " + body.length() + "\r\n\r\n" + body,
                        After.KEEP_OPEN))
                .enqueue(Reply.lengthSse(body));

        drain(open(client, server.uri()));
        server.awaitConnection(0).closedByClient().get(5, TimeUnit.SECONDS);
        drain(open(client, server.uri()));
        drain(open(client, server.uri()));

        assertThat(server.connections()).hasSize(2);
        assertThat(server.connections().get(1).requests()).hasSize(2);
    }

    @Test
    void aCancelledStreamClosesItsConnectionInsteadOfReusingIt() throws Exception {
        server.enqueue(Reply.of(RawHttpServer.CHUNKED_SSE_HEAD + RawHttpServer.chunk(LineProtocol.delta("a")), After.HOLD))
                .enqueue(Reply.chunkedSse(LineProtocol.sse("b")));
        ChunkSource first = open(client, server.uri());
        assertThat(first.next()).contains(ContentChunk.of("a"));

        first.close();

        server.awaitConnection(0).closedByClient().get(5, TimeUnit.SECONDS);
        assertThat(text(drain(open(client, server.uri())))).isEqualTo("b");
        assertThat(server.connections()).hasSize(2);
    }

    @Test
    void aStreamClosedBeforeItsBodyWasReadDoesNotGiveItsConnectionBack() throws Exception {
        // the whole body was sent, but the consumer stops after the first chunk, long before the
        // transport has read it all (it reads 2 KiB at a time)
        server.enqueue(Reply.chunkedSse(LineProtocol.delta("a").repeat(500) + LineProtocol.done()))
                .enqueue(Reply.chunkedSse(LineProtocol.sse("c")));
        ChunkSource first = open(client, server.uri());
        assertThat(first.next()).contains(ContentChunk.of("a"));

        first.close();

        server.awaitConnection(0).closedByClient().get(5, TimeUnit.SECONDS);
        assertThat(text(drain(open(client, server.uri())))).isEqualTo("c");
        assertThat(server.connections()).hasSize(2);
    }

    @Test
    void aCutBodyLeavesNothingInThePool() throws Exception {
        AtomicLong clock = new AtomicLong();
        SocketHttpTransport transport = transport(4, Duration.ofSeconds(30), clock);
        server.enqueue(Reply.of(RawHttpServer.CHUNKED_SSE_HEAD + "10\r\nonly part", After.CLOSE));
        Exchange exchange = transport.newExchange(SocketTests.post(server.uri(), Map.of(), "{}"), "test");
        exchange.start();

        try (InputStream body = exchange.body()) {
            assertThatThrownBy(() -> SocketTests.readAll(body, 100)).isInstanceOf(IOException.class)
                    .hasMessageContaining("closed inside a chunk");
        }

        assertThat(transport.pool().idleCount(Endpoint.of(server.uri()))).isZero();
    }

    @Test
    void aCutStreamEndsIncompleteAndTheNextStreamUsesANewConnection() throws Exception {
        server.enqueue(Reply.of(RawHttpServer.CHUNKED_SSE_HEAD + RawHttpServer.chunk(LineProtocol.delta("a")), After.CLOSE))
                .enqueue(Reply.chunkedSse(LineProtocol.sse("b")));

        List<StreamChunk> cut = drain(open(client, server.uri()));
        assertThat(errors(cut)).singleElement().satisfies(e -> assertThat(e.error().code()).isEqualTo("incomplete_stream"));
        assertThat(done(cut).finishReason()).isEqualTo(FinishReason.ERROR);

        assertThat(text(drain(open(client, server.uri())))).isEqualTo("b");
        assertThat(server.connections()).hasSize(2);
        assertThat(server.connections().get(1).requests()).hasSize(1);
    }

    @Test
    void aPooledConnectionTheServerClosedIsReplacedAndTheRequestSentOnceOnTheNewOne() throws Exception {
        server.enqueue(Reply.chunkedSse(LineProtocol.sse("one"))).enqueue(Reply.chunkedSse(LineProtocol.sse("two")));
        assertThat(text(drain(open(client, server.uri())))).isEqualTo("one");
        RawHttpServer.Conn idle = server.awaitConnection(0);
        idle.closeFromServer();
        idle.ended().get(5, TimeUnit.SECONDS);

        List<StreamChunk> chunks = drain(open(client, server.uri()));

        assertThat(text(chunks)).isEqualTo("two");
        assertThat(errors(chunks)).isEmpty();
        assertThat(server.connections()).hasSize(2);
        assertThat(server.connections().get(0).requests()).hasSize(1);
        assertThat(server.connections().get(1).requests()).hasSize(1);
    }

    @Test
    void aNewConnectionClosedBeforeAnyResponseIsNotRetried() throws Exception {
        server.enqueue(Reply.of("", After.CLOSE)).enqueue(Reply.chunkedSse(LineProtocol.sse("later")));

        assertThatThrownBy(() -> open(client, server.uri()).next()).isInstanceOfSatisfying(AIStreamException.class,
                e -> assertThat(e.code()).isEqualTo("upstream_connection"));
        assertThat(text(drain(open(client, server.uri())))).isEqualTo("later");

        assertThat(server.connections()).hasSize(2);
    }

    @Test
    void aReusedConnectionThatAnswersBadlyIsNotRetried() throws Exception {
        server.enqueue(Reply.chunkedSse(LineProtocol.sse("one"))).enqueue(Reply.of("SPDY/3 200 OK\r\n\r\n", After.KEEP_OPEN));
        drain(open(client, server.uri()));

        assertThatThrownBy(() -> open(client, server.uri()).next()).isInstanceOfSatisfying(AIStreamException.class, e -> {
            assertThat(e.code()).isEqualTo("upstream_connection");
            assertThat(e.getMessage()).contains("malformed HTTP status line 'SPDY/3 200 OK'");
        });

        assertThat(server.connections()).hasSize(1);
    }

    @Test
    void idleConnectionsBeyondTheLimitAreClosed() throws Exception {
        UpstreamClient one = UpstreamClient.builder().maxIdleConnectionsPerHost(1).build();
        CompletableFuture<String> rest = new CompletableFuture<>();
        server.enqueue(Reply.of(RawHttpServer.CHUNKED_SSE_HEAD + RawHttpServer.chunk(LineProtocol.delta("a")), After.KEEP_OPEN)
                        .then(rest))
                .enqueue(Reply.chunkedSse(LineProtocol.sse("b")))
                .enqueue(Reply.chunkedSse(LineProtocol.sse("c")));
        ChunkSource a = open(one, server.uri());
        assertThat(a.next()).contains(ContentChunk.of("a"));
        assertThat(text(drain(open(one, server.uri())))).isEqualTo("b"); // a second connection, now idle

        rest.complete(RawHttpServer.chunk(LineProtocol.done()) + "0\r\n\r\n");
        assertThat(done(drain(a)).finishReason()).isEqualTo(FinishReason.STOP);

        // the first connection came back to a full pool: the older idle one was closed
        server.awaitConnection(1).closedByClient().get(5, TimeUnit.SECONDS);
        assertThat(text(drain(open(one, server.uri())))).isEqualTo("c");
        assertThat(server.connections()).hasSize(2);
        assertThat(server.connections().get(0).requests()).hasSize(2);
        one.closeIdleConnections();
        server.awaitConnection(0).closedByClient().get(5, TimeUnit.SECONDS);
    }

    @Test
    void noConnectionIsKeptWhenTheLimitIsZero() throws Exception {
        UpstreamClient none = UpstreamClient.builder().maxIdleConnectionsPerHost(0).build();
        server.enqueue(Reply.chunkedSse(LineProtocol.sse("one"))).enqueue(Reply.chunkedSse(LineProtocol.sse("two")));

        drain(open(none, server.uri()));
        server.awaitConnection(0).closedByClient().get(5, TimeUnit.SECONDS);
        drain(open(none, server.uri()));

        assertThat(server.connections()).hasSize(2);
    }

    @Test
    void anIdleConnectionOlderThanTheTimeoutIsClosedInsteadOfReused() throws Exception {
        AtomicLong clock = new AtomicLong();
        SocketHttpTransport transport = transport(4, Duration.ofSeconds(30), clock);
        server.enqueue(Reply.chunkedSse("one")).enqueue(Reply.chunkedSse("two")).enqueue(Reply.chunkedSse("three"));
        assertThat(exchange(transport, server.uri())).isEqualTo("one");
        clock.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(exchange(transport, server.uri())).isEqualTo("two");
        assertThat(server.connections()).hasSize(1);

        clock.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(exchange(transport, server.uri())).isEqualTo("three");

        server.awaitConnection(0).closedByClient().get(5, TimeUnit.SECONDS);
        assertThat(server.connections()).hasSize(2);
        assertThat(transport.pool().idleCount(Endpoint.of(server.uri()))).isEqualTo(1);
    }

    @Test
    void closeIdleConnectionsClosesThemNow() throws Exception {
        server.enqueue(Reply.chunkedSse(LineProtocol.sse("one")));
        drain(open(client, server.uri()));

        client.closeIdleConnections();

        server.awaitConnection(0).closedByClient().get(5, TimeUnit.SECONDS);
    }
}
