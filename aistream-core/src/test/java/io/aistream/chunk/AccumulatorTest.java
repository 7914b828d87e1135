package io.aistream.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.aistream.ErrorCode;
import io.aistream.json.Jackson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class AccumulatorTest {
    private static final JsonMapper MAPPER = Jackson.mapper();

    @Test
    void concatenatesContentAndReasoning() {
        CompletionResponse r = CompletionResponse.accumulate(List.of(
                ReasoningChunk.of("Think"),
                ContentChunk.of("Hel"),
                ReasoningChunk.of("ing."),
                ContentChunk.of("lo"),
                ContentChunk.of(""),
                ContentChunk.of(", 世界 😀"),
                DoneChunk.of(FinishReason.STOP)));

        assertThat(r.content()).isEqualTo("Hello, 世界 😀");
        assertThat(r.reasoning()).isEqualTo("Thinking.");
        assertThat(r.toolCalls()).isEmpty();
        assertThat(r.errors()).isEmpty();
        assertThat(r.finishReason()).contains(FinishReason.STOP);
        assertThat(r.complete()).isTrue();
    }

    @Test
    void mergesThreeInterleavedFragmentedToolCallsFromFixture() {
        CompletionResponse r = CompletionResponse.accumulate(Fixtures.chunks("parallel-tool-calls.jsonl"));

        assertThat(r.reasoning()).isEqualTo("Three cities, three lookups.");
        assertThat(r.content()).isEqualTo("Checking the weather…");
        assertThat(r.toolCalls())
                .extracting(ToolCall::index, ToolCall::callId, ToolCall::name)
                .containsExactly(
                        tuple(0, "call_a", "get_weather"),
                        tuple(1, "call_b", "get_weather"),
                        tuple(2, "call_c", "get_weather"));
        assertThat(r.toolCalls().get(0).argumentsJson()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(r.toolCalls().get(0).arguments()).isEqualTo(MAPPER.readTree("{\"city\":\"Paris\"}"));
        assertThat(r.toolCalls().get(1).arguments()).isEqualTo(MAPPER.readTree("{\"city\":\"Zürich\",\"unit\":\"F\"}"));
        assertThat(r.toolCalls().get(2).arguments()).isEqualTo(MAPPER.readTree("{\"city\":\"Oslo\",\"unit\":\"C\"}"));
        assertThat(r.finishReason()).contains(FinishReason.TOOL_CALLS);
        assertThat(r.usage()).contains(new Usage(80, 64, 144));
        assertThat(r.provider()).contains("openai");
        assertThat(r.model()).contains("gpt-4o-mini");
    }

    @Test
    void toolCallsAreOrderedByIndexNotArrival() {
        CompletionResponse r = CompletionResponse.accumulate(List.of(
                ToolCallChunk.of(ToolCallDelta.start(5, "c5", "b", "{}")),
                ToolCallChunk.of(ToolCallDelta.start(1, "c1", "a", "{}"))));
        assertThat(r.toolCalls()).extracting(ToolCall::index).containsExactly(1, 5);
    }

    @Test
    void firstNonEmptyIdAndNameWin() {
        CompletionResponse r = CompletionResponse.accumulate(List.of(
                ToolCallChunk.of(new ToolCallDelta(0, Optional.of(""), Optional.empty(), "{\"a\"")),
                ToolCallChunk.of(new ToolCallDelta(0, Optional.of("call_9"), Optional.of(""), ":")),
                ToolCallChunk.of(new ToolCallDelta(0, Optional.of("call_other"), Optional.of("lookup"), "1}")),
                ToolCallChunk.of(new ToolCallDelta(0, Optional.empty(), Optional.of("other"), ""))));

        ToolCall call = r.toolCalls().get(0);
        assertThat(call.callId()).isEqualTo("call_9");
        assertThat(call.name()).isEqualTo("lookup");
        assertThat(call.arguments().get("a").asInt()).isEqualTo(1);
    }

    @Test
    void toolCallWithoutArgumentsGetsAnEmptyObject() {
        CompletionResponse r = CompletionResponse.accumulate(List.of(
                ToolCallChunk.of(ToolCallDelta.start(0, "call_1", "get_time", "")),
                ToolCallChunk.of(ToolCallDelta.start(1, "call_2", "get_date", " \n")),
                DoneChunk.of(FinishReason.TOOL_CALLS)));

        assertThat(r.toolCalls()).allSatisfy(call -> {
            assertThat(call.argumentsJson()).isEqualTo("{}");
            assertThat(call.arguments().isObject()).isTrue();
            assertThat(call.arguments().isEmpty()).isTrue();
        });
    }

    @Test
    void invalidArgumentsRaiseATypedExceptionNamingTheCall() {
        Accumulator acc = new Accumulator()
                .add(ToolCallChunk.of(ToolCallDelta.start(3, "call_3", "get_weather", "{\"city\":")))
                .add(ToolCallChunk.of(ToolCallDelta.arguments(3, "\"Par")))
                .add(DoneChunk.of(FinishReason.LENGTH));

        InvalidToolArgumentsException e = catchThrowableOfType(InvalidToolArgumentsException.class, acc::result);

        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOOL_ARGUMENTS.wireName());
        assertThat(e.index()).isEqualTo(3);
        assertThat(e.toolName()).isEqualTo("get_weather");
        assertThat(e.argumentsJson()).isEqualTo("{\"city\":\"Par");
        assertThat(e.getMessage())
                .startsWith("tool call 3 (get_weather): arguments are not valid JSON: ")
                .containsIgnoringCase("end-of-input");
    }

    @Test
    void trailingGarbageAfterArgumentsIsInvalid() {
        Accumulator acc = new Accumulator().add(ToolCallChunk.of(ToolCallDelta.start(0, "c", "f", "{} {}")));
        assertThatThrownBy(acc::result)
                .isInstanceOf(InvalidToolArgumentsException.class)
                .hasMessageStartingWith("tool call 0 (f): arguments are not valid JSON");
        Accumulator unnamed = new Accumulator().add(ToolCallChunk.of(ToolCallDelta.arguments(1, "nope")));
        assertThatThrownBy(unnamed::result)
                .isInstanceOf(InvalidToolArgumentsException.class)
                .hasMessageStartingWith("tool call 1: arguments are not valid JSON");
    }

    @Test
    void usageFinishReasonProviderAndModelComeFromDone() {
        DoneChunk done = DoneChunk.of(FinishReason.LENGTH, new Usage(3, 4, 7), "anthropic", "claude")
                .withRecovered(true);
        CompletionResponse r = CompletionResponse.accumulate(List.of(ContentChunk.of("x"), done));

        assertThat(r.finishReason()).contains(FinishReason.LENGTH);
        assertThat(r.usage()).contains(new Usage(3, 4, 7));
        assertThat(r.provider()).contains("anthropic");
        assertThat(r.model()).contains("claude");
        assertThat(r.recovered()).isTrue();
        assertThat(r.dropped()).isZero();
    }

    @Test
    void fullContentFromDoneReplacesDeltasWhenSomeWereDropped() {
        Accumulator acc = new Accumulator().add(ContentChunk.of("The ")).add(ContentChunk.of("fox"));
        assertThat(acc.content().toString()).isEqualTo("The fox");

        acc.add(DoneChunk.of(FinishReason.STOP).withDropped("The quick brown fox", 2));

        assertThat(acc.content().toString()).isEqualTo("The quick brown fox");
        CompletionResponse r = acc.result();
        assertThat(r.content()).isEqualTo("The quick brown fox");
        assertThat(r.dropped()).isEqualTo(2);
    }

    @Test
    void collectsErrorChunks() {
        ChunkError overloaded =
                new ChunkError("upstream_overloaded", "busy", true, Optional.of("anthropic"), OptionalInt.of(529));
        ChunkError timeout = ChunkError.of(ErrorCode.IDLE_TIMEOUT, "idle");
        CompletionResponse r = CompletionResponse.accumulate(List.of(
                ContentChunk.of("par"),
                ErrorChunk.of(overloaded),
                ErrorChunk.of(timeout),
                DoneChunk.of(FinishReason.ERROR)));

        assertThat(r.errors()).containsExactly(overloaded, timeout);
        assertThat(r.content()).isEqualTo("par");
        assertThat(r.finishReason()).contains(FinishReason.ERROR);
    }

    @Test
    void streamWithoutDoneHasNoFinishReason() {
        CompletionResponse r = CompletionResponse.accumulate(List.of(ContentChunk.of("partial")));
        assertThat(r.finishReason()).isEmpty();
        assertThat(r.usage()).isEmpty();
        assertThat(r.provider()).isEmpty();
        assertThat(r.complete()).isFalse();
        assertThat(CompletionResponse.accumulate(List.of())).satisfies(empty -> {
            assertThat(empty.content()).isEmpty();
            assertThat(empty.toolCalls()).isEmpty();
        });
    }

    @Test
    void chunksAfterDoneAreRejected() {
        Accumulator acc = new Accumulator().add(DoneChunk.of(FinishReason.STOP));
        assertThat(acc.isDone()).isTrue();
        assertThatThrownBy(() -> acc.add(ContentChunk.of("late"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void contentViewIsLiveAndResultCanBeTakenRepeatedly() {
        Accumulator acc = new Accumulator();
        CharSequence content = acc.content();
        acc.add(ContentChunk.of("ab"));
        CompletionResponse first = acc.result();
        acc.add(ContentChunk.of("cd")).add(ReasoningChunk.of("r"));

        assertThat(content.length()).isEqualTo(4);
        assertThat(content.charAt(3)).isEqualTo('d');
        assertThat(content.subSequence(1, 3).toString()).isEqualTo("bc");
        assertThat(acc.reasoning().toString()).isEqualTo("r");
        assertThat(first.content()).isEqualTo("ab");
        assertThat(acc.result().content()).isEqualTo("abcd");
        assertThat(content).isNotInstanceOf(StringBuilder.class);
    }

    @Test
    void handlesHundredThousandDeltas() {
        Accumulator acc = new Accumulator();
        for (int i = 0; i < 100_000; i++) {
            acc.add(new ContentChunk("st_1", i, "tok "));
            acc.content().length(); // a UI reading progress after every delta must not copy
        }
        acc.add(new DoneChunk(
                "st_1",
                100_000,
                FinishReason.STOP,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                0,
                false));
        assertThat(acc.result().content()).hasSize(400_000);
    }

    @Test
    void responseListsAreImmutable() {
        List<ChunkError> errors = new ArrayList<>();
        errors.add(ChunkError.of(ErrorCode.INTERNAL, "x"));
        CompletionResponse r = new CompletionResponse(
                List.of(),
                "",
                "",
                Optional.empty(),
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                0,
                false,
                errors);
        errors.clear();
        assertThat(r.errors()).hasSize(1);
        assertThatThrownBy(() -> r.errors().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusalComesFromTheDoneChunkAndIsNotContent() {
        CompletionResponse r = CompletionResponse.accumulate(List.of(
                new ContentChunk("st_1", 0, ""),
                DoneChunk.of(FinishReason.STOP)
                        .withRefusal("I can't help with that.")
                        .withPosition("st_1", 1)));

        assertThat(r.content()).isEmpty();
        assertThat(r.refusal()).contains("I can't help with that.");
        assertThat(ChunkJson.toJson(
                        DoneChunk.of(FinishReason.STOP).withRefusal("no").withPosition("st_1", 1)))
                .isEqualTo(
                        "{\"id\":\"st_1\",\"seq\":1,\"type\":\"done\",\"finishReason\":\"stop\",\"refusal\":\"no\"}");
    }
}
