package io.aistream.provider.transport;

import static io.aistream.provider.transport.Streams.REQUEST;
import static io.aistream.provider.transport.Streams.done;
import static io.aistream.provider.transport.Streams.drain;
import static io.aistream.provider.transport.Streams.errors;
import static io.aistream.provider.transport.Streams.text;
import static io.aistream.provider.transport.Upstreams.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.testing.FakeUpstream;
import io.aistream.provider.testing.FakeUpstream.Script;
import io.aistream.provider.testing.LineProtocol;
import io.aistream.stream.ChatStream;
import io.aistream.stream.StreamManager;
import io.aistream.stream.TimeSource;
import io.aistream.stream.Timeouts;
import io.aistream.stream.VirtualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Abort and time limits, over real sockets. */
@ParameterizedClass(name = "{0}")
@EnumSource(UpstreamTransport.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProviderStreamsAbortTest {
    private static final Duration PROMPTLY = Duration.ofMillis(100);

    private final FakeUpstream upstream = FakeUpstream.start();
    private final StreamOptions options;

    ProviderStreamsAbortTest(UpstreamTransport transport) {
        this.options = StreamOptions.defaults().withClient(transport.client());
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    /** Starts a stream whose upstream sends "Hi" then stalls; returns once the consumer has "Hi" and waits for more. */
    private CompletableFuture<Optional<StreamChunk>> blockedAfterFirstChunk(ChatStream stream) throws Exception {
        upstream.enqueue(Script.sse().send(LineProtocol.delta("Hi")).stall());
        assertThat(stream.next()).hasValueSatisfying(c -> assertThat(c).isInstanceOf(ContentChunk.class));
        CompletableFuture<Optional<StreamChunk>> next = CompletableFuture.supplyAsync(stream::next,
                r -> Thread.ofVirtual().start(r));
        upstream.awaitConnection(0).stalled().get(5, TimeUnit.SECONDS);
        return next;
    }

    @Test
    void closingTheChatStreamClosesTheUpstreamConnectionPromptly() throws Exception {
        ChatStream stream = ProviderStreams.stream(List.of(target("line", upstream)), REQUEST, options);
        CompletableFuture<Optional<StreamChunk>> next = blockedAfterFirstChunk(stream);

        long closedAt = System.nanoTime();
        stream.close();

        long seenAt = upstream.awaitConnection(0).closedByClient().get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(seenAt - closedAt)).isLessThan(PROMPTLY);
        assertThat(next.get(5, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void abortingThroughTheStreamManagerClosesTheUpstreamConnectionPromptly() throws Exception {
        StreamManager manager = new StreamManager();
        ChatStream stream = ProviderStreams.stream(List.of(target("line", upstream)), REQUEST, options, manager);
        assertThat(manager.active()).containsExactly(stream.id());
        CompletableFuture<Optional<StreamChunk>> next = blockedAfterFirstChunk(stream);

        long abortedAt = System.nanoTime();
        assertThat(manager.abort(stream.id())).isTrue();

        long seenAt = upstream.awaitConnection(0).closedByClient().get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(seenAt - abortedAt)).isLessThan(PROMPTLY);
        assertThat(next.get(5, TimeUnit.SECONDS)).hasValueSatisfying(c -> assertThat(c)
                .isInstanceOfSatisfying(DoneChunk.class, d -> assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED)));
        assertThat(manager.activeCount()).isZero();
        stream.close();
    }

    @Test
    void abortingBeforeTheResponseHeadClosesTheConnectionPromptly() throws Exception {
        upstream.enqueue(Script.sse().stall().send(LineProtocol.sse("late")));
        StreamManager manager = new StreamManager();
        ChatStream stream = ProviderStreams.stream(List.of(target("line", upstream)), REQUEST, options, manager);
        CompletableFuture<Optional<StreamChunk>> first = CompletableFuture.supplyAsync(stream::next,
                r -> Thread.ofVirtual().start(r));
        FakeUpstream.Connection connection = upstream.awaitConnection(0);
        connection.stalled().get(5, TimeUnit.SECONDS);

        long abortedAt = System.nanoTime();
        manager.abort(stream.id());

        long seenAt = connection.closedByClient().get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(seenAt - abortedAt)).isLessThan(PROMPTLY);
        assertThat(first.get(5, TimeUnit.SECONDS)).hasValueSatisfying(c -> assertThat(c).isInstanceOf(DoneChunk.class));
        stream.close();
    }

    @Test
    void aStalledStreamEndsWithAnIdleTimeoutAndItsConnectionClosed() throws Exception {
        upstream.enqueue(Script.sse().send(LineProtocol.delta("Hi")).stall());
        StreamOptions idle = options.withTime(TimeSource.system())
                .withTimeouts(Timeouts.none().withIdleBetweenChunks(Duration.ofMillis(200)));

        List<StreamChunk> chunks = drain(ProviderStreams.open(List.of(target("line", upstream)), REQUEST, idle));

        assertThat(text(chunks)).isEqualTo("Hi");
        assertThat(errors(chunks)).singleElement().satisfies(e -> {
            assertThat(e.error().code()).isEqualTo("idle_timeout");
            assertThat(e.error().message()).contains("200 ms");
        });
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        upstream.awaitConnection(0).closedByClient().get(5, TimeUnit.SECONDS);
        assertThat(upstream.requests()).hasSize(1);
    }

    @Test
    void theTotalLimitCoversRetriesAndEndsTheStream() throws Exception {
        VirtualTimeSource time = new VirtualTimeSource();
        upstream.enqueue(Script.status(500).send("{}"));
        StreamOptions total = options.withTime(time)
                .withTimeouts(Timeouts.none().withTotal(Duration.ofSeconds(3)))
                .withRetry(RetryPolicy.defaults().withBackoff(Duration.ofSeconds(10), Duration.ofSeconds(10), 1.0)
                        .withRandom(Upstreams.fixedJitter(1.0 - 1e-9)));
        CompletableFuture<List<StreamChunk>> result = Upstreams.drainAsync(
                ProviderStreams.open(List.of(target("line", upstream)), REQUEST, total));
        org.awaitility.Awaitility.await().until(() -> time.pendingTasks() == 2); // total limit + backoff

        time.advance(Duration.ofSeconds(3));

        List<StreamChunk> chunks = result.get(10, TimeUnit.SECONDS);
        assertThat(errors(chunks)).singleElement().satisfies(e -> assertThat(e.error().code()).isEqualTo("total_timeout"));
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(upstream.requests()).hasSize(1);
    }
}
