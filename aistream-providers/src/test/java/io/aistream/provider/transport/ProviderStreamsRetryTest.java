package io.aistream.provider.transport;

import static io.aistream.provider.transport.Streams.REQUEST;
import static io.aistream.provider.transport.Upstreams.fixedJitter;
import static io.aistream.provider.transport.Upstreams.target;
import static io.aistream.testing.Chunks.done;
import static io.aistream.testing.Chunks.drain;
import static io.aistream.testing.Chunks.drainAsync;
import static io.aistream.testing.Chunks.errors;
import static io.aistream.testing.Chunks.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.testing.LineProtocol;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.Timeouts;
import io.aistream.stream.VirtualTimeSource;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.Script;
import io.aistream.testing.UpstreamConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(UpstreamTransport.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProviderStreamsRetryTest {
    private final FakeUpstream upstream = FakeUpstream.start();
    private final VirtualTimeSource time = new VirtualTimeSource();
    private final StreamOptions options;

    ProviderStreamsRetryTest(UpstreamTransport transport) {
        this.options = StreamOptions.defaults()
                .withClient(transport.client())
                .withTime(time)
                .withTimeouts(Timeouts.none())
                .withRetry(RetryPolicy.defaults()
                        .withMaxAttempts(3)
                        .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 3.0)
                        .withRandom(fixedJitter(0.25)));
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    private ChunkSource open(StreamOptions o) {
        return ProviderStreams.open(List.of(target("line", upstream)), REQUEST, o);
    }

    private static Script status(int status) {
        return Script.status(status)
                .header("content-type", "application/json")
                .send("{\"error\":{\"type\":\"server_error\",\"message\":\"try later\"}}");
    }

    /** Waits until the consumer waits on exactly one timer, asserts it is due {@code delay} from now, and fires it. */
    private void expectWaitOf(Duration delay) {
        await().atMost(Duration.ofSeconds(10)).until(() -> time.pendingTasks() == 1);
        assertThat(time.pendingDueTimes()).containsExactly(time.nanoTime() + delay.toNanos());
        time.advance(delay);
    }

    @Test
    void rateLimitedIsRetriedAfterExactlyTheRetryAfterDelay() throws Exception {
        upstream.enqueue(
                Script.status(429).header("retry-after", "7").send("{\"error\":{\"type\":\"rate_limit_error\"}}"));
        upstream.enqueue(Script.sse().send(LineProtocol.sse("Hel", "lo")));
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<List<StreamChunk>> result = drainAsync(open(options.withObserver(new AttemptObserver() {
            @Override
            public void retrying(String provider, String errorCode, Duration delay) {
                heard.add(provider + " " + errorCode + " " + delay);
            }
        })));

        await().until(() -> time.pendingTasks() == 1);
        assertThat(heard).containsExactly("line rate_limited PT7S"); // told before the wait
        assertThat(time.pendingDueTimes()).containsExactly(Duration.ofSeconds(7).toNanos());
        assertThat(upstream.connections()).hasSize(1);
        time.advance(Duration.ofSeconds(7).minusNanos(1));
        assertThat(upstream.connections()).hasSize(1);
        time.advance(Duration.ofNanos(1));

        List<StreamChunk> chunks = result.get(10, TimeUnit.SECONDS);
        assertThat(text(chunks)).isEqualTo("Hello");
        assertThat(errors(chunks)).isEmpty();
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(upstream.requests()).hasSize(2);
    }

    @Test
    void aRetryAfterMsHintLongerThanTheCapWaitsTheCap() throws Exception {
        upstream.enqueue(Script.status(503).header("retry-after-ms", "90000").send("{}"));
        upstream.enqueue(Script.sse().send(LineProtocol.sse("ok")));
        CompletableFuture<List<StreamChunk>> result =
                drainAsync(open(options.withRetry(options.retry().withMaxRetryAfter(Duration.ofSeconds(10)))));

        expectWaitOf(Duration.ofSeconds(10));

        assertThat(text(result.get(10, TimeUnit.SECONDS))).isEqualTo("ok");
    }

    @Test
    void serverErrorsAreRetriedWithFullJitterUnderAGrowingCappedCeiling() throws Exception {
        upstream.enqueue(status(500));
        upstream.enqueue(status(502));
        upstream.enqueue(Script.sse().send(LineProtocol.sse("third time lucky")));
        CompletableFuture<List<StreamChunk>> result = drainAsync(open(options));

        expectWaitOf(Duration.ofMillis(250)); // 0.25 × 1 s
        expectWaitOf(Duration.ofMillis(500)); // 0.25 × min(3 s, 2 s)

        List<StreamChunk> chunks = result.get(10, TimeUnit.SECONDS);
        assertThat(text(chunks)).isEqualTo("third time lucky");
        assertThat(errors(chunks)).isEmpty();
    }

    @Test
    void anOverloadedErrorEventBeforeOutputIsRetriedNotDelivered() throws Exception {
        upstream.enqueue(Script.sse().send(LineProtocol.error("overloaded_error", "Overloaded", true)));
        upstream.enqueue(Script.sse().send(LineProtocol.sse("fine now")));
        CompletableFuture<List<StreamChunk>> result = drainAsync(open(options));

        expectWaitOf(Duration.ofMillis(250));

        List<StreamChunk> chunks = result.get(10, TimeUnit.SECONDS);
        assertThat(text(chunks)).isEqualTo("fine now");
        assertThat(errors(chunks)).isEmpty();
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void aFirstChunkTimeoutBeforeOutputIsRetried() throws Exception {
        upstream.enqueue(Script.sse().stall().send(LineProtocol.sse("too late")));
        upstream.enqueue(Script.sse().send(LineProtocol.sse("in time")));
        CompletableFuture<List<StreamChunk>> result =
                drainAsync(open(options.withTimeouts(Timeouts.none().withFirstChunk(Duration.ofSeconds(5)))
                        .withRetry(options.retry().withBackoff(Duration.ZERO, Duration.ZERO, 1.0))));
        UpstreamConnection first = upstream.awaitConnection(0);
        first.stalled().get(5, TimeUnit.SECONDS);

        expectWaitOf(Duration.ofSeconds(5));

        first.awaitClosedByClient();
        List<StreamChunk> chunks = result.get(10, TimeUnit.SECONDS);
        assertThat(text(chunks)).isEqualTo("in time");
        assertThat(errors(chunks)).isEmpty();
    }

    @Test
    void anHttpErrorThatIsNotRetryableEndsTheStreamWithItsFieldsInAnErrorChunk() throws Exception {
        upstream.enqueue(Script.status(400)
                .header("x-request-id", "req_7")
                .send("{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad temperature\"}}"));

        List<StreamChunk> chunks = drain(open(options));

        assertThat(errors(chunks)).singleElement().satisfies(e -> {
            assertThat(e.error().code()).isEqualTo("invalid_request");
            assertThat(e.error().status()).hasValue(400);
            assertThat(e.error().provider()).contains("line");
            assertThat(e.error().retryable()).isFalse();
            assertThat(e.error().message())
                    .contains("invalid_request_error", "bad temperature", "req_7", "line: HTTP 400 invalid_request");
        });
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(upstream.requests()).hasSize(1);
    }

    @Test
    void retriesStopAfterMaxAttemptsAndTheErrorListsEveryAttempt() throws Exception {
        upstream.enqueue(status(500))
                .enqueue(status(503))
                .enqueue(Script.status(429).send("{}"));
        CompletableFuture<List<StreamChunk>> result = drainAsync(open(options));

        expectWaitOf(Duration.ofMillis(250));
        expectWaitOf(Duration.ofMillis(500));

        List<StreamChunk> chunks = result.get(10, TimeUnit.SECONDS);
        assertThat(errors(chunks)).singleElement().satisfies(e -> {
            assertThat(e.error().code()).isEqualTo("rate_limited");
            assertThat(e.error().status()).hasValue(429);
            assertThat(e.error().message())
                    .contains(
                            "3 attempts failed: line: HTTP 500 upstream_error; line: HTTP 503 upstream_error; line: HTTP 429 rate_limited");
        });
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(done(chunks).provider()).contains("line");
        assertThat(upstream.requests()).hasSize(3);
    }

    @Test
    void cancellingDuringABackoffWaitEndsAtOnceWithoutAnotherRequest() throws Exception {
        upstream.enqueue(status(500));
        ChunkSource source = open(options);
        CompletableFuture<List<StreamChunk>> result = drainAsync(source);
        await().until(() -> time.pendingTasks() == 1);

        source.cancel();

        assertThat(result.get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(time.pendingTasks()).isZero();
        assertThat(upstream.connections()).hasSize(1);
    }
}
