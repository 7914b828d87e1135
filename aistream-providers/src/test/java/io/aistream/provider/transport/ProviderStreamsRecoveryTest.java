package io.aistream.provider.transport;

import static io.aistream.provider.transport.Streams.REQUEST;
import static io.aistream.provider.transport.Upstreams.prefillTarget;
import static io.aistream.provider.transport.Upstreams.target;
import static io.aistream.testing.Chunks.done;
import static io.aistream.testing.Chunks.drain;
import static io.aistream.testing.Chunks.drainAsync;
import static io.aistream.testing.Chunks.errors;
import static io.aistream.testing.Chunks.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.Usage;
import io.aistream.provider.testing.LineProtocol;
import io.aistream.stream.Timeouts;
import io.aistream.stream.VirtualTimeSource;
import io.aistream.testing.FakeUpstream;
import io.aistream.testing.RecordedRequest;
import io.aistream.testing.Script;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ParameterizedClass(name = "{0}")
@EnumSource(UpstreamTransport.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProviderStreamsRecoveryTest {
    private final FakeUpstream a = FakeUpstream.start();
    private final FakeUpstream b = FakeUpstream.start();
    private final StreamOptions options;

    ProviderStreamsRecoveryTest(UpstreamTransport transport) {
        this.options = StreamOptions.defaults()
                .withClient(transport.client())
                .withTime(new VirtualTimeSource())
                .withTimeouts(Timeouts.none())
                .withRetry(RetryPolicy.none())
                .withRecovery(RecoveryPolicy.continueUpTo(2));
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private static JsonNode messages(RecordedRequest request) {
        return JsonMapper.shared().readTree(request.body()).path("messages");
    }

    @Test
    void aCutAnswerIsContinuedWithAnInstructionAndStreamedExactlyOnce() throws Exception {
        a.enqueue(Script.sse()
                .send(LineProtocol.delta("Hello, ") + LineProtocol.delta("wor"))
                .cut());
        a.enqueue(Script.sse().send(LineProtocol.usage(20, 2) + LineProtocol.sse("ld", "!")));

        List<StreamChunk> chunks = drain(ProviderStreams.open(List.of(target("a", a)), REQUEST, options));

        assertThat(chunks.stream().filter(ContentChunk.class::isInstance).map(c -> ((ContentChunk) c).delta()))
                .containsExactly("Hello, ", "wor", "ld", "!");
        assertThat(errors(chunks)).isEmpty();
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(done(chunks).recovered()).isTrue();
        assertThat(done(chunks).usage()).contains(Usage.of(20, 2));
        JsonNode continued = messages(a.requests().get(1));
        assertThat(continued).hasSize(3);
        assertThat(continued.get(0).path("content").asString()).isEqualTo("Say hello");
        assertThat(continued.get(1).path("role").asString()).isEqualTo("assistant");
        assertThat(continued.get(1).path("content").asString()).isEqualTo("Hello, wor");
        assertThat(continued.get(2).path("role").asString()).isEqualTo("user");
        assertThat(continued.get(2).path("content").asString()).isEqualTo(Continuation.INSTRUCTION);
    }

    @Test
    void withPrefillThePartialAnswerIsTheAssistantPrefixAndARepeatedPrefixIsStripped() throws Exception {
        a.enqueue(Script.sse()
                .send(LineProtocol.delta("Hello, ") + LineProtocol.delta("wor"))
                .cut());
        a.enqueue(Script.sse().send(LineProtocol.sse("Hel", "lo, wo", "rld", "!")));

        List<StreamChunk> chunks = drain(ProviderStreams.open(List.of(prefillTarget("a", a)), REQUEST, options));

        assertThat(text(chunks)).isEqualTo("Hello, world!");
        assertThat(done(chunks).recovered()).isTrue();
        JsonNode continued = messages(a.requests().get(1));
        assertThat(continued).hasSize(2);
        assertThat(continued.get(1).path("role").asString()).isEqualTo("assistant");
        assertThat(continued.get(1).path("content").asString()).isEqualTo("Hello, wor");
    }

    @Test
    void aContinuationThatFailsBeforeOutputFallsBackToTheNextTarget() throws Exception {
        a.enqueue(Script.sse()
                .send(LineProtocol.reasoning("thinking") + LineProtocol.delta("The answer "))
                .cut());
        a.enqueue(Script.status(503).send("{}"));
        b.enqueue(Script.sse().send(LineProtocol.reasoning("thinking again") + LineProtocol.sse("is 42.")));

        List<StreamChunk> chunks =
                drain(ProviderStreams.open(List.of(target("a", a), target("b", b)), REQUEST, options));

        assertThat(text(chunks)).isEqualTo("The answer is 42.");
        assertThat(chunks.stream().filter(ReasoningChunk.class::isInstance))
                .singleElement()
                .isEqualTo(ReasoningChunk.of("thinking"));
        assertThat(done(chunks).provider()).contains("b");
        assertThat(done(chunks).recovered()).isTrue();
        assertThat(messages(b.requests().getFirst()).get(1).path("content").asString())
                .isEqualTo("The answer ");
    }

    @Test
    void aTurnThatAlreadyCalledAToolIsNotContinued() throws Exception {
        a.enqueue(Script.sse()
                .send(LineProtocol.tool(0, "call_1", "get_weather", "{\"city\":"))
                .cut());

        List<StreamChunk> chunks = drain(ProviderStreams.open(List.of(target("a", a)), REQUEST, options));

        assertThat(chunks.stream().filter(ToolCallChunk.class::isInstance)).hasSize(1);
        assertThat(errors(chunks))
                .singleElement()
                .satisfies(e -> assertThat(e.error().code()).isEqualTo("incomplete_stream"));
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(done(chunks).recovered()).isFalse();
        assertThat(a.requests()).hasSize(1);
    }

    @Test
    void continuationsAreLimitedAndThenTheStreamEndsHonestly() throws Exception {
        StreamOptions once = options.withRecovery(RecoveryPolicy.continueUpTo(1));
        a.enqueue(Script.sse().send(LineProtocol.delta("one ")).cut());
        a.enqueue(Script.sse().send(LineProtocol.delta("two ")).cut());

        List<StreamChunk> chunks = drain(ProviderStreams.open(List.of(target("a", a)), REQUEST, once));

        assertThat(text(chunks)).isEqualTo("one two ");
        assertThat(errors(chunks))
                .singleElement()
                .satisfies(e -> assertThat(e.error().code()).isEqualTo("incomplete_stream"));
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(done(chunks).recovered()).isFalse();
        assertThat(a.requests()).hasSize(2);
    }

    @Test
    void aNonRetryableErrorAfterOutputIsNotContinued() throws Exception {
        a.enqueue(Script.sse().send(LineProtocol.delta("ok") + "data: garbage\n\n"));

        List<StreamChunk> chunks = drain(ProviderStreams.open(List.of(target("a", a)), REQUEST, options));

        assertThat(text(chunks)).isEqualTo("ok");
        assertThat(errors(chunks))
                .singleElement()
                .satisfies(e -> assertThat(e.error().code()).isEqualTo("malformed_event"));
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(a.requests()).hasSize(1);
    }

    @Test
    void anIdleTimeoutAfterOutputIsContinued() throws Exception {
        VirtualTimeSource time = new VirtualTimeSource();
        StreamOptions idle =
                options.withTime(time).withTimeouts(Timeouts.none().withIdleBetweenChunks(Duration.ofMillis(200)));
        a.enqueue(Script.sse().send(LineProtocol.delta("slow ")).stall());
        a.enqueue(Script.sse().send(LineProtocol.sse("and steady")));
        CompletableFuture<List<StreamChunk>> result =
                drainAsync(ProviderStreams.open(List.of(target("a", a)), REQUEST, idle));
        a.awaitConnection(0).stalled().get(10, TimeUnit.SECONDS);
        await().until(() -> time.pendingTasks() == 1); // the idle watchdog of the wait after "slow "

        time.advance(Duration.ofMillis(200));

        List<StreamChunk> chunks = result.get(10, TimeUnit.SECONDS);

        assertThat(text(chunks)).isEqualTo("slow and steady");
        assertThat(done(chunks).recovered()).isTrue();
        a.awaitConnection(0).awaitClosedByClient();
    }
}
