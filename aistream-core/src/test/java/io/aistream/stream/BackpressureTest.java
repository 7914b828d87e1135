package io.aistream.stream;

import static io.aistream.stream.Chunks.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each strategy against a fast source (100k chunks) and a consumer that only takes a chunk when the
 * read-ahead is stuck waiting for it or the source is exhausted, i.e. a consumer as far behind as the
 * strategy lets it be.
 */
@Timeout(60)
class BackpressureTest {
    private static final int CHUNKS = 100_000;
    private static final int CAPACITY = 8;

    /**
     * A mixed script: mostly content, some reasoning, and every 10,000 chunks a tool call in three
     * fragments; then an error and done(error) so that both terminal kinds must get through.
     */
    private static StreamChunk mixed(int i) {
        int call = i / 10_000;
        return switch (i % 10_000) {
            case 5000 -> ToolCallChunk.of(ToolCallDelta.start(call, "call_" + call, "lookup", "{\"q\":"));
            case 5001 -> ToolCallChunk.of(ToolCallDelta.arguments(call, "\"item " + call));
            case 5002 -> ToolCallChunk.of(ToolCallDelta.arguments(call, "\"}"));
            default -> i % 100 == 0 ? ReasoningChunk.of("r" + i + ";") : ContentChunk.of("c" + i + ";");
        };
    }

    private static TestSource mixedSource() {
        return TestSource.generating(CHUNKS, BackpressureTest::mixed)
                .then(
                        ErrorChunk.of(ChunkError.of(ErrorCode.UPSTREAM_ERROR, "late failure")),
                        DoneChunk.of(FinishReason.ERROR));
    }

    private static String expected(Class<? extends StreamChunk> type) {
        List<StreamChunk> all = new ArrayList<>();
        for (int i = 0; i < CHUNKS; i++) {
            all.add(mixed(i));
        }
        return type == ContentChunk.class ? Chunks.text(all) : reasoning(all);
    }

    private static String reasoning(List<StreamChunk> chunks) {
        StringBuilder sb = new StringBuilder();
        chunks.stream().filter(ReasoningChunk.class::isInstance).forEach(c -> sb.append(((ReasoningChunk) c).delta()));
        return sb.toString();
    }

    private static Map<Integer, String> toolArguments(List<StreamChunk> chunks) {
        Map<Integer, String> args = new TreeMap<>();
        for (StreamChunk c : chunks) {
            if (c instanceof ToolCallChunk t) {
                args.merge(t.toolCall().index(), t.toolCall().argumentsDelta(), String::concat);
            }
        }
        return args;
    }

    private static void waitFor(BooleanSupplier condition) {
        if (!condition.getAsBoolean()) {
            await().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1))
                    .atMost(Duration.ofSeconds(30))
                    .until(condition::getAsBoolean);
        }
    }

    /** Takes one chunk at a time, each only once the read-ahead waits for room or the source is done. */
    private static List<StreamChunk> consumeAsSlowlyAsAllowed(ChatStream stream, TestSource source) {
        List<StreamChunk> out = new ArrayList<>();
        while (true) {
            waitFor(() -> stream.producerWaiting() || source.exhausted() || source.isCancelled());
            Optional<StreamChunk> next = stream.next();
            if (next.isEmpty()) {
                return out;
            }
            out.add(next.get());
        }
    }

    private static ChatStream build(TestSource source, Backpressure strategy) {
        return ChatStream.builder(source)
                .backpressure(strategy)
                .bufferCapacity(CAPACITY)
                .build();
    }

    private static void assertWellFormed(List<StreamChunk> chunks) {
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(chunks.get(i).seq()).isEqualTo(i);
        }
        assertThat(Chunks.count(chunks, DoneChunk.class)).isOne();
        assertThat(chunks.getLast()).isInstanceOf(DoneChunk.class);
    }

    @Test
    void blockStrategyReadsNothingAhead() {
        TestSource source = TestSource.contents(CHUNKS);
        try (ChatStream s = build(source, Backpressure.BLOCK)) {
            assertThat(source.nextCalls()).isZero();
            int pulls = 0;
            StringBuilder text = new StringBuilder();
            for (Optional<StreamChunk> c = s.next(); c.isPresent(); c = s.next()) {
                pulls++;
                assertThat(source.nextCalls()).isEqualTo(pulls);
                if (c.get() instanceof ContentChunk content) {
                    text.append(content.delta());
                }
            }
            assertThat(pulls).isEqualTo(CHUNKS + 1);
            assertThat(source.nextCalls()).isEqualTo(CHUNKS + 1);
            assertThat(s.queueHighWaterMark()).isZero();
            StringBuilder produced = new StringBuilder();
            for (int i = 0; i < CHUNKS; i++) {
                produced.append('c').append(i);
            }
            assertThat(text).hasToString(produced.toString());
        }
    }

    @Test
    void blockStrategyLosesNothing() {
        TestSource source = mixedSource();
        try (ChatStream s = build(source, Backpressure.BLOCK)) {
            List<StreamChunk> chunks = drain(s);
            assertWellFormed(chunks);
            assertThat(chunks).hasSize(CHUNKS + 2);
            assertThat(Chunks.text(chunks)).isEqualTo(expected(ContentChunk.class));
            assertThat(reasoning(chunks)).isEqualTo(expected(ReasoningChunk.class));
        }
    }

    @Test
    void bufferOverflowEndsWithBufferOverflowThenDoneErrorAfterQueuedChunks() {
        TestSource source = TestSource.contents(CHUNKS);
        try (ChatStream s = build(source, Backpressure.BUFFER)) {
            await().until(source::isCancelled); // the read-ahead overflowed and gave up
            List<StreamChunk> chunks = drain(s);

            assertWellFormed(chunks);
            assertThat(chunks).hasSize(CAPACITY + 2);
            assertThat(Chunks.text(chunks)).isEqualTo("c0c1c2c3c4c5c6c7");
            ErrorChunk error = Chunks.error(chunks.get(CAPACITY));
            assertThat(error.error().code()).isEqualTo("buffer_overflow");
            assertThat(Chunks.lastDone(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
            assertThat(s.queueHighWaterMark()).isEqualTo(CAPACITY);
            assertThat(source.nextCalls()).isEqualTo(CAPACITY + 1);
            await().until(() -> source.closes() == 1);
        }
    }

    @Test
    void bufferWithinCapacityDeliversEverything() {
        TestSource source = TestSource.contents(CAPACITY);
        try (ChatStream s = build(source, Backpressure.BUFFER)) {
            await().until(source::exhausted);
            List<StreamChunk> chunks = drain(s);
            assertWellFormed(chunks);
            assertThat(chunks).hasSize(CAPACITY + 1);
            assertThat(Chunks.lastDone(chunks).finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(source.isCancelled()).isFalse();
        }
    }

    /** By default the done counts what was dropped and carries no text: the whole answer is not kept. */
    @Test
    void dropKeepsToolCallsAndErrorsAndItsDoneCountsTheDroppedDeltas() {
        TestSource source = mixedSource();
        try (ChatStream s = build(source, Backpressure.DROP)) {
            List<StreamChunk> chunks = consumeAsSlowlyAsAllowed(s, source);

            assertWellFormed(chunks);
            DoneChunk done = Chunks.lastDone(chunks);
            assertThat(done.finishReason()).isEqualTo(FinishReason.ERROR);
            assertThat(done.dropped()).isPositive();
            assertThat(done.content()).isEmpty();
            long deltas = Chunks.count(chunks, ContentChunk.class) + Chunks.count(chunks, ReasoningChunk.class);
            assertThat(deltas + done.dropped()).isEqualTo(CHUNKS - 30);
            assertThat(Chunks.count(chunks, ToolCallChunk.class)).isEqualTo(30);
            assertThat(toolArguments(chunks))
                    .hasSize(10)
                    .allSatisfy((index, args) -> assertThat(args).isEqualTo("{\"q\":\"item " + index + "\"}"));
            assertThat(Chunks.error(chunks.get(chunks.size() - 2)).error().code())
                    .isEqualTo("upstream_error");
            assertThat(s.queueHighWaterMark()).isLessThanOrEqualTo(CAPACITY);
        }
    }

    /** With a recovery cap the answer fits under, the done carries the full content (no reasoning). */
    @Test
    void dropWithARecoveryCapCarriesTheFullContentInItsDone() {
        TestSource source = mixedSource();
        String content = expected(ContentChunk.class);
        try (ChatStream s = ChatStream.builder(source)
                .backpressure(Backpressure.DROP)
                .bufferCapacity(CAPACITY)
                .dropRecoveryChars(content.length())
                .build()) {
            List<StreamChunk> chunks = consumeAsSlowlyAsAllowed(s, source);

            assertWellFormed(chunks);
            DoneChunk done = Chunks.lastDone(chunks);
            assertThat(done.dropped()).isPositive();
            assertThat(done.content()).contains(content);
        }
    }

    @Test
    void dropDoneCarriesNoContentWhenNothingWasDropped() {
        TestSource source = TestSource.contents(CAPACITY);
        try (ChatStream s = build(source, Backpressure.DROP)) {
            await().until(source::exhausted);
            DoneChunk done = Chunks.lastDone(drain(s));
            assertThat(done.dropped()).isZero();
            assertThat(done.content()).isEmpty();
        }
    }

    @Test
    void coalesceIsLosslessAndBounded() {
        TestSource source = mixedSource();
        try (ChatStream s = build(source, Backpressure.COALESCE)) {
            List<StreamChunk> chunks = consumeAsSlowlyAsAllowed(s, source);

            assertWellFormed(chunks);
            assertThat(Chunks.text(chunks)).isEqualTo(expected(ContentChunk.class));
            assertThat(reasoning(chunks)).isEqualTo(expected(ReasoningChunk.class));
            assertThat(toolArguments(chunks))
                    .hasSize(10)
                    .allSatisfy((index, args) -> assertThat(args).isEqualTo("{\"q\":\"item " + index + "\"}"));
            assertThat(chunks)
                    .filteredOn(ToolCallChunk.class::isInstance)
                    .allSatisfy(c ->
                            assertThat(((ToolCallChunk) c).toolCall().callId()).isPresent());
            assertThat(Chunks.error(chunks.get(chunks.size() - 2)).error().code())
                    .isEqualTo("upstream_error");
            assertThat(chunks.size()).isLessThan(CHUNKS / 10);
            assertThat(s.queueHighWaterMark()).isLessThanOrEqualTo(CAPACITY);
        }
    }

    @Test
    void coalesceCapsAMergedDeltaAndWaitsWhenFull() {
        String piece = "x".repeat(1000);
        TestSource source =
                TestSource.generating(1000, i -> ContentChunk.of(piece)).then(DoneChunk.of(FinishReason.STOP));
        try (ChatStream s = ChatStream.builder(source)
                .backpressure(Backpressure.COALESCE)
                .bufferCapacity(2)
                .build()) {
            waitFor(s::producerWaiting); // two merged chunks queued, nothing more can merge
            List<StreamChunk> chunks = consumeAsSlowlyAsAllowed(s, source);

            assertThat(Chunks.text(chunks)).hasSize(1_000_000);
            assertThat(chunks)
                    .filteredOn(ContentChunk.class::isInstance)
                    .allSatisfy(
                            c -> assertThat(((ContentChunk) c).delta().length()).isLessThanOrEqualTo(64 * 1024));
            assertThat(Chunks.count(chunks, ContentChunk.class)).isGreaterThanOrEqualTo(1_000_000 / (64 * 1024) + 1);
            assertThat(s.queueHighWaterMark()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void coalesceNeverMergesAToolCallFragmentThatStartsACall() {
        TestSource source = TestSource.of(
                ToolCallChunk.of(ToolCallDelta.start(0, "call_a", "f", "{")),
                ToolCallChunk.of(ToolCallDelta.arguments(0, "}")),
                ToolCallChunk.of(ToolCallDelta.start(1, "call_b", "g", "{")),
                ToolCallChunk.of(ToolCallDelta.arguments(1, "}")),
                DoneChunk.of(FinishReason.TOOL_CALLS));
        try (ChatStream s = build(source, Backpressure.COALESCE)) {
            await().until(source::exhausted);
            List<StreamChunk> chunks = drain(s);
            assertThat(chunks).hasSize(3);
            assertThat(((ToolCallChunk) chunks.get(0)).toolCall())
                    .isEqualTo(ToolCallDelta.start(0, "call_a", "f", "{}"));
            assertThat(((ToolCallChunk) chunks.get(1)).toolCall())
                    .isEqualTo(ToolCallDelta.start(1, "call_b", "g", "{}"));
        }
    }
}
