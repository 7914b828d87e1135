package io.aistream.provider.transport;

import static io.aistream.testing.Chunks.done;
import static io.aistream.testing.Chunks.drain;
import static io.aistream.testing.Chunks.errors;
import static io.aistream.testing.Chunks.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.ErrorCode;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.testing.LineProtocol;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChatStream;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.ChunkSources;
import io.aistream.stream.SourceReadiness;
import io.aistream.stream.Timeouts;
import io.aistream.stream.VirtualTimeSource;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.Script;
import io.aistream.testing.TestCertificates;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link HttpChunkSource#readiness()}: a stream pulled only through poll/onReady (the event-loop relay's
 * way), on real sockets. The upstream sends its next bytes only once the driver answered {@code WAIT}, so a
 * pull that blocked would hang the test instead of passing it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpChunkSourceReadinessTest {
    private static final ChatRequest REQUEST =
            ChatRequest.builder().user("Say hello").model("m1").build();
    private static final String SSE_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n";

    private final FakeUpstream server = FakeUpstream.start();
    private final UpstreamClient client =
            UpstreamClient.builder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stop() {
        server.close();
        client.closeIdleConnections();
    }

    private ChunkSource open(UpstreamClient c, URI base) {
        return c.open(new LineProtocol(), LineProtocol.config("line", base), REQUEST);
    }

    private static String delta(Optional<StreamChunk> chunk) {
        return ((ContentChunk) chunk.orElseThrow()).delta();
    }

    /** The body's bytes after the first event, each sent only when the test releases it. */
    private static final class Gates {
        private final List<CompletableFuture<String>> gates = new ArrayList<>();
        private final String bytes;
        private final AtomicInteger next = new AtomicInteger();

        Gates(String bytes) {
            this.bytes = bytes;
            for (int i = 0; i < bytes.length(); i++) {
                gates.add(new CompletableFuture<>());
            }
        }

        Script appendTo(Script script) {
            gates.forEach(script::sendRawLater);
            return script;
        }

        void releaseNext() {
            int i = next.getAndIncrement();
            if (i < gates.size()) {
                gates.get(i).complete(bytes.substring(i, i + 1));
            }
        }

        void releaseAll() {
            while (next.get() < gates.size()) {
                releaseNext();
            }
        }
    }

    enum Framing {
        CHUNKED,
        LENGTH,
        UNTIL_CLOSE
    }

    private static String chunkWithExtension(String text) {
        return Integer.toHexString(text.length()) + ";ext=\"a b\"\r\n" + text + "\r\n";
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void aStreamSplitAtEveryByteIsPulledByTheLoopAlone(Framing framing) throws Exception {
        String first = LineProtocol.delta("Hel");
        String events = LineProtocol.delta("lo, ") + LineProtocol.delta("world") + LineProtocol.done();
        String head;
        String rest;
        switch (framing) {
            case CHUNKED -> {
                head = SSE_HEAD + "Transfer-Encoding: chunked\r\n\r\n" + Script.chunk(first);
                rest = chunkWithExtension(LineProtocol.delta("lo, "))
                        + Script.chunk(LineProtocol.delta("world"))
                        + Script.chunk(LineProtocol.done())
                        + "0\r\nx-trailer: 1\r\n\r\n";
            }
            case LENGTH -> {
                head = SSE_HEAD + "Content-Length: " + (first + events).length() + "\r\n\r\n" + first;
                rest = events;
            }
            default -> {
                head = SSE_HEAD + "Connection: close\r\n\r\n" + first;
                rest = events;
            }
        }
        Gates gates = new Gates(rest);
        Script script = gates.appendTo(Script.raw().sendRaw(head));
        server.enqueue(framing == Framing.UNTIL_CLOSE ? script : script.keepAlive());
        ChunkSource source = open(client, server.baseUri());
        assertThat(source.readiness()).as("before the head").isEmpty();
        assertThat(delta(source.next())).isEqualTo("Hel");

        LoopDriver driver = LoopDriver.start(source, gates::releaseNext);
        List<StreamChunk> chunks = driver.result.get(20, TimeUnit.SECONDS);
        gates.releaseAll(); // the framing after [DONE], for the connection's clean end

        assertThat(text(chunks)).isEqualTo("lo, world");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(driver.waits.get()).as("one wait per byte, about").isGreaterThan(events.length() - 5);
        assertThat(driver.loopSteps.get())
                .as("pulled from the I/O loop's callbacks")
                .isPositive();
    }

    @Test
    void afterALoopDrivenStreamTheConnectionIsPooledAndTheNextStreamReusesItInBlockingMode() throws Exception {
        CompletableFuture<String> last = new CompletableFuture<>();
        server.enqueue(Script.raw()
                .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk(LineProtocol.delta("a")))
                .sendRawLater(last)
                .keepAlive());
        server.enqueue(Script.raw()
                .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk(LineProtocol.sse("again")) + "0\r\n\r\n")
                .keepAlive());
        ChunkSource source = open(client, server.baseUri());
        assertThat(delta(source.next())).isEqualTo("a");

        // the rest in one write: the poll that reads [DONE] also reads the body's end, on the loop thread
        LoopDriver driver = LoopDriver.start(
                source,
                () -> last.complete(
                        Script.chunk(LineProtocol.delta("b")) + Script.chunk(LineProtocol.done()) + "0\r\n\r\n"));
        assertThat(text(driver.result.get(10, TimeUnit.SECONDS))).isEqualTo("b");
        assertThat(driver.loopSteps.get()).isPositive();

        assertThat(text(drain(open(client, server.baseUri())))).isEqualTo("again");
        assertThat(server.connections()).hasSize(1);
        assertThat(server.awaitConnection(0).requests()).hasSize(2);
    }

    @Test
    void cancelWhileArmedRunsTheCallbackAtOnceAndClosesTheUpstream() throws Exception {
        server.enqueue(Script.raw()
                .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk(LineProtocol.delta("a")))
                .hold());
        ChunkSource source = open(client, server.baseUri());
        assertThat(delta(source.next())).isEqualTo("a");
        LoopDriver driver = LoopDriver.start(source, () -> {});
        assertThat(driver.waiting).isDone();
        assertThat(driver.result).isNotDone();

        source.cancel();

        assertThat(driver.result).as("woken by the cancel, on its thread").isCompletedWithValue(List.of());
        server.awaitConnection(0).awaitClosedByClient();
    }

    @Test
    void releaseMidStreamThenBlockingNextContinuesAndReusesTheConnection() throws Exception {
        CompletableFuture<String> later = new CompletableFuture<>();
        server.enqueue(Script.raw()
                .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk(LineProtocol.delta("a") + LineProtocol.delta("b")))
                .sendRawLater(later)
                .keepAlive());
        server.enqueue(Script.raw()
                .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk(LineProtocol.sse("again")) + "0\r\n\r\n")
                .keepAlive());
        ChunkSource source = open(client, server.baseUri());
        assertThat(delta(source.next())).isEqualTo("a");
        SourceReadiness readiness = source.readiness().orElseThrow();
        assertThat(readiness.poll()).isEqualTo(SourceReadiness.State.READY);
        assertThat(delta(source.next())).isEqualTo("b");
        assertThat(readiness.poll()).isEqualTo(SourceReadiness.State.WAIT);
        CompletableFuture<Void> woken = new CompletableFuture<>();
        readiness.onReady(() -> woken.complete(null));

        readiness.release();
        readiness.release(); // idempotent
        later.complete(Script.chunk(LineProtocol.sse("c")) + "0\r\n\r\n");

        assertThat(text(drain(source))).isEqualTo("c");
        assertThat(woken).as("disarmed by the release").isNotDone();
        assertThat(text(drain(open(client, server.baseUri())))).isEqualTo("again");
        assertThat(server.connections()).hasSize(1);
    }

    @Test
    void aNextWithoutAPollFirstStillWorks() throws Exception {
        CompletableFuture<String> later = new CompletableFuture<>();
        server.enqueue(Script.raw()
                .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk(LineProtocol.delta("a")))
                .sendRawLater(later)
                .keepAlive());
        ChunkSource source = open(client, server.baseUri());
        assertThat(delta(source.next())).isEqualTo("a");
        SourceReadiness readiness = source.readiness().orElseThrow();
        assertThat(readiness.poll()).isEqualTo(SourceReadiness.State.WAIT);

        // a consumer that pulls blocking again without release(): the body goes back to blocking mode itself
        CompletableFuture<List<StreamChunk>> rest = io.aistream.testing.Chunks.drainAsync(source);
        later.complete(Script.chunk(LineProtocol.sse("b")) + "0\r\n\r\n");

        assertThat(text(rest.get(10, TimeUnit.SECONDS))).isEqualTo("b");
    }

    @Test
    void anIdleTimeoutFiresWhileTheConsumerIsParkedOnTheLoop() throws Exception {
        VirtualTimeSource time = new VirtualTimeSource();
        server.enqueue(Script.raw()
                .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk(LineProtocol.delta("a")))
                .hold());
        ChunkSource source = ChunkSources.withTimeouts(
                open(client, server.baseUri()), Timeouts.none().withIdleBetweenChunks(Duration.ofSeconds(5)), time);
        assertThat(delta(source.next())).isEqualTo("a");
        LoopDriver driver = LoopDriver.start(source, () -> {});
        time.advance(Duration.ofSeconds(4));
        assertThat(driver.result).isNotDone();

        time.advance(Duration.ofSeconds(2));

        List<StreamChunk> chunks = driver.result.get(10, TimeUnit.SECONDS);
        assertThat(errors(chunks))
                .singleElement()
                .satisfies(e -> assertThat(e.error().code()).isEqualTo(ErrorCode.IDLE_TIMEOUT.wireName()));
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        server.awaitConnection(0).awaitClosedByClient();
    }

    @Test
    void aTlsExchangeOffersNoReadiness() throws Exception {
        TestCertificates.Pair pair = TestCertificates.localhost();
        try (FakeUpstream tls = FakeUpstream.startTls(pair.server())) {
            tls.enqueue(Script.raw()
                    .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk(LineProtocol.sse("secure")) + "0\r\n\r\n"));
            UpstreamClient trusting = UpstreamClient.builder()
                    .sslContext(pair.client())
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            ChunkSource source = open(trusting, tls.uri("localhost"));
            assertThat(delta(source.next())).isEqualTo("secure");

            assertThat(source.readiness()).isEmpty();
            assertThat(drain(source)).isNotEmpty();
        }
    }

    @Test
    void theJdkTransportOffersNoReadiness() throws Exception {
        server.enqueue(Script.raw()
                .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk(LineProtocol.delta("a") + LineProtocol.done())
                        + "0\r\n\r\n"));
        ChunkSource source = open(UpstreamTransport.JDK_HTTP_CLIENT.client(), server.baseUri());
        assertThat(delta(source.next())).isEqualTo("a");

        assertThat(source.readiness()).isEmpty();
        drain(source);
    }

    @Test
    void withRecoveryAnAttemptThatIsCutAnswersNeedsThreadAndTheBlockingPullRecovers() throws Exception {
        CompletableFuture<Void> cut = new CompletableFuture<>();
        server.enqueue(Script.raw()
                .sendRaw(Script.CHUNKED_SSE_HEAD
                        + Script.chunk(LineProtocol.delta("Hello, ") + LineProtocol.delta("wor")))
                .await(cut)
                .cut());
        server.enqueue(Script.sse().send(LineProtocol.sse("ld", "!")));
        StreamOptions options = StreamOptions.defaults()
                .withClient(client)
                .withTime(new VirtualTimeSource())
                .withTimeouts(Timeouts.none())
                .withRetry(RetryPolicy.none())
                .withRecovery(RecoveryPolicy.continueUpTo(2));
        ChunkSource source = ProviderStreams.open(
                List.of(new Target(new LineProtocol(), LineProtocol.config("a", server.baseUri()), "model-a")),
                REQUEST,
                options);
        assertThat(source.readiness()).as("no attempt is streaming yet").isEmpty();
        assertThat(delta(source.next())).isEqualTo("Hello, ");

        LoopDriver driver = LoopDriver.start(source, () -> cut.complete(null));

        assertThatThrownBy(() -> driver.result.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(LoopDriver.NeedsThread.class);
        assertThat(text(driver.chunks)).isEqualTo("wor");
        driver.readiness().release();
        List<StreamChunk> rest = drain(source);
        assertThat(text(rest)).isEqualTo("ld!");
        assertThat(errors(rest)).isEmpty();
        assertThat(done(rest).recovered()).isTrue();
    }

    @Test
    void aResilientStreamWithoutFailuresIsPulledByTheLoopToItsEnd() throws Exception {
        CompletableFuture<String> last = new CompletableFuture<>();
        server.enqueue(Script.raw()
                .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk(LineProtocol.delta("a")))
                .sendRawLater(last)
                .keepAlive());
        StreamOptions options = StreamOptions.defaults()
                .withClient(client)
                .withTime(new VirtualTimeSource())
                .withTimeouts(Timeouts.none())
                .withRetry(RetryPolicy.none())
                .withRecovery(RecoveryPolicy.continueUpTo(2));
        ChunkSource source = ProviderStreams.open(
                List.of(new Target(new LineProtocol(), LineProtocol.config("a", server.baseUri()), "model-a")),
                REQUEST,
                options);
        assertThat(delta(source.next())).isEqualTo("a");

        LoopDriver driver =
                LoopDriver.start(source, () -> last.complete(Script.chunk(LineProtocol.sse("b", "c")) + "0\r\n\r\n"));

        List<StreamChunk> chunks = driver.result.get(10, TimeUnit.SECONDS);
        assertThat(text(chunks)).isEqualTo("bc");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void aGatewayChainPulledThroughChatStreamReadinessReachesTheSocket() throws Exception {
        CompletableFuture<String> last = new CompletableFuture<>();
        server.enqueue(Script.raw()
                .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk(LineProtocol.delta("a")))
                .sendRawLater(last)
                .keepAlive());
        StreamOptions options = StreamOptions.defaults()
                .withClient(client)
                .withTime(new VirtualTimeSource())
                .withTimeouts(Timeouts.none()
                        .withIdleBetweenChunks(Duration.ofSeconds(30))
                        .withTotal(Duration.ofMinutes(5)))
                .withRetry(RetryPolicy.none())
                .withRecovery(RecoveryPolicy.continueUpTo(2));
        // ProviderStreams → timeouts → resilient → attempt timeouts → HTTP, under a BLOCK ChatStream
        try (ChatStream stream = ChatStream.builder(ProviderStreams.open(
                        List.of(new Target(new LineProtocol(), LineProtocol.config("a", server.baseUri()), "model-a")),
                        REQUEST,
                        options))
                .build()) {
            assertThat(delta(stream.next())).isEqualTo("a");

            LoopDriver driver =
                    LoopDriver.start(stream, () -> last.complete(Script.chunk(LineProtocol.sse("b")) + "0\r\n\r\n"));

            List<StreamChunk> chunks = driver.result.get(10, TimeUnit.SECONDS);
            assertThat(text(chunks)).isEqualTo("b");
            assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(driver.loopSteps.get()).isPositive();
        }
    }

    @Test
    void manyConcurrentLoopDrivenStreamsShareTheLoops() throws Exception {
        int streams = 1000;
        List<CompletableFuture<String>> lasts = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            CompletableFuture<String> last = new CompletableFuture<>();
            lasts.add(last);
            server.enqueue(Script.raw()
                    .sendRaw(Script.CHUNKED_SSE_HEAD + Script.chunk(LineProtocol.delta("s" + i)))
                    .sendRawLater(last));
        }
        List<LoopDriver> drivers = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            ChunkSource source = open(client, server.baseUri());
            assertThat(source.next()).isPresent();
            int n = i;
            drivers.add(LoopDriver.start(
                    source, () -> lasts.get(n).complete(Script.chunk(LineProtocol.sse("-" + n)) + "0\r\n\r\n")));
        }
        for (int i = 0; i < streams; i++) {
            assertThat(text(drivers.get(i).result.get(10, TimeUnit.SECONDS))).isEqualTo("-" + i);
        }
    }
}
