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
import io.aistream.chunk.Usage;
import io.aistream.provider.testing.LineProtocol;
import io.aistream.stream.ChatStream;
import io.aistream.stream.Timeouts;
import io.aistream.stream.VirtualTimeSource;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.Script;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The done chunk of a stream that is aborted or fails before the provider's own end carries the
 * usage the provider reported so far, the provider and the model; where nothing was reported the
 * usage stays empty (unknown). Over real sockets: the upstream reports input tokens first (as
 * Anthropic's {@code message_start} does), sends a delta, then stalls until the client closes.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProviderStreamsUsageSoFarTest {
    private final FakeUpstream upstream = FakeUpstream.start();
    private final FakeUpstream second = FakeUpstream.start();
    private final VirtualTimeSource time = new VirtualTimeSource();
    private final StreamOptions options = StreamOptions.defaults()
            .withTime(time)
            .withTimeouts(Timeouts.none())
            .withRetry(RetryPolicy.none())
            .withRecovery(RecoveryPolicy.fail());

    @AfterEach
    void stop() {
        upstream.close();
        second.close();
    }

    /** Reads up to the first delta, then blocks a reader on the stalled upstream. */
    private CompletableFuture<Optional<StreamChunk>> blockedAfterFirstDelta(ChatStream stream) throws Exception {
        assertThat(stream.next()).hasValueSatisfying(c -> assertThat(c).isInstanceOf(ContentChunk.class));
        CompletableFuture<Optional<StreamChunk>> next = CompletableFuture.supplyAsync(
                stream::next, r -> Thread.ofVirtual().start(r));
        upstream.awaitConnection(0).stalled().get(10, TimeUnit.SECONDS);
        return next;
    }

    @Test
    void anAbortedStreamsDoneCarriesTheUsageReportedSoFarTheProviderAndTheModel() throws Exception {
        upstream.enqueue(Script.sse()
                .send(LineProtocol.usage(1200, 0) + LineProtocol.delta("Hi"))
                .stall());
        ChatStream stream = ProviderStreams.stream(List.of(target("line", upstream)), REQUEST, options);
        CompletableFuture<Optional<StreamChunk>> next = blockedAfterFirstDelta(stream);

        assertThat(stream.abort()).isTrue();

        upstream.awaitConnection(0).awaitClosedByClient();
        DoneChunk done = (DoneChunk) next.get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(done.finishReason()).isEqualTo(FinishReason.ABORTED);
        assertThat(done.usage()).contains(Usage.of(1200, 0));
        assertThat(done.provider()).contains("line");
        assertThat(done.model()).contains("model-line");
        stream.close();
    }

    @Test
    void anAbortBeforeAnyUsageLeavesTheUsageUnknownButNamesProviderAndModel() throws Exception {
        upstream.enqueue(Script.sse().send(LineProtocol.delta("Hi")).stall());
        ChatStream stream = ProviderStreams.stream(List.of(target("line", upstream)), REQUEST, options);
        CompletableFuture<Optional<StreamChunk>> next = blockedAfterFirstDelta(stream);

        stream.abort();

        DoneChunk done = (DoneChunk) next.get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(done.finishReason()).isEqualTo(FinishReason.ABORTED);
        assertThat(done.usage()).isEmpty();
        assertThat(done.provider()).contains("line");
        assertThat(done.model()).contains("model-line");
        stream.close();
    }

    @Test
    void aStreamThatTimesOutMidAnswerEndsWithTheUsageReportedSoFar() throws Exception {
        upstream.enqueue(Script.sse()
                .send(LineProtocol.usage(900, 0) + LineProtocol.delta("Hi"))
                .stall());
        StreamOptions idle = options.withTimeouts(Timeouts.none().withIdleBetweenChunks(Duration.ofMillis(200)));
        CompletableFuture<List<StreamChunk>> result =
                drainAsync(ProviderStreams.open(List.of(target("line", upstream)), REQUEST, idle));
        upstream.awaitConnection(0).stalled().get(10, TimeUnit.SECONDS);
        await().until(() -> time.pendingTasks() == 1);

        time.advance(Duration.ofMillis(200));

        List<StreamChunk> chunks = result.get(10, TimeUnit.SECONDS);
        assertThat(text(chunks)).isEqualTo("Hi");
        assertThat(errors(chunks))
                .singleElement()
                .satisfies(e -> assertThat(e.error().code()).isEqualTo("idle_timeout"));
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(done(chunks).usage()).contains(Usage.of(900, 0));
        assertThat(done(chunks).provider()).contains("line");
        assertThat(done(chunks).model()).contains("model-line");
    }

    @Test
    void theDoneOfARecoveredStreamBillsEveryAttempt() throws Exception {
        upstream.enqueue(Script.sse()
                .send(LineProtocol.usage(100, 0) + LineProtocol.delta("Hello, "))
                .cut());
        upstream.enqueue(Script.sse().send(LineProtocol.usage(120, 5) + LineProtocol.sse("world")));
        StreamOptions recovering = options.withRecovery(RecoveryPolicy.continueUpTo(1));

        List<StreamChunk> chunks = drainAsync(
                        ProviderStreams.open(List.of(target("line", upstream)), REQUEST, recovering))
                .get(10, TimeUnit.SECONDS);

        assertThat(text(chunks)).isEqualTo("Hello, world");
        assertThat(done(chunks).recovered()).isTrue();
        // the cut attempt reported 100 input tokens and the continuation 120 + 5: the bill is both
        assertThat(done(chunks).usage()).contains(Usage.of(220, 5));
    }

    @Test
    void aFallbackAfterAFailedAttemptBillsOnlyTheAttemptsThatReportedUsage() throws Exception {
        upstream.enqueue(Script.status(503).send("{\"error\":{\"type\":\"overloaded\",\"message\":\"busy\"}}"));
        second.enqueue(Script.sse()
                .send(LineProtocol.usage(50, 0) + LineProtocol.delta("Hi"))
                .stall());
        ChatStream stream =
                ProviderStreams.stream(List.of(target("first", upstream), target("second", second)), REQUEST, options);
        assertThat(stream.next()).hasValueSatisfying(c -> assertThat(c).isInstanceOf(ContentChunk.class));
        CompletableFuture<Optional<StreamChunk>> next = CompletableFuture.supplyAsync(
                stream::next, r -> Thread.ofVirtual().start(r));
        second.awaitConnection(0).stalled().get(10, TimeUnit.SECONDS);

        stream.abort();

        DoneChunk done = (DoneChunk) next.get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(done.usage()).contains(Usage.of(50, 0));
        assertThat(done.provider()).contains("second");
        assertThat(done.model()).contains("model-second");
        stream.close();
    }
}
