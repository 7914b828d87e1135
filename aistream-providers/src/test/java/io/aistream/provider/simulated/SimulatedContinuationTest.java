package io.aistream.provider.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.CompletionResponse;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.json.Jackson;
import io.aistream.provider.transport.AttemptObserver;
import io.aistream.request.ChatRequest;
import io.aistream.request.ToolDefinition;
import io.aistream.stream.ChatStream;
import io.aistream.stream.ChunkSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.IntNode;

/**
 * The simulated provider continues an answer from a prefill: an undisturbed answer's text is always
 * the sent prefix plus what the continuation produces, wherever the answer was cut.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SimulatedContinuationTest {
    /** Fixed so a failure replays; printed with every case. */
    private static final int SEED = 7;

    private final SimulatedProvider provider = new SimulatedProvider();

    static Stream<ChatRequest> requests() {
        System.out.println("simulated continuation: seed " + SEED);
        return Stream.of(
                ChatRequest.builder()
                        .model("lorem")
                        .user("x")
                        .providerOption("length", IntNode.valueOf(40))
                        .providerOption("seed", IntNode.valueOf(SEED))
                        .build(),
                ChatRequest.builder()
                        .model("echo")
                        .user("Hello there,  wörld 👋 again")
                        .build(),
                ChatRequest.builder()
                        .model("reasoning")
                        .user("x")
                        .providerOption("length", IntNode.valueOf(20))
                        .providerOption("seed", IntNode.valueOf(SEED))
                        .build());
    }

    private static List<StreamChunk> drain(ChunkSource source) throws Exception {
        try (source) {
            List<StreamChunk> out = new ArrayList<>();
            for (Optional<StreamChunk> c = source.next(); c.isPresent(); c = source.next()) {
                out.add(c.get());
            }
            return out;
        }
    }

    private static String text(List<StreamChunk> chunks) {
        StringBuilder sb = new StringBuilder();
        chunks.stream().filter(ContentChunk.class::isInstance).forEach(c -> sb.append(((ContentChunk) c).delta()));
        return sb.toString();
    }

    private static DoneChunk done(List<StreamChunk> chunks) {
        return (DoneChunk) chunks.getLast();
    }

    /** 0, mid-word, on a piece boundary, all but the last character, the whole text. */
    private static Set<Integer> cuts(List<StreamChunk> undisturbed, String text) {
        List<String> pieces = undisturbed.stream()
                .filter(ContentChunk.class::isInstance)
                .map(c -> ((ContentChunk) c).delta())
                .toList();
        Set<Integer> cuts = new LinkedHashSet<>();
        cuts.add(0);
        cuts.add(Math.min(3, pieces.get(0).length() - 1)); // inside the first piece
        cuts.add(pieces.get(0).length() + 2); // inside the second
        cuts.add(pieces.get(0).length() + pieces.get(1).length()); // a piece boundary
        cuts.add(text.offsetByCodePoints(text.length(), -1)); // all but the last character
        cuts.add(text.length());
        return cuts;
    }

    @ParameterizedTest
    @MethodSource("requests")
    void theUndisturbedTextIsThePrefixPlusTheContinuationWhereverItWasCut(ChatRequest request) throws Exception {
        List<StreamChunk> undisturbed = drain(provider.open(request));
        String text = text(undisturbed);
        for (int k : cuts(undisturbed, text)) {
            String sent = text.substring(0, k);
            String label = request.model().orElseThrow() + " seed " + SEED + " cut at " + k + " of " + text.length();

            List<StreamChunk> rest = drain(provider.openContinuation(request, sent, AttemptObserver.NONE)
                    .orElseThrow());

            assertThat(sent + text(rest)).as(label).isEqualTo(text);
            assertThat(rest).as(label).noneMatch(ReasoningChunk.class::isInstance);
            DoneChunk done = done(rest);
            assertThat(done.finishReason()).as(label).isEqualTo(FinishReason.STOP);
            assertThat(done.recovered()).as(label).isTrue();
            // usage counts the pieces this attempt produced, not the whole answer
            assertThat(done.usage().orElseThrow().outputTokens()).as(label).isEqualTo(rest.size() - 1);
            if (k == text.length()) {
                assertThat(rest).as(label).singleElement().isInstanceOf(DoneChunk.class);
            }
        }
    }

    @Test
    void aCutInsideAPieceSplitsIt() throws Exception {
        ChatRequest request =
                ChatRequest.builder().model("echo").user("alpha beta gamma").build();

        List<StreamChunk> rest = drain(provider.openContinuation(request, "alpha be", AttemptObserver.NONE)
                .orElseThrow());

        assertThat(rest.subList(0, rest.size() - 1))
                .extracting(c -> ((ContentChunk) c).delta())
                .containsExactly("ta ", "gamma");
        assertThat(done(rest).usage().orElseThrow().outputTokens()).isEqualTo(2);
    }

    @Test
    void anAssistantPrefillInTheRequestIsContinuedByOpenToo() throws Exception {
        ChatRequest request = ChatRequest.builder()
                .model("echo")
                .user("alpha beta gamma")
                .assistant("alpha b")
                .build();

        List<StreamChunk> chunks = drain(provider.open(request));

        assertThat(text(chunks)).isEqualTo("eta gamma");
        assertThat(done(chunks).recovered()).isFalse(); // the caller's own prefill: nothing was recovered
    }

    @Test
    void aPrefillThatIsNotAPrefixGetsTodaysAnswer() throws Exception {
        for (ChatRequest request : requests().toList()) {
            List<StreamChunk> undisturbed = drain(provider.open(request));
            ChatRequest prefilled =
                    request.toBuilder().assistant("Not how it starts").build();

            List<StreamChunk> answered = drain(provider.open(prefilled));

            assertThat(text(answered)).isEqualTo(text(undisturbed));
            assertThat(answered.stream()
                            .filter(ReasoningChunk.class::isInstance)
                            .count())
                    .isEqualTo(undisturbed.stream()
                            .filter(ReasoningChunk.class::isInstance)
                            .count());
            assertThat(provider.openContinuation(request, "Not how it starts", AttemptObserver.NONE))
                    .as("a continuation that could not be exact is not offered")
                    .isEmpty();
        }
    }

    @Test
    void differentOptionsGiveADifferentAnswerThatIsNotContinued() throws Exception {
        ChatRequest seven = requests().findFirst().orElseThrow();
        String text = text(drain(provider.open(seven)));
        ChatRequest eight = seven.toBuilder()
                .providerOption("seed", IntNode.valueOf(SEED + 1))
                .build();

        assertThat(provider.openContinuation(eight, text.substring(0, 30), AttemptObserver.NONE))
                .isEmpty();
    }

    @Test
    void failAfterCountsThePiecesThisAttemptProduces() throws Exception {
        ChatRequest request = ChatRequest.builder()
                .model("echo")
                .user("one two three four five six")
                .providerOption("failAfter", IntNode.valueOf(2))
                .build();

        List<StreamChunk> rest = drain(provider.openContinuation(request, "one two th", AttemptObserver.NONE)
                .orElseThrow());

        assertThat(rest).hasSize(4);
        assertThat(text(rest)).isEqualTo("ree four ");
        assertThat(rest.get(2)).isInstanceOf(ErrorChunk.class);
        assertThat(done(rest).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(done(rest).recovered()).isFalse();
    }

    @Test
    void theToolsModelContinuesItsPreambleAndStillCallsTheTool() throws Exception {
        ToolDefinition weather = new ToolDefinition(
                "get_weather",
                Optional.empty(),
                Jackson.mapper().readTree("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"));
        ChatRequest request = ChatRequest.builder()
                .model("tools")
                .user("weather?")
                .tool(weather)
                .build();

        List<StreamChunk> rest = drain(provider.openContinuation(request, "Let me ca", AttemptObserver.NONE)
                .orElseThrow());

        assertThat(text(rest)).isEqualTo("ll get_weather. ");
        assertThat(rest).anyMatch(ToolCallChunk.class::isInstance);
        assertThat(done(rest).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(done(rest).recovered()).isTrue();
    }

    @Test
    void aTakeoverStreamKeepsTheSeqAndTheTextGoing() throws Exception {
        ChatRequest request = requests().findFirst().orElseThrow();
        StringBuilder sent = new StringBuilder();
        long nextSeq;
        try (ChatStream first = ChatStream.builder(provider.open(request)).build()) {
            for (int i = 0; i < 5; i++) {
                sent.append(((ContentChunk) first.next().orElseThrow()).delta());
            }
            nextSeq = 5; // the first node dies here
        }
        List<StreamChunk> rest = new ArrayList<>();
        try (ChatStream second = ChatStream.builder(
                        provider.openContinuation(request, sent.toString(), AttemptObserver.NONE)
                                .orElseThrow())
                .firstSeq(nextSeq)
                .build()) {
            for (Optional<StreamChunk> c = second.next(); c.isPresent(); c = second.next()) {
                rest.add(c.get());
            }
        }

        assertThat(rest.getFirst().seq()).isEqualTo(5);
        assertThat(rest).extracting(StreamChunk::seq).isSorted().doesNotHaveDuplicates();
        assertThat(rest.getLast().seq()).isEqualTo(5 + rest.size() - 1);
        CompletionResponse whole = CompletionResponse.accumulate(drain(provider.open(request)));
        assertThat(sent + text(rest)).isEqualTo(whole.content());
    }
}
