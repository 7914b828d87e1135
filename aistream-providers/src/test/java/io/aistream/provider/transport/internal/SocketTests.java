package io.aistream.provider.transport.internal;

import static org.awaitility.Awaitility.await;

import io.aistream.chunk.StreamChunk;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.provider.testing.LineProtocol;
import io.aistream.provider.transport.UpstreamClient;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChunkSource;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.Script;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Helpers for the socket transport's tests. */
final class SocketTests {
    static final ChatRequest REQUEST =
            ChatRequest.builder().user("Say hello").model("m1").build();

    private SocketTests() {}

    /** A stream of the line protocol to {@code base}. */
    static ChunkSource open(UpstreamClient client, URI base) {
        return client.open(new LineProtocol(), LineProtocol.config("line", base), REQUEST);
    }

    /**
     * With {@code server} holding the head of {@code source}'s request: a blocked {@code next()} is
     * cancelled; the server must see the client close the socket (it holds the connection until
     * then, so the close cannot come from its side) and the reader must see the end.
     */
    static void cancelWhileTheHeadIsHeld(FakeUpstream server, ChunkSource source) throws Exception {
        CompletableFuture<Optional<StreamChunk>> first = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return source.next();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                r -> Thread.ofVirtual().start(r));
        server.awaitConnection(0).request();

        source.cancel();

        server.awaitConnection(0).awaitClosedByClient();
        org.assertj.core.api.Assertions.assertThat(first.get(10, TimeUnit.SECONDS))
                .isEmpty();
    }

    /** A keep-alive 200 with a chunked SSE body ({@code body} in one chunk). */
    static Script chunkedSse(String body) {
        // one write, so the last chunk arrives with the data (in one TLS record): a client that has read the
        // stream's end gives the connection back at once, and the next request reuses it deterministically
        return Script.raw()
                .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk(body) + "0\r\n\r\n")
                .keepAlive();
    }

    /** A keep-alive 200 with an SSE body of a {@code Content-Length}. */
    static Script lengthSse(String body) {
        return Script.sse().framing(Script.Framing.CONTENT_LENGTH).send(body).keepAlive();
    }

    /** A POST of {@code body} to {@code uri} with the given headers. */
    static UpstreamRequest post(URI uri, Map<String, List<String>> headers, String body) {
        return new UpstreamRequest(uri, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Starts an exchange of {@code transport} and reads its whole body (then closes it). */
    static String exchange(SocketHttpTransport transport, URI uri) throws IOException, InterruptedException {
        Exchange exchange = transport.newExchange(post(uri, Map.of(), "{}"), "test");
        exchange.start();
        try (InputStream body = exchange.body()) {
            return readAll(body, 1024);
        }
    }

    /**
     * Reads the 5 data bytes of a chunked body whose last chunk is still to come, lets
     * {@code lastChunk} send it, waits until its bytes are in the client's socket, and closes the body:
     * the close must pick the last chunk up without blocking and give the connection back to the pool.
     */
    static void closeWithTheLastChunkArrivedButUnread(FakeUpstream server, SocketHttpTransport transport)
            throws Exception {
        CompletableFuture<String> lastChunk = new CompletableFuture<>();
        server.enqueue(Script.raw()
                .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk("hello"))
                .sendRawLater(lastChunk)
                .keepAlive());
        Exchange exchange = transport.newExchange(post(server.uri("localhost"), Map.of(), "{}"), "test");
        exchange.start();
        InputStream body = exchange.body();
        byte[] data = body.readNBytes(5);
        if (!new String(data, StandardCharsets.UTF_8).equals("hello")) {
            throw new AssertionError("unexpected body " + new String(data, StandardCharsets.UTF_8));
        }
        lastChunk.complete("0\r\n\r\n");
        HttpConnection conn = ((ResponseBody) body).conn;
        await().atMost(Duration.ofSeconds(10)).until(() -> conn.tcpAvailable() > 0);

        body.close();

        if (transport.pool().idleCount(Endpoint.of(server.uri("localhost"))) != 1) {
            throw new AssertionError("the connection was not given back to the pool");
        }
    }

    /** Reads {@code in} to its end in reads of at most {@code readSize} bytes, as UTF-8. */
    static String readAll(InputStream in, int readSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[readSize];
        for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
