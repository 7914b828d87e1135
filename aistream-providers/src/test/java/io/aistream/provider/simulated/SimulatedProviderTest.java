package io.aistream.provider.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aistream.AIStreamException;
import io.aistream.chunk.CompletionResponse;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.Usage;
import io.aistream.json.Jackson;
import io.aistream.request.ChatRequest;
import io.aistream.request.ToolDefinition;
import io.aistream.stream.ChatStream;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.VirtualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.IntNode;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SimulatedProviderTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private final SimulatedProvider unpaced = new SimulatedProvider();

    private static List<StreamChunk> drain(ChunkSource source) throws Exception {
        List<StreamChunk> out = new ArrayList<>();
        for (Optional<StreamChunk> c = source.next(); c.isPresent(); c = source.next()) {
            out.add(c.get());
        }
        return out;
    }

    private static CompletionResponse run(ChunkSource source) {
        try (ChatStream stream = ChatStream.builder(source).build()) {
            return CompletionResponse.accumulate(stream);
        }
    }

    @Test
    void echoRepeatsTheLastUserMessageWordByWord() throws Exception {
        List<StreamChunk> chunks = drain(unpaced.open(ChatRequest.builder()
                .model("echo")
                .user("Hello there,  wörld 👋")
                .build()));

        assertThat(chunks).hasSize(5);
        assertThat(CompletionResponse.accumulate(chunks).content()).isEqualTo("Hello there,  wörld 👋");
        assertThat(chunks.get(chunks.size() - 1)).isInstanceOfSatisfying(DoneChunk.class, d -> {
            assertThat(d.finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(d.provider()).contains("simulated");
            assertThat(d.model()).contains("echo");
            assertThat(d.usage().orElseThrow().inputTokens()).isEqualTo(4);
            assertThat(d.usage().orElseThrow().outputTokens()).isEqualTo(4);
        });
    }

    @Test
    void loremIsDeterministicPerSeedAndHasTheRequestedLength() {
        ChatRequest a = ChatRequest.builder()
                .model("lorem")
                .user("x")
                .providerOption("length", IntNode.valueOf(30))
                .providerOption("seed", IntNode.valueOf(7))
                .build();
        ChatRequest b = a.toBuilder().providerOption("seed", IntNode.valueOf(8)).build();

        String first = run(unpaced.open(a)).content();
        assertThat(run(unpaced.open(a)).content()).isEqualTo(first);
        assertThat(run(unpaced.open(b)).content()).isNotEqualTo(first);
        assertThat(first.split(" ")).hasSize(30);
        assertThat(first).endsWith(".");
    }

    @Test
    void reasoningComesBeforeTheAnswer() throws Exception {
        List<StreamChunk> chunks = drain(unpaced.open(ChatRequest.builder()
                .model("reasoning")
                .user("x")
                .providerOption("length", IntNode.valueOf(12))
                .build()));

        int lastReasoning = -1;
        int firstContent = -1;
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.get(i) instanceof ReasoningChunk) {
                lastReasoning = i;
            } else if (firstContent < 0 && chunks.get(i).type().wireName().equals("content")) {
                firstContent = i;
            }
        }
        assertThat(lastReasoning).isGreaterThanOrEqualTo(0).isLessThan(firstContent);
        assertThat(CompletionResponse.accumulate(chunks).reasoning()).isNotBlank();
    }

    @Test
    void toolsModelCallsTheFirstToolWithSchemaShapedArgumentsInFragments() {
        ToolDefinition weather = new ToolDefinition("get_weather", Optional.empty(), JSON.readTree("""
                {"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"},
                 "unit":{"type":"string","enum":["celsius","fahrenheit"]}}}"""));
        CompletionResponse r = run(unpaced.open(ChatRequest.builder()
                .model("tools")
                .user("weather?")
                .tool(weather)
                .build()));

        assertThat(r.finishReason()).contains(FinishReason.TOOL_CALLS);
        assertThat(r.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("get_weather");
            assertThat(call.arguments())
                    .isEqualTo(JSON.readTree("{\"city\":\"Paris\",\"days\":42,\"unit\":\"celsius\"}"));
        });
    }

    @Test
    void paceIsKeptOnTheInjectedClock() throws Exception {
        VirtualTimeSource time = new VirtualTimeSource();
        SimulatedProvider paced = new SimulatedProvider(time, 10); // one piece per 100 ms
        ChunkSource source =
                paced.open(ChatRequest.builder().model("echo").user("a b c").build());

        assertThat(source.next()).isPresent(); // the first piece is due at once
        CompletableFuture<Optional<StreamChunk>> second = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return source.next();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                r -> Thread.ofVirtual().start(r));
        await().atMost(Duration.ofSeconds(10)).until(() -> time.pendingTasks() == 1);
        assertThat(time.pendingDueTimes()).containsExactly(100_000_000L);
        time.advance(Duration.ofMillis(99));
        assertThat(second).isNotDone();
        time.advance(Duration.ofMillis(1));
        assertThat(second.get(10, TimeUnit.SECONDS)).isPresent();
    }

    @Test
    void failAfterEmitsARetryableErrorThenDoneError() throws Exception {
        List<StreamChunk> chunks = drain(unpaced.open(ChatRequest.builder()
                .model("lorem")
                .user("x")
                .providerOption("failAfter", IntNode.valueOf(3))
                .build()));

        assertThat(chunks).hasSize(5);
        assertThat(chunks.get(3)).isInstanceOfSatisfying(ErrorChunk.class, e -> {
            assertThat(e.error().code()).isEqualTo("upstream_error");
            assertThat(e.error().retryable()).isTrue();
        });
        assertThat(chunks.get(4)).isInstanceOfSatisfying(DoneChunk.class, d -> {
            assertThat(d.finishReason()).isEqualTo(FinishReason.ERROR);
            assertThat(d.usage()).contains(Usage.of(1, 3)); // the usage so far: 3 pieces played
            assertThat(d.provider()).contains("simulated");
            assertThat(d.model()).contains("lorem");
        });
    }

    @Test
    void anAbortedSimulationReportsItsUsageSoFar() throws Exception {
        ChatStream stream = ChatStream.builder(unpaced.open(ChatRequest.builder()
                        .model("lorem")
                        .user("x")
                        .providerOption("stallAfter", IntNode.valueOf(2))
                        .build()))
                .build();
        assertThat(stream.next()).isPresent();
        assertThat(stream.next()).isPresent();

        stream.abort();

        assertThat(stream.next())
                .hasValueSatisfying(c -> assertThat(c).isInstanceOfSatisfying(DoneChunk.class, d -> {
                    assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED);
                    assertThat(d.usage()).contains(Usage.of(1, 2));
                    assertThat(d.model()).contains("lorem");
                }));
    }

    @Test
    void errorBeforeOutputComesFirst() throws Exception {
        List<StreamChunk> chunks = drain(unpaced.open(ChatRequest.builder()
                .model("echo")
                .user("x")
                .providerOption("errorBeforeOutput", BooleanNode.TRUE)
                .build()));

        assertThat(chunks).hasSize(2);
        assertThat(((ErrorChunk) chunks.get(0)).error().code()).isEqualTo("upstream_overloaded");
        assertThat(((DoneChunk) chunks.get(1)).usage()).isEmpty(); // an overload reports no usage: unknown
    }

    @Test
    void stallHoldsUntilCancelled() throws Exception {
        ChunkSource source = unpaced.open(ChatRequest.builder()
                .model("lorem")
                .user("x")
                .providerOption("stallAfter", IntNode.valueOf(2))
                .build());
        assertThat(source.next()).isPresent();
        assertThat(source.next()).isPresent();
        CompletableFuture<Optional<StreamChunk>> stalled = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return source.next();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                r -> Thread.ofVirtual().start(r));
        assertThat(stalled).isNotDone();
        source.cancel();
        assertThat(stalled.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void unknownModelsAndOptionsAreRejectedByName() {
        assertThatThrownBy(() -> unpaced.open(
                        ChatRequest.builder().model("gpt-5").user("x").build()))
                .isInstanceOf(AIStreamException.class)
                .hasMessageContaining("'gpt-5'")
                .hasMessageContaining("echo");
        assertThatThrownBy(() -> unpaced.open(ChatRequest.builder()
                        .model("echo")
                        .user("x")
                        .providerOption("tokensPerSec", IntNode.valueOf(1))
                        .build()))
                .isInstanceOf(AIStreamException.class)
                .hasMessageContaining("'tokensPerSec'");
        assertThatThrownBy(() -> unpaced.open(ChatRequest.builder()
                        .model("echo")
                        .user("x")
                        .providerOption("length", JSON.readTree("\"long\""))
                        .build()))
                .hasMessageContaining("'length' must be a number");
    }

    @Test
    void toolsModelAnswersInTextOnceTheToolResultIsBack() {
        ToolDefinition weather =
                new ToolDefinition("get_weather", Optional.empty(), JSON.readTree("{\"type\":\"object\"}"));
        ChatRequest followUp = ChatRequest.builder()
                .model("tools")
                .user("weather?")
                .tool(weather)
                .message(new io.aistream.request.Message.Assistant(
                        "",
                        List.of(new io.aistream.request.AssistantToolCall(
                                "call_sim_1", "get_weather", JSON.readTree("{}")))))
                .message(io.aistream.request.Message.toolResult("call_sim_1", "get_weather", "{\"temp\":21}"))
                .build();

        CompletionResponse r = run(unpaced.open(followUp));

        assertThat(r.toolCalls()).isEmpty();
        assertThat(r.finishReason()).contains(FinishReason.STOP);
        assertThat(r.content()).isEqualTo("The get_weather tool returned {\"temp\":21}.");
    }

    @Test
    void acceptsOpenAisNoOpParametersAndRefusesAValueThatWouldChangeTheAnswer() throws Exception {
        List<StreamChunk> chunks = drain(unpaced.open(io.aistream.provider.TestRequests.withNoOpOpenAiParameters(
                        ChatRequest.builder().model("echo").user("a b"))
                .build()));
        assertThat(chunks).isNotEmpty();

        assertThatThrownBy(() -> unpaced.open(ChatRequest.builder()
                        .model("echo")
                        .user("x")
                        .providerOption("frequency_penalty", JSON.readTree("0.5"))
                        .build()))
                .isInstanceOf(AIStreamException.class)
                .hasMessageContaining("'frequency_penalty'");
        assertThatThrownBy(() -> unpaced.open(ChatRequest.builder()
                        .model("echo")
                        .user("x")
                        .providerOption("store", JSON.readTree("true"))
                        .build()))
                .isInstanceOf(AIStreamException.class)
                .hasMessageContaining("'store'");
    }
}
