package io.aistream.provider.transport.internal;

import static io.aistream.provider.transport.internal.SocketTests.open;
import static io.aistream.testing.Chunks.done;
import static io.aistream.testing.Chunks.drain;
import static io.aistream.testing.Chunks.errors;
import static io.aistream.testing.Chunks.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.AIStreamException;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.testing.LineProtocol;
import io.aistream.provider.transport.UpstreamClient;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.Script;
import io.aistream.testing.Seed;
import io.aistream.testing.Seeds;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How the socket transport reads response heads and bodies, over real connections. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketFramingTest {
    private static final String BODY =
            LineProtocol.delta("Grüß ") + LineProtocol.delta("dich") + LineProtocol.usage(3, 2) + LineProtocol.done();

    private final FakeUpstream server = FakeUpstream.start();
    private final UpstreamClient client =
            UpstreamClient.builder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stop() {
        server.close();
        client.closeIdleConnections();
    }

    private static void assertComplete(List<StreamChunk> chunks) {
        assertThat(text(chunks)).isEqualTo("Grüß dich");
        assertThat(errors(chunks)).isEmpty();
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void chunkExtensionsAndTrailersAreReadAndIgnored() throws Exception {
        String first = BODY.substring(0, 8); // ASCII: 8 bytes
        String rest = BODY.substring(8);
        server.enqueue(Script.raw()
                        .sendRaw(Script.CHUNKED_SSE_HEAD
                                + "8;name=value;quoted=\"x;y\"\r\n" + first + "\r\n"
                                + Integer.toHexString(rest.getBytes(StandardCharsets.UTF_8).length)
                                        .toUpperCase() + " ; ext\r\n" + rest + "\r\n"
                                + "000;last\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n")
                        .keepAlive())
                .enqueue(SocketTests.chunkedSse(LineProtocol.sse("again")));

        assertComplete(drain(open(client, server.baseUri())));

        // the trailers were consumed exactly: the connection carries the next request
        assertThat(text(drain(open(client, server.baseUri())))).isEqualTo("again");
        assertThat(server.connections()).hasSize(1);
    }

    @Test
    void aContentLengthBodyEndsAtItsLength() throws Exception {
        server.enqueue(SocketTests.lengthSse(BODY));

        assertComplete(drain(open(client, server.baseUri())));
    }

    @Test
    void aShortContentLengthBodyIsAnIncompleteStream() throws Exception {
        server.enqueue(
                Script.raw().sendRaw("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + LineProtocol.delta("a")));

        List<StreamChunk> chunks = drain(open(client, server.baseUri()));

        assertThat(text(chunks)).isEqualTo("a");
        assertThat(errors(chunks)).singleElement().satisfies(e -> {
            assertThat(e.error().code()).isEqualTo("incomplete_stream");
            assertThat(e.error().message()).contains("closed after").contains("of 1000 body bytes");
        });
    }

    @Test
    void aCloseDelimitedBodyEndsWhenTheServerCloses() throws Exception {
        server.enqueue(Script.raw().sendRaw("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n" + BODY));

        assertComplete(drain(open(client, server.baseUri())));
    }

    @Test
    void interimResponsesAreSkipped() throws Exception {
        server.enqueue(Script.raw()
                .sendRaw(
                        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                                + "HTTP/1.1 200 OK\r\nX-Request-Id: req_1\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + Script.chunk(BODY)
                                + "0\r\n\r\n")
                .keepAlive());
        SocketHttpTransport transport = new SocketHttpTransport(
                null, Duration.ofSeconds(2), 2048, 4, Duration.ofSeconds(30), "aistream-test", new AtomicLong()::get);
        Exchange exchange = transport.newExchange(SocketTests.post(server.baseUri(), Map.of(), "{}"), "test");

        exchange.start();

        assertThat(exchange.statusCode()).isEqualTo(200);
        assertThat(exchange.headers().firstValue("x-request-id")).contains("req_1");
        assertThat(exchange.headers().firstValue("link")).isEmpty();
        try (InputStream body = exchange.body()) {
            assertThat(SocketTests.readAll(body, 100)).isEqualTo(BODY);
        }
    }

    @Test
    void foldedAndRepeatedHeadersAreKept() throws Exception {
        server.enqueue(Script.raw()
                .sendRaw(
                        "HTTP/1.1 200 OK\r\nX-Folded: one\r\n  two\r\nx-multi: a\r\nX-Multi: b\r\nContent-Length: 0\r\n\r\n")
                .keepAlive());
        SocketHttpTransport transport = new SocketHttpTransport(
                null, Duration.ofSeconds(2), 2048, 4, Duration.ofSeconds(30), "aistream-test", new AtomicLong()::get);
        Exchange exchange = transport.newExchange(SocketTests.post(server.baseUri(), Map.of(), "{}"), "test");

        exchange.start();

        assertThat(exchange.headers().allValues("x-folded")).containsExactly("one two");
        assertThat(exchange.headers().allValues("X-MULTI")).containsExactly("a", "b");
        exchange.body().close();
    }

    @Test
    void anOversizedResponseHeadIsAClearError() {
        server.enqueue(Script.raw()
                .sendRaw("HTTP/1.1 200 OK\r\n" + ("X-Filler: " + "f".repeat(1000) + "\r\n").repeat(70) + "\r\n")
                .hold());

        assertThatThrownBy(() -> open(client, server.baseUri()).next())
                .isInstanceOfSatisfying(AIStreamException.class, e -> {
                    assertThat(e.code()).isEqualTo("upstream_connection");
                    assertThat(e.getMessage()).contains("the response head exceeds the limit of 65536 bytes (64 KiB)");
                });
    }

    @Test
    void oneHugeHeaderLineIsAClearErrorToo() {
        server.enqueue(Script.raw()
                .sendRaw("HTTP/1.1 200 OK\r\nX-Huge: " + "h".repeat(100_000) + "\r\n\r\n")
                .hold());

        assertThatThrownBy(() -> open(client, server.baseUri()).next())
                .isInstanceOfSatisfying(
                        AIStreamException.class, e -> assertThat(e.getMessage()).contains("64 KiB"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"HTTP/2 200 OK", "HTTP/1.1 2000 OK", "HTTP/1.1 OK", "garbage", "HTTP/1.1 099 Low", "ICY 200 OK"})
    void aMalformedStatusLineIsAClearError(String statusLine) {
        server.enqueue(Script.raw()
                .sendRaw(statusLine + "\r\nContent-Length: 0\r\n\r\n")
                .hold());

        assertThatThrownBy(() -> open(client, server.baseUri()).next())
                .isInstanceOfSatisfying(AIStreamException.class, e -> {
                    assertThat(e.code()).isEqualTo("upstream_connection");
                    assertThat(e.getMessage()).contains("malformed HTTP status line '" + statusLine + "'");
                });
    }

    @Test
    void aMalformedHeaderLineIsAClearError() {
        server.enqueue(
                Script.raw().sendRaw("HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n").hold());

        assertThatThrownBy(() -> open(client, server.baseUri()).next())
                .isInstanceOfSatisfying(
                        AIStreamException.class, e -> assertThat(e.getMessage()).contains("malformed response header"));
    }

    @Test
    void conflictingContentLengthsAreAClearError() {
        server.enqueue(Script.raw()
                .sendRaw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!")
                .hold());

        assertThatThrownBy(() -> open(client, server.baseUri()).next())
                .isInstanceOfSatisfying(
                        AIStreamException.class,
                        e -> assertThat(e.getMessage()).contains("conflicting Content-Length"));
    }

    @Test
    void aMalformedChunkSizeEndsTheStreamAsIncomplete() throws Exception {
        server.enqueue(Script.raw()
                .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk(LineProtocol.delta("a")) + "zz\r\nxx\r\n")
                .hold());

        List<StreamChunk> chunks = drain(open(client, server.baseUri()));

        assertThat(text(chunks)).isEqualTo("a");
        assertThat(errors(chunks)).singleElement().satisfies(e -> {
            assertThat(e.error().code()).isEqualTo("incomplete_stream");
            assertThat(e.error().message()).contains("bad chunk size 'zz'");
        });
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        server.awaitConnection(0).awaitClosedByClient();
    }

    @Test
    void missingCrlfAfterChunkDataEndsTheStreamAsIncomplete() throws Exception {
        server.enqueue(Script.raw()
                .sendRaw(Script.CHUNKED_SSE_HEAD + "3\r\nabcdef\r\n")
                .hold());

        List<StreamChunk> chunks = drain(open(client, server.baseUri()));

        assertThat(errors(chunks))
                .singleElement()
                .satisfies(e -> assertThat(e.error().message()).contains("no CRLF after the chunk data"));
    }

    @Test
    void chunkSizesParse() throws Exception {
        assertThat(ChunkedBody.parseSize("0")).isZero();
        assertThat(ChunkedBody.parseSize("1a")).isEqualTo(26);
        assertThat(ChunkedBody.parseSize("FF;name=value")).isEqualTo(255);
        assertThat(ChunkedBody.parseSize("10 \t;x")).isEqualTo(16);
        assertThat(ChunkedBody.parseSize("0000000000000000001")).isEqualTo(1);
        assertThat(ChunkedBody.parseSize("fffffffffffffff")).isEqualTo(0xfffffffffffffffL);
        for (String bad : List.of("", ";x", "-1", "1 2", "0x10", "g", "1000000000000000")) {
            assertThatThrownBy(() -> ChunkedBody.parseSize(bad))
                    .as("'%s'", bad)
                    .isInstanceOf(HttpProtocolException.class);
        }
    }

    /**
     * Random bodies in random chunks (with extensions and trailers), written in random pieces and
     * read with random read sizes and buffer sizes, always come out whole, and always leave the
     * connection reusable.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void randomChunkingNeverChangesTheBody(long defaultSeed) throws Exception {
        Seed seed = Seeds.seed("SocketFramingTest.randomChunkingNeverChangesTheBody[" + defaultSeed + "]", defaultSeed);
        SplittableRandom random = seed.random();
        int bufferSize = 1 + random.nextInt(200);
        SocketHttpTransport transport = new SocketHttpTransport(
                null,
                Duration.ofSeconds(2),
                bufferSize,
                4,
                Duration.ofSeconds(30),
                "aistream-test",
                new AtomicLong()::get);
        byte[] body = new byte[random.nextInt(6000)];
        random.nextBytes(body);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int from = 0; from < body.length; ) {
            int size = Math.min(body.length - from, 1 + random.nextInt(random.nextBoolean() ? 16 : 3000));
            String ext = random.nextInt(4) == 0 ? ";e" + random.nextInt(100) + "=v" : "";
            wire.writeBytes((Integer.toHexString(size) + ext + "\r\n").getBytes(StandardCharsets.US_ASCII));
            wire.write(body, from, size);
            wire.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            from += size;
        }
        wire.writeBytes(
                ("0\r\n" + "X-T: 1\r\n".repeat(random.nextInt(3)) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = wire.toByteArray();
        Script pieces = Script.raw().keepAlive();
        for (int from = 0; from < bytes.length; ) {
            int len = Math.min(bytes.length - from, 1 + random.nextInt(random.nextBoolean() ? 8 : 1500));
            pieces.sendRaw(Arrays.copyOfRange(bytes, from, from + len));
            from += len;
        }
        server.enqueue(pieces);
        Exchange exchange = transport.newExchange(SocketTests.post(server.baseUri(), Map.of(), "{}"), "test");
        exchange.start();

        ByteArrayOutputStream read = new ByteArrayOutputStream();
        try (InputStream in = exchange.body()) {
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf, 0, 1 + random.nextInt(buf.length))) >= 0; ) {
                read.write(buf, 0, n);
            }
        }

        assertThat(read.toByteArray()).as("%s, buffer %d", seed, bufferSize).isEqualTo(body);
        assertThat(transport.pool().idleCount(Endpoint.of(server.baseUri())))
                .as("%s", seed)
                .isEqualTo(1);
        transport.closeIdleConnections();
    }
}
