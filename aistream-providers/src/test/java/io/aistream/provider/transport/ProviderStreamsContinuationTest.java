package io.aistream.provider.transport;

import static io.aistream.provider.transport.Streams.REQUEST;
import static io.aistream.provider.transport.Upstreams.fixedJitter;
import static io.aistream.provider.transport.Upstreams.prefillTarget;
import static io.aistream.provider.transport.Upstreams.target;
import static io.aistream.testing.Chunks.done;
import static io.aistream.testing.Chunks.drain;
import static io.aistream.testing.Chunks.drainAsync;
import static io.aistream.testing.Chunks.errors;
import static io.aistream.testing.Chunks.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.Usage;
import io.aistream.provider.testing.LineProtocol;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.Timeouts;
import io.aistream.stream.VirtualTimeSource;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.RecordedRequest;
import io.aistream.testing.Script;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link ProviderStreams#openContinuation}: a stream that takes over an answer someone else began
 * delivering — the sent text as the assistant prefix, only the rest streamed, done recovered.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(UpstreamTransport.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProviderStreamsContinuationTest {
    private final FakeUpstream a = FakeUpstream.start();
    private final FakeUpstream b = FakeUpstream.start();
    private final VirtualTimeSource time = new VirtualTimeSource();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final StreamOptions options;

    ProviderStreamsContinuationTest(UpstreamTransport transport) {
        this.options = StreamOptions.defaults()
                .withClient(transport.client())
                .withTime(time)
                .withTimeouts(Timeouts.none())
                .withRetry(RetryPolicy.none())
                .withRecovery(RecoveryPolicy.fail())
                .withObserver(new AttemptObserver() {
                    @Override
                    public void retrying(String provider, String errorCode, Duration delay) {
                        heard.add("retrying " + provider + " " + errorCode);
                    }

                    @Override
                    public void fallingBack(String fromProvider, String toProvider, String errorCode) {
                        heard.add("falling back " + fromProvider + " -> " + toProvider);
                    }

                    @Override
                    public void continuing(String provider, String errorCode) {
                        heard.add("continuing " + provider + " " + errorCode);
                    }
                });
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private static JsonNode messages(RecordedRequest request) {
        return JsonMapper.shared().readTree(request.body()).path("messages");
    }

    private ChunkSource continuation(List<Target> chain, String sent, StreamOptions o) {
        return ProviderStreams.openContinuation(chain, REQUEST, sent, o).orElseThrow();
    }

    @Test
    void theUpstreamGetsTheSentTextAsPrefillAndOnlyTheRestIsStreamed() throws Exception {
        a.enqueue(Script.sse().send(LineProtocol.usage(12, 3) + LineProtocol.sse("ld", "!")));

        List<StreamChunk> chunks = drain(continuation(List.of(prefillTarget("a", a)), "Hello, wor", options));

        assertThat(text(chunks)).isEqualTo("ld!");
        assertThat(errors(chunks)).isEmpty();
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(done(chunks).recovered()).isTrue();
        assertThat(done(chunks).usage()).contains(Usage.of(12, 3));
        JsonNode sent = messages(a.requests().getFirst());
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).path("content").asString()).isEqualTo("Say hello");
        assertThat(sent.get(1).path("role").asString()).isEqualTo("assistant");
        assertThat(sent.get(1).path("content").asString()).isEqualTo("Hello, wor");
        assertThat(heard).as("a takeover is no failure: nothing to report").isEmpty();
    }

    @Test
    void anUpstreamThatRepeatsTheSentTextHasTheRepeatStrippedAndReasoningIsNotShownAgain() throws Exception {
        a.enqueue(Script.sse()
                .send(LineProtocol.reasoning("thinking it over") + LineProtocol.sse("Hel", "lo, w", "or", "ld", "!")));

        List<StreamChunk> chunks = drain(continuation(List.of(prefillTarget("a", a)), "Hello, wor", options));

        assertThat(text(chunks)).isEqualTo("ld!");
        assertThat(chunks).noneMatch(ReasoningChunk.class::isInstance);
        assertThat(done(chunks).recovered()).isTrue();
    }

    @Test
    void withNothingSentTheRequestGoesAsItIsWithoutReasoning() throws Exception {
        a.enqueue(Script.sse().send(LineProtocol.reasoning("hmm") + LineProtocol.sse("Hello")));

        List<StreamChunk> chunks = drain(continuation(List.of(prefillTarget("a", a)), "", options));

        assertThat(text(chunks)).isEqualTo("Hello");
        assertThat(chunks).noneMatch(ReasoningChunk.class::isInstance);
        assertThat(done(chunks).recovered()).isTrue();
        assertThat(messages(a.requests().getFirst())).hasSize(1);
    }

    @Test
    void aCallersOwnPrefillIsExtendedBySentText() throws Exception {
        ChatRequest prefilled = REQUEST.toBuilder().assistant("Sure: ").build();
        a.enqueue(Script.sse().send(LineProtocol.sse("lo")));

        List<StreamChunk> chunks =
                drain(ProviderStreams.openContinuation(List.of(prefillTarget("a", a)), prefilled, "Hel", options)
                        .orElseThrow());

        assertThat(text(chunks)).isEqualTo("lo");
        JsonNode sent = messages(a.requests().getFirst());
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).path("content").asString()).isEqualTo("Sure: Hel");
    }

    @Test
    void withoutAPrefillTargetThereIsNoContinuation() {
        assertThat(ProviderStreams.openContinuation(List.of(target("a", a)), REQUEST, "Hello", options))
                .isEmpty();
        assertThat(a.requests()).isEmpty();
    }

    @Test
    void aChainContinuesOnlyOnItsPrefillTargets() throws Exception {
        b.enqueue(Script.sse().send(LineProtocol.sse("lo")));

        List<StreamChunk> chunks = drain(continuation(List.of(target("a", a), prefillTarget("b", b)), "Hel", options));

        assertThat(text(chunks)).isEqualTo("lo");
        assertThat(done(chunks).provider()).contains("b");
        assertThat(a.requests()).isEmpty();
        assertThat(heard).isEmpty();
    }

    @Test
    void aFailureBeforeOutputIsRetriedPerTheRetryPolicyWithThePrefillAgain() throws Exception {
        StreamOptions retrying = options.withRetry(RetryPolicy.defaults()
                .withMaxAttempts(2)
                .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2.0)
                .withRandom(fixedJitter(0.5)));
        a.enqueue(Script.status(503).send("{}"));
        a.enqueue(Script.sse().send(LineProtocol.sse("ld")));
        CompletableFuture<List<StreamChunk>> result =
                drainAsync(continuation(List.of(prefillTarget("a", a)), "Hello, wor", retrying));

        await().atMost(Duration.ofSeconds(10)).until(() -> time.pendingTasks() == 1);
        assertThat(time.pendingDueTimes())
                .containsExactly(Duration.ofMillis(500).toNanos());
        time.advance(Duration.ofMillis(500));

        List<StreamChunk> chunks = result.get(10, TimeUnit.SECONDS);
        assertThat(text(chunks)).isEqualTo("ld");
        assertThat(errors(chunks)).isEmpty();
        assertThat(done(chunks).recovered()).isTrue();
        assertThat(heard).singleElement().asString().startsWith("retrying a ");
        assertThat(a.requests()).hasSize(2);
        for (RecordedRequest r : a.requests()) {
            assertThat(messages(r).get(1).path("content").asString()).isEqualTo("Hello, wor");
        }
    }

    @Test
    void theTakeoverDoesNotUseUpTheContinuationsOfTheRecoveryPolicy() throws Exception {
        StreamOptions once = options.withRecovery(RecoveryPolicy.continueUpTo(1));
        a.enqueue(Script.sse().send(LineProtocol.delta("ld, ")).cut());
        a.enqueue(Script.sse().send(LineProtocol.sse("and more")));

        List<StreamChunk> chunks = drain(continuation(List.of(prefillTarget("a", a)), "Hello, wor", once));

        assertThat(text(chunks)).isEqualTo("ld, and more");
        assertThat(errors(chunks)).isEmpty();
        assertThat(done(chunks).recovered()).isTrue();
        assertThat(heard).containsExactly("continuing a incomplete_stream");
        assertThat(messages(a.requests().get(1)).get(1).path("content").asString())
                .isEqualTo("Hello, world, ");
    }

    @Test
    void aFailureAfterOutputEndsHonestlyWhenTheRecoveryPolicySaysFail() throws Exception {
        a.enqueue(Script.sse().send(LineProtocol.delta("ld, ")).cut());

        List<StreamChunk> chunks = drain(continuation(List.of(prefillTarget("a", a)), "Hello, wor", options));

        assertThat(text(chunks)).isEqualTo("ld, ");
        assertThat(errors(chunks))
                .singleElement()
                .satisfies(e -> assertThat(e.error().code()).isEqualTo("incomplete_stream"));
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(done(chunks).recovered()).isFalse();
        assertThat(a.requests()).hasSize(1);
    }

    @Test
    void anEmptyChainIsRefused() {
        assertThatThrownBy(() -> ProviderStreams.openContinuation(List.of(), REQUEST, "x", options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one target");
    }
}
