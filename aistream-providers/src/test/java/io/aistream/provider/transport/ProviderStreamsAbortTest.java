package io.aistream.provider.transport;

import static io.aistream.provider.transport.Streams.REQUEST;
import static io.aistream.provider.transport.Upstreams.target;
import static io.aistream.testing.Chunks.done;
import static io.aistream.testing.Chunks.drainAsync;
import static io.aistream.testing.Chunks.errors;
import static io.aistream.testing.Chunks.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.testing.LineProtocol;
import io.aistream.stream.ChatStream;
import io.aistream.stream.StreamManager;
import io.aistream.stream.Timeouts;
import io.aistream.stream.VirtualTimeSource;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.Script;
import io.aistream.testing.UpstreamConnection;
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

/**
 * Abort and time limits, over real sockets. Each abort test holds the upstream in a stall that only
 * the client's close ends, so seeing the client close the connection proves the abort did not wait
 * for the upstream; it is waited for as an event (guarded by the fake upstream's timeout), not timed.
 * The time limits run on virtual time.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(UpstreamTransport.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProviderStreamsAbortTest {
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
        CompletableFuture<Optional<StreamChunk>> next = CompletableFuture.supplyAsync(
                stream::next, r -> Thread.ofVirtual().start(r));
        upstream.awaitConnection(0).stalled().get(10, TimeUnit.SECONDS);
        return next;
    }

    @Test
    void closingTheChatStreamClosesTheStalledUpstreamConnection() throws Exception {
        ChatStream stream = ProviderStreams.stream(List.of(target("line", upstream)), REQUEST, options);
        CompletableFuture<Optional<StreamChunk>> next = blockedAfterFirstChunk(stream);

        stream.close();

        upstream.awaitConnection(0).awaitClosedByClient();
        assertThat(next.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void abortingThroughTheStreamManagerClosesTheStalledUpstreamConnection() throws Exception {
        StreamManager manager = new StreamManager();
        ChatStream stream = ProviderStreams.stream(List.of(target("line", upstream)), REQUEST, options, manager);
        assertThat(manager.active()).containsExactly(stream.id());
        CompletableFuture<Optional<StreamChunk>> next = blockedAfterFirstChunk(stream);

        assertThat(manager.abort(stream.id())).isTrue();

        upstream.awaitConnection(0).awaitClosedByClient();
        assertThat(next.get(10, TimeUnit.SECONDS))
                .hasValueSatisfying(c -> assertThat(c)
                        .isInstanceOfSatisfying(
                                DoneChunk.class,
                                d -> assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED)));
        assertThat(manager.activeCount()).isZero();
        stream.close();
    }

    @Test
    void abortingBeforeTheResponseHeadClosesTheStalledConnection() throws Exception {
        upstream.enqueue(Script.sse().stall().send(LineProtocol.sse("late")));
        StreamManager manager = new StreamManager();
        ChatStream stream = ProviderStreams.stream(List.of(target("line", upstream)), REQUEST, options, manager);
        CompletableFuture<Optional<StreamChunk>> first = CompletableFuture.supplyAsync(
                stream::next, r -> Thread.ofVirtual().start(r));
        UpstreamConnection connection = upstream.awaitConnection(0);
        connection.stalled().get(10, TimeUnit.SECONDS);

        manager.abort(stream.id());

        connection.awaitClosedByClient();
        assertThat(first.get(10, TimeUnit.SECONDS))
                .hasValueSatisfying(c -> assertThat(c).isInstanceOf(DoneChunk.class));
        stream.close();
    }

    @Test
    void aStalledStreamEndsWithAnIdleTimeoutAndItsConnectionClosed() throws Exception {
        upstream.enqueue(Script.sse().send(LineProtocol.delta("Hi")).stall());
        VirtualTimeSource time = new VirtualTimeSource();
        StreamOptions idle =
                options.withTime(time).withTimeouts(Timeouts.none().withIdleBetweenChunks(Duration.ofMillis(200)));
        CompletableFuture<List<StreamChunk>> result =
                drainAsync(ProviderStreams.open(List.of(target("line", upstream)), REQUEST, idle));
        upstream.awaitConnection(0).stalled().get(10, TimeUnit.SECONDS);
        await().until(() -> time.pendingTasks() == 1); // the idle watchdog of the wait after "Hi"

        time.advance(Duration.ofMillis(200));

        List<StreamChunk> chunks = result.get(10, TimeUnit.SECONDS);

        assertThat(text(chunks)).isEqualTo("Hi");
        assertThat(errors(chunks)).singleElement().satisfies(e -> {
            assertThat(e.error().code()).isEqualTo("idle_timeout");
            assertThat(e.error().message()).contains("200 ms");
        });
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        upstream.awaitConnection(0).awaitClosedByClient();
        assertThat(upstream.requests()).hasSize(1);
    }

    @Test
    void theTotalLimitCoversRetriesAndEndsTheStream() throws Exception {
        VirtualTimeSource time = new VirtualTimeSource();
        upstream.enqueue(Script.status(500).send("{}"));
        StreamOptions total = options.withTime(time)
                .withTimeouts(Timeouts.none().withTotal(Duration.ofSeconds(3)))
                .withRetry(RetryPolicy.defaults()
                        .withBackoff(Duration.ofSeconds(10), Duration.ofSeconds(10), 1.0)
                        .withRandom(Upstreams.fixedJitter(1.0 - 1e-9)));
        CompletableFuture<List<StreamChunk>> result =
                drainAsync(ProviderStreams.open(List.of(target("line", upstream)), REQUEST, total));
        await().until(() -> time.pendingTasks() == 2); // total limit + backoff

        time.advance(Duration.ofSeconds(3));

        List<StreamChunk> chunks = result.get(10, TimeUnit.SECONDS);
        assertThat(errors(chunks))
                .singleElement()
                .satisfies(e -> assertThat(e.error().code()).isEqualTo("total_timeout"));
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(upstream.requests()).hasSize(1);
    }
}
