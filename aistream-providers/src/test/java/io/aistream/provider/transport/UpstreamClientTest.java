package io.aistream.provider.transport;

import static io.aistream.provider.transport.Streams.REQUEST;
import static io.aistream.testing.Chunks.done;
import static io.aistream.testing.Chunks.drain;
import static io.aistream.testing.Chunks.errors;
import static io.aistream.testing.Chunks.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.AIStreamException;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.Usage;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.testing.LineProtocol;
import io.aistream.stream.ChunkSource;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.RecordedRequest;
import io.aistream.testing.Script;
import io.aistream.testing.Script.Framing;
import io.aistream.testing.Seeds;
import io.aistream.testing.UpstreamConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass(name = "{0}")
@EnumSource(UpstreamTransport.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UpstreamClientTest {
    /** Multi-byte characters so that splits fall inside UTF-8 sequences. */
    private static final String BODY = ": keep-alive\n\n" + LineProtocol.delta("Grüß ") + LineProtocol.delta("dich, ")
            + LineProtocol.reasoning("🤔 hm") + LineProtocol.delta("Welt 🌍!") + "data: \"line\\nbreak\"\r\n\r\n"
            + LineProtocol.usage(7, 5) + LineProtocol.done();

    private final UpstreamTransport transport;
    private final UpstreamClient client;
    private final FakeUpstream upstream = FakeUpstream.start();
    private final LineProtocol protocol = new LineProtocol();

    UpstreamClientTest(UpstreamTransport transport) {
        this.transport = transport;
        this.client = transport.client();
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    private ProviderConfig config() {
        return LineProtocol.config("line", upstream.baseUri());
    }

    private ChunkSource open() {
        return client.open(protocol, config(), REQUEST.toBuilder().model("m1").build());
    }

    private List<StreamChunk> wholeBody() throws Exception {
        upstream.enqueue(Script.sse().send(BODY));
        return drain(open());
    }

    /** The seed of one case's random splits: {@code defaultSeed} unless {@code -Daistream.seed} is given (printed). */
    private static long splitSeed(String name, long defaultSeed) {
        return Seeds.seed("UpstreamClientTest.howTheBodyIsSplitNeverChangesTheChunks[" + name + "]", defaultSeed)
                .value();
    }

    static Stream<Arguments> splits() {
        long closeDelimited = splitSeed("close-delimited", 1);
        long contentLength = splitSeed("content-length", 2);
        Stream<Arguments> fixed = Stream.of(
                Arguments.of("one byte per write", Script.sse().sendBytewise(BODY)),
                Arguments.of(
                        "explicit splits inside UTF-8 and CRLF",
                        Script.sse().sendSplit(BODY, 3, 20, 26, 27, 28, 90, 91)),
                Arguments.of(
                        "close-delimited body, seed " + closeDelimited,
                        Script.sse().framing(Framing.CLOSE_DELIMITED).sendRandomlySplit(BODY, closeDelimited, 9)),
                Arguments.of(
                        "content-length body, seed " + contentLength,
                        Script.sse().framing(Framing.CONTENT_LENGTH).sendRandomlySplit(BODY, contentLength, 9)),
                Arguments.of("throttled, 16 bytes per 2 ms", Script.sse().throttle(BODY, 16, Duration.ofMillis(2))));
        Stream<Arguments> random = Stream.of(11L, 12L, 13L, 14L, 15L, 16L)
                .map(seed -> splitSeed("random " + seed, seed))
                .map(seed ->
                        Arguments.of("random splits, seed " + seed, Script.sse().sendRandomlySplit(BODY, seed, 17)));
        return Stream.concat(fixed, random);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("splits")
    void howTheBodyIsSplitNeverChangesTheChunks(String name, Script script) throws Exception {
        List<StreamChunk> expected = wholeBody();
        upstream.enqueue(script);

        List<StreamChunk> chunks = drain(open());

        assertThat(chunks).isEqualTo(expected);
        assertThat(text(chunks)).isEqualTo("Grüß dich, Welt 🌍!line\nbreak");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(done(chunks).usage()).contains(Usage.of(7, 5));
    }

    @Test
    void sendsTheProtocolsRequestOnlyWhenTheFirstChunkIsAskedFor() throws Exception {
        upstream.enqueue(Script.sse().send(LineProtocol.sse("hi")));
        ChunkSource source = open();
        assertThat(upstream.connections()).isEmpty();

        assertThat(source.next()).contains(ContentChunk.of("hi"));

        RecordedRequest request = upstream.awaitConnection(0).request();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.target()).isEqualTo("/line");
        assertThat(request.header("authorization")).contains("Bearer sk-test-secret");
        assertThat(request.header("content-type")).contains("application/json");
        assertThat(request.header("upgrade")).as("no h2c upgrade on plain http").isEmpty();
        assertThat(request.bodyText()).contains("\"model\":\"m1\"").contains("Say hello");
        source.close();
    }

    @Test
    void aCutMidStreamEndsWithIncompleteStreamAndDoneError() throws Exception {
        upstream.enqueue(Script.sse()
                .send(LineProtocol.delta("Hel") + LineProtocol.usage(3, 1))
                .cut());

        List<StreamChunk> chunks = drain(open());

        assertThat(text(chunks)).isEqualTo("Hel");
        assertThat(errors(chunks)).singleElement().satisfies(e -> {
            assertThat(e.error().code()).isEqualTo("incomplete_stream");
            assertThat(e.error().message()).contains("connection to line lost");
        });
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(done(chunks).usage()).contains(Usage.of(3, 1));
    }

    @Test
    void aResetMidStreamEndsWithIncompleteStream() throws Exception {
        // A reset discards data the client has not read yet, so the server resets only once "Hel" was taken.
        CountDownLatch taken = new CountDownLatch(1);
        upstream.enqueue(
                Script.sse().send(LineProtocol.delta("Hel")).await(taken).reset());
        ChunkSource source = open();
        assertThat(source.next()).contains(ContentChunk.of("Hel"));
        taken.countDown();

        List<StreamChunk> chunks = drain(source);

        assertThat(errors(chunks))
                .singleElement()
                .satisfies(e -> assertThat(e.error().code()).isEqualTo("incomplete_stream"));
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void aCloseDelimitedBodyThatEndsWithoutDoneIsIncomplete() throws Exception {
        upstream.enqueue(Script.sse().framing(Framing.CLOSE_DELIMITED).send(LineProtocol.delta("Hel")));

        List<StreamChunk> chunks = drain(open());

        assertThat(errors(chunks))
                .singleElement()
                .satisfies(e -> assertThat(e.error().code()).isEqualTo("incomplete_stream"));
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void aGarbageEventIsReportedAsMalformed() throws Exception {
        upstream.enqueue(
                Script.sse().send(LineProtocol.delta("ok") + "data: {not json\n\n" + LineProtocol.delta("never")));

        List<StreamChunk> chunks = drain(open());

        assertThat(text(chunks)).isEqualTo("ok");
        assertThat(errors(chunks)).singleElement().satisfies(e -> {
            assertThat(e.error().code()).isEqualTo("malformed_event");
            assertThat(e.error().message()).contains("{not json");
        });
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void anHttpErrorIsThrownAsTheProtocolsTypedException() {
        upstream.enqueue(Script.status(429)
                .header("content-type", "application/json")
                .header("x-request-id", "req_42")
                .header("retry-after", "3")
                .send("{\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}"));
        ChunkSource source = open();

        assertThatThrownBy(source::next).isInstanceOfSatisfying(ProviderHttpException.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.providerErrorType()).isEqualTo("rate_limit_error");
            assertThat(e.requestId()).contains("req_42");
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
            assertThat(e.retryable()).isTrue();
            assertThat(e.code()).isEqualTo("rate_limited");
            assertThat(e.getMessage()).contains("slow down").doesNotContain("sk-test-secret");
        });
        source.close();
    }

    /** The protocol here quotes the body verbatim: the transport makes it safe whatever a protocol does. */
    @Test
    void anHtmlErrorPageIsDescribedNotQuoted() {
        upstream.enqueue(Script.status(502)
                .header("content-type", "text/html")
                .send("<html><head><title>502</title></head><body>proxy 10.1.2.3 http://internal.example/x"
                        + "</body></html>"));
        ChunkSource source = open();

        assertThatThrownBy(source::next).isInstanceOfSatisfying(ProviderHttpException.class, e -> {
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.getMessage())
                    .isEqualTo(
                            "line returned HTTP 502 (provider_error): the provider answered an HTML page (status 502)");
            assertThat(e.retryable()).isTrue();
        });
        source.close();
    }

    @Test
    void upstreamErrorTextLosesAddressesKeysAndBytesAndIsCut() {
        String message = "quota exceeded, see https://billing.example/account?key=AIzaSyABCDEFGHIJKLMN12 "
                + "(key sk-live-abcdef123456, echoed sk-test-secret)\\u0000\\u0007 " + "and more ".repeat(50);
        upstream.enqueue(Script.status(429)
                .header("content-type", "application/json")
                .header("x-request-id", "req 42 <script>")
                .send("{\"error\":{\"type\":\"rate <limit>\",\"message\":\"" + message + "\"}}"));
        ChunkSource source = open();

        assertThatThrownBy(source::next).isInstanceOfSatisfying(ProviderHttpException.class, e -> {
            assertThat(e.getMessage())
                    .startsWith("line returned HTTP 429 (provider_error): quota exceeded, see <url> (key [redacted],"
                            + " echoed [redacted])? and more and more")
                    .endsWith("…")
                    .doesNotContain("http", "AIza", "sk-", "\u0000", "<limit>");
            assertThat(e.getMessage().length()).isLessThan(300);
            assertThat(e.providerErrorType()).isEqualTo("provider_error");
            assertThat(e.requestId()).isEmpty();
            assertThat(e.retryable()).isTrue(); // 429 still is
        });
        source.close();
    }

    @Test
    void anInStreamErrorEventIsSanitizedToo() throws Exception {
        upstream.enqueue(Script.sse()
                .send(LineProtocol.delta("a")
                        + LineProtocol.error(
                                "server_error", "failed at http://10.0.0.9/upstream with Bearer abc123def456", false)));

        List<StreamChunk> chunks = drain(open());

        assertThat(errors(chunks)).singleElement().satisfies(e -> {
            assertThat(e.error().code()).isEqualTo("server_error");
            assertThat(e.error().message()).isEqualTo("failed at <url> with Bearer [redacted]");
        });
    }

    /** An HTML page with a 200 is a provider error, not a stream cut: it is not retried as one. */
    @Test
    void aSuccessfulAnswerThatIsAnHtmlPageIsAProviderError() {
        upstream.enqueue(Script.status(200)
                .header("content-type", "text/html; charset=utf-8")
                .send("<!doctype html><html><body>Please log in to the Wi-Fi</body></html>"));
        ChunkSource source = open();

        assertThatThrownBy(source::next).isInstanceOfSatisfying(AIStreamException.class, e -> {
            assertThat(e.code()).isEqualTo("upstream_error");
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).isEqualTo("line answered 200 with text/html, not a stream");
        });
        source.close();
    }

    @Test
    void aSuccessfulAnswerWithAnXmlTypeIsAProviderError() {
        upstream.enqueue(
                Script.status(200).header("content-type", "application/xml").send("<Error>denied</Error>"));
        ChunkSource source = open();

        assertThatThrownBy(source::next)
                .isInstanceOfSatisfying(
                        AIStreamException.class,
                        e -> assertThat(e.getMessage())
                                .isEqualTo("line answered 200 with application/xml, not a stream"));
        source.close();
    }

    /** Lenient with generic or missing types: some servers send those for SSE and NDJSON. */
    @Test
    void aStreamWithAGenericOrMissingContentTypeStillWorks() throws Exception {
        upstream.enqueue(Script.status(200).header("content-type", "text/plain").send(LineProtocol.sse("plain")));
        assertThat(text(drain(open()))).isEqualTo("plain");
        upstream.enqueue(Script.status(200).send(LineProtocol.sse("none")));
        assertThat(text(drain(open()))).isEqualTo("none");
        upstream.enqueue(Script.status(200)
                .header("content-type", "application/octet-stream")
                .send(LineProtocol.sse("bin")));
        assertThat(text(drain(open()))).isEqualTo("bin");
    }

    @Test
    void onlyTheFirstBytesOfAHugeErrorBodyAreRead() {
        UpstreamClient client = transport.builder().maxErrorBodyBytes(16).build();
        upstream.enqueue(Script.status(500).send("x".repeat(10_000)).stall());
        ChunkSource source =
                client.open(protocol, config(), REQUEST.toBuilder().model("m1").build());

        assertThatThrownBy(source::next).isInstanceOfSatisfying(ProviderHttpException.class, e -> {
            assertThat(e.status()).isEqualTo(500);
            assertThat(e.getMessage()).contains("x".repeat(16)).doesNotContain("x".repeat(17));
        });
    }

    @Test
    void aRefusedConnectionIsAnUpstreamConnectionError() throws Exception {
        ChunkSource source = client.open(
                protocol,
                LineProtocol.config("line", URI.create(FakeUpstream.refusingUri() + "/?key=secret")),
                REQUEST.toBuilder().model("m1").build());

        assertThatThrownBy(source::next).isInstanceOfSatisfying(AIStreamException.class, e -> {
            assertThat(e.code()).isEqualTo("upstream_connection");
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("127.0.0.1").doesNotContain("secret");
        });
    }

    @Test
    void aConnectionClosedBeforeAnyResponseIsAnUpstreamConnectionError() {
        upstream.enqueue(Script.sse().cut());
        ChunkSource source = open();

        assertThatThrownBy(source::next)
                .isInstanceOfSatisfying(
                        AIStreamException.class, e -> assertThat(e.code()).isEqualTo("upstream_connection"));
    }

    /** The upstream stays stalled until the client closes: seeing the close proves the cancel did not wait for it. */
    @Test
    void cancelWhileWaitingForTheResponseHeadClosesTheConnection() throws Exception {
        upstream.enqueue(Script.sse().stall().send(LineProtocol.sse("late")));
        ChunkSource source = open();
        CompletableFuture<Optional<StreamChunk>> first = CompletableFuture.supplyAsync(
                () -> next(source), r -> Thread.ofVirtual().start(r));
        UpstreamConnection connection = upstream.awaitConnection(0);
        connection.stalled().get(10, TimeUnit.SECONDS);

        source.cancel();

        connection.awaitClosedByClient();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    /** As above, with the stall after the first chunk of the body. */
    @Test
    void cancelWhileReadingTheBodyClosesTheConnection() throws Exception {
        upstream.enqueue(Script.sse().send(LineProtocol.delta("a")).stall());
        ChunkSource source = open();
        assertThat(source.next()).contains(ContentChunk.of("a"));
        CompletableFuture<Optional<StreamChunk>> second = CompletableFuture.supplyAsync(
                () -> next(source), r -> Thread.ofVirtual().start(r));
        UpstreamConnection connection = upstream.awaitConnection(0);
        connection.stalled().get(10, TimeUnit.SECONDS);

        source.cancel();

        connection.awaitClosedByClient();
        assertThat(second.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void interruptingTheReaderAbortsTheExchangeAndThrowsInterrupted() throws Exception {
        upstream.enqueue(Script.sse().send(LineProtocol.delta("a")).stall());
        ChunkSource source = open();
        assertThat(source.next()).contains(ContentChunk.of("a"));
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                source.next();
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        UpstreamConnection connection = upstream.awaitConnection(0);
        connection.stalled().get(5, TimeUnit.SECONDS);

        reader.interrupt();

        assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        connection.awaitClosedByClient();
    }

    private static Optional<StreamChunk> next(ChunkSource source) {
        try {
            return source.next();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
