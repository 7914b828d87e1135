package io.aistream.stream;

import static io.aistream.stream.Chunks.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.ChunkFootprint;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every read-ahead strategy against a long answer (10,000 deltas of 1,000 chars: 10M chars, about
 * 21 MB of chunks) and a consumer that does not read: what the queue retains, as its {@link ByteMeter}
 * sees it, never passes the bound {@link Backpressure} documents, and returns to exactly 0 however the
 * stream ends. Progress is awaited as events (the read-ahead waiting, the source exhausted or
 * cancelled), never as time.
 */
@Timeout(120)
class QueueMemoryTest {
    private static final int DELTAS = 10_000;
    private static final int DELTA_CHARS = 1_000;
    private static final long DELTA_BYTES = ChunkFootprint.OVERHEAD + 2L * DELTA_CHARS;
    private static final int CAPACITY = ChatStream.Builder.DEFAULT_BUFFER_CAPACITY;
    private static final long BYTES = 64 * 1024;
    /** The terminal chunks' allowance the javadoc gives: the source's done plus a generated error and done. */
    private static final long TERMINAL = DELTA_BYTES + 512;

    /** Adds up what a stream reports; remembers the most it ever held, and anything impossible. */
    static final class TestMeter implements ByteMeter {
        final AtomicLong current = new AtomicLong();
        final AtomicLong max = new AtomicLong();
        final AtomicLong calls = new AtomicLong();
        final AtomicLong zeroOrNegative = new AtomicLong();

        @Override
        public void add(long delta) {
            calls.incrementAndGet();
            long now = current.addAndGet(delta);
            max.accumulateAndGet(now, Math::max);
            if (delta == 0 || now < 0) {
                zeroOrNegative.incrementAndGet();
            }
        }

        void assertEndedAtZero() {
            assertThat(current.get()).as("bytes still reported as held").isZero();
            assertThat(zeroOrNegative.get()).as("zero deltas or a negative sum").isZero();
        }
    }

    /** Delta {@code i}: 1,000 chars that spell {@code i}, so that order is checkable. */
    private static String piece(int i) {
        String unit = i + "|";
        return unit.repeat(DELTA_CHARS / unit.length() + 1).substring(0, DELTA_CHARS);
    }

    private static String fullText(int deltas) {
        StringBuilder sb = new StringBuilder(deltas * DELTA_CHARS);
        for (int i = 0; i < deltas; i++) {
            sb.append(piece(i));
        }
        return sb.toString();
    }

    private static TestSource longAnswer(int deltas) {
        return TestSource.generating(deltas, i -> ContentChunk.of(piece(i))).then(DoneChunk.of(FinishReason.STOP));
    }

    /** The documented bound for a source whose largest chunk is a delta. */
    private static long bound(Backpressure strategy, int capacity, long bytes, int recoveryChars) {
        long queued = Math.max(bytes, DELTA_BYTES);
        if (strategy != Backpressure.COALESCE) { // merged chunks are larger than the source's
            queued = Math.min(capacity * DELTA_BYTES, queued);
        }
        long recovery = strategy == Backpressure.DROP ? 2L * recoveryChars : 0;
        return queued + TERMINAL + recovery;
    }

    private static ChatStream.Builder builder(TestSource source, Backpressure strategy, TestMeter meter) {
        return ChatStream.builder(source)
                .backpressure(strategy)
                .bufferCapacity(CAPACITY)
                .bufferBytes(BYTES)
                .byteMeter(meter);
    }

    private static void waitFor(BooleanSupplier condition) {
        if (!condition.getAsBoolean()) {
            await().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1))
                    .atMost(Duration.ofSeconds(60))
                    .until(condition::getAsBoolean);
        }
    }

    /** Until the read-ahead can do no more without the consumer. */
    private static void waitUntilStuck(ChatStream stream, TestSource source) {
        waitFor(() -> stream.producerWaiting() || source.exhausted() || source.isCancelled());
    }

    /** Takes one chunk at a time, each only once the read-ahead can do no more without it. */
    private static List<StreamChunk> consumeAsSlowlyAsAllowed(ChatStream stream, TestSource source) {
        List<StreamChunk> out = new ArrayList<>();
        while (true) {
            waitUntilStuck(stream, source);
            Optional<StreamChunk> next = stream.next();
            if (next.isEmpty()) {
                return out;
            }
            out.add(next.get());
        }
    }

    /** Compares long texts without printing 10M chars on failure. */
    private static void assertSameText(String actual, String expected) {
        int common = Math.min(actual.length(), expected.length());
        int at = 0;
        while (at < common && actual.charAt(at) == expected.charAt(at)) {
            at++;
        }
        assertThat(at == common && actual.length() == expected.length())
                .as("texts differ at char %d (lengths %d and %d)", at, actual.length(), expected.length())
                .isTrue();
    }

    @Test
    void bufferOverflowsOnBytesAndHoldsNoMoreThanItsBound() {
        TestMeter meter = new TestMeter();
        TestSource source = longAnswer(DELTAS);
        try (ChatStream s = builder(source, Backpressure.BUFFER, meter).build()) {
            waitFor(source::isCancelled); // overflowed while nobody read
            assertThat(meter.max.get()).isLessThanOrEqualTo(bound(Backpressure.BUFFER, CAPACITY, BYTES, 0));
            List<StreamChunk> chunks = drain(s);

            int fits = (int) (BYTES / DELTA_BYTES); // 31 deltas fit in 64 KiB; the capacity is 256
            assertThat(Chunks.count(chunks, ContentChunk.class)).isEqualTo(fits);
            ErrorChunk error = Chunks.error(chunks.get(fits));
            assertThat(error.error().code()).isEqualTo("buffer_overflow");
            assertThat(error.error().message()).contains(BYTES + " bytes");
            assertThat(Chunks.lastDone(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
            meter.assertEndedAtZero(); // before close: the terminal chunks were taken
        }
        meter.assertEndedAtZero();
    }

    @Test
    void bufferStillOverflowsOnChunkCount() {
        TestMeter meter = new TestMeter();
        TestSource source = TestSource.contents(1000);
        try (ChatStream s = ChatStream.builder(source)
                .backpressure(Backpressure.BUFFER)
                .bufferCapacity(8)
                .byteMeter(meter)
                .build()) {
            waitFor(source::isCancelled);
            List<StreamChunk> chunks = drain(s);
            assertThat(Chunks.count(chunks, ContentChunk.class)).isEqualTo(8);
            assertThat(Chunks.error(chunks.get(8)).error().message()).contains("8 chunks");
        }
        meter.assertEndedAtZero();
    }

    @Test
    void dropDoneCountsWhatWasDroppedAndNoLongerCarriesTheText() {
        TestMeter meter = new TestMeter();
        TestSource source = longAnswer(DELTAS);
        try (ChatStream s = builder(source, Backpressure.DROP, meter).build()) {
            waitFor(source::exhausted); // every delta that found no room was dropped at once
            long before = meter.max.get();
            List<StreamChunk> chunks = drain(s);

            DoneChunk done = Chunks.lastDone(chunks);
            assertThat(done.finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(done.content()).isEmpty();
            long delivered = Chunks.count(chunks, ContentChunk.class);
            assertThat(delivered).isEqualTo(BYTES / DELTA_BYTES);
            assertThat(done.dropped()).isEqualTo(DELTAS - delivered);
            assertThat(before).isLessThanOrEqualTo(bound(Backpressure.DROP, CAPACITY, BYTES, 0));
            meter.assertEndedAtZero();
        }
        meter.assertEndedAtZero();
    }

    @Test
    void dropWithARecoveryCapThatFitsEndsWithTheWholeTextButNoReasoning() {
        int deltas = 2_000;
        int cap = deltas * DELTA_CHARS; // exactly the answer's length
        TestMeter meter = new TestMeter();
        TestSource source = TestSource.generating(
                        2 * deltas,
                        i -> i % 2 == 0 ? ContentChunk.of(piece(i / 2)) : ReasoningChunk.of("thinking " + i))
                .then(DoneChunk.of(FinishReason.STOP));
        try (ChatStream s =
                builder(source, Backpressure.DROP, meter).dropRecoveryChars(cap).build()) {
            waitFor(source::exhausted);
            List<StreamChunk> chunks = drain(s);

            DoneChunk done = Chunks.lastDone(chunks);
            assertThat(done.dropped()).isPositive();
            assertThat(done.content()).isPresent();
            assertSameText(done.content().orElseThrow(), fullText(deltas));
            assertThat(meter.max.get()).isLessThanOrEqualTo(bound(Backpressure.DROP, CAPACITY, BYTES, cap));
            // the text was really held: more than the queue alone could
            assertThat(meter.max.get()).isGreaterThan(2L * cap);
            meter.assertEndedAtZero();
        }
        meter.assertEndedAtZero();
    }

    @Test
    void dropWithARecoveryCapTooSmallGivesTheTextUpAtOnce() {
        int deltas = 2_000;
        int cap = deltas * DELTA_CHARS - 1;
        TestMeter meter = new TestMeter();
        TestSource source = longAnswer(deltas);
        try (ChatStream s =
                builder(source, Backpressure.DROP, meter).dropRecoveryChars(cap).build()) {
            waitFor(source::exhausted);
            // given up: what is still held is the queue and the done, not the text
            assertThat(meter.current.get()).isLessThanOrEqualTo(bound(Backpressure.DROP, CAPACITY, BYTES, 0));
            List<StreamChunk> chunks = drain(s);

            DoneChunk done = Chunks.lastDone(chunks);
            assertThat(done.dropped()).isPositive();
            assertThat(done.content()).isEmpty();
            assertThat(meter.max.get()).isLessThanOrEqualTo(bound(Backpressure.DROP, CAPACITY, BYTES, cap));
        }
        meter.assertEndedAtZero();
    }

    @Test
    void dropWithRecoveryButNothingDroppedCarriesNoContent() {
        TestMeter meter = new TestMeter();
        TestSource source = TestSource.contents(10);
        try (ChatStream s = ChatStream.builder(source)
                .backpressure(Backpressure.DROP)
                .dropRecoveryChars(1000)
                .byteMeter(meter)
                .build()) {
            waitFor(source::exhausted);
            DoneChunk done = Chunks.lastDone(drain(s));
            assertThat(done.dropped()).isZero();
            assertThat(done.content()).isEmpty();
            meter.assertEndedAtZero();
        }
    }

    @Test
    void coalesceMergesOnlyWithinItsByteBoundAndDeliversEveryCharInOrder() {
        TestMeter meter = new TestMeter();
        TestSource source = longAnswer(DELTAS);
        try (ChatStream s = builder(source, Backpressure.COALESCE, meter).build()) {
            waitFor(s::producerWaiting); // merged up to the bound; nothing more fits
            assertThat(meter.max.get()).isLessThanOrEqualTo(bound(Backpressure.COALESCE, CAPACITY, BYTES, 0));
            List<StreamChunk> chunks = consumeAsSlowlyAsAllowed(s, source);

            assertSameText(Chunks.text(chunks), fullText(DELTAS));
            assertThat(Chunks.count(chunks, ContentChunk.class)).isLessThan(DELTAS);
            assertThat(Chunks.lastDone(chunks).finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(meter.max.get()).isLessThanOrEqualTo(bound(Backpressure.COALESCE, CAPACITY, BYTES, 0));
            // at most one report per chunk taken in and one per chunk handed out
            assertThat(meter.calls.get()).isLessThanOrEqualTo(DELTAS + 1 + chunks.size());
            meter.assertEndedAtZero();
        }
        meter.assertEndedAtZero();
    }

    @Test
    void coalescedToolCallArgumentsAreCountedExactly() {
        TestMeter meter = new TestMeter();
        TestSource source = TestSource.generating(
                        2_000,
                        i -> i == 0
                                ? ToolCallChunk.of(ToolCallDelta.start(0, "call_0", "lookup", "{"))
                                : ToolCallChunk.of(ToolCallDelta.arguments(0, "\"" + piece(i) + "\",")))
                .then(DoneChunk.of(FinishReason.TOOL_CALLS));
        try (ChatStream s = builder(source, Backpressure.COALESCE, meter).build()) {
            waitFor(s::producerWaiting);
            List<StreamChunk> chunks = consumeAsSlowlyAsAllowed(s, source);
            assertThat(Chunks.count(chunks, ToolCallChunk.class)).isLessThan(2_000);
            meter.assertEndedAtZero(); // what a merged fragment releases is what its merges added
        }
    }

    /** A chunk larger than the whole bound still gets through an empty queue, under every strategy. */
    @ParameterizedTest
    @EnumSource(names = {"BUFFER", "DROP", "COALESCE"})
    void aSingleChunkLargerThanTheBoundGetsThroughAnEmptyQueue(Backpressure strategy) {
        TestMeter meter = new TestMeter();
        String huge = "h".repeat(10_000);
        TestSource source = TestSource.of(ContentChunk.of(huge), DoneChunk.of(FinishReason.STOP));
        try (ChatStream s = ChatStream.builder(source)
                .backpressure(strategy)
                .bufferBytes(1_000)
                .byteMeter(meter)
                .build()) {
            waitFor(source::exhausted);
            List<StreamChunk> chunks = drain(s);
            assertThat(Chunks.text(chunks)).isEqualTo(huge);
            DoneChunk done = Chunks.lastDone(chunks);
            assertThat(done.finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(done.dropped()).isZero();
            // the huge chunk alone, or with the done if the producer queued it before the consumer took the chunk
            long hugeBytes = ChunkFootprint.bytes(ContentChunk.of(huge));
            assertThat(meter.max.get()).isBetween(hugeBytes, hugeBytes + ChunkFootprint.OVERHEAD);
            meter.assertEndedAtZero();
        }
    }

    enum Ending {
        CLOSE_UNREAD,
        CLOSE_AFTER_SOME,
        ABORT,
        SOURCE_FAILS,
        SOURCE_ERROR_THEN_DONE
    }

    /** However a long answer to a reader that is behind ends, the meter comes back to exactly 0. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("strategiesAndEndings")
    void theMeterReturnsToZeroHoweverTheStreamEnds(Backpressure strategy, Ending ending) {
        TestMeter meter = new TestMeter();
        TestSource source = switch (ending) {
            case SOURCE_FAILS ->
                TestSource.generating(300, i -> ContentChunk.of(piece(i)))
                        .thenThrow(new IOException("connection reset"));
            case SOURCE_ERROR_THEN_DONE ->
                TestSource.generating(300, i -> ContentChunk.of(piece(i)))
                        .then(
                                ErrorChunk.of(ChunkError.of(ErrorCode.UPSTREAM_ERROR, "late")),
                                DoneChunk.of(FinishReason.ERROR));
            default -> longAnswer(DELTAS);
        };
        ChatStream s =
                builder(source, strategy, meter).dropRecoveryChars(100_000).build();
        try {
            waitUntilStuck(s, source);
            assertThat(meter.max.get()).isLessThanOrEqualTo(bound(strategy, CAPACITY, BYTES, 100_000));
            switch (ending) {
                case CLOSE_UNREAD -> s.close();
                case CLOSE_AFTER_SOME -> {
                    for (int i = 0; i < 5; i++) {
                        assertThat(s.next()).isPresent();
                    }
                    s.close();
                }
                case ABORT -> {
                    assertThat(s.abort()).isTrue();
                    assertThat(s.next()).get().isInstanceOf(DoneChunk.class);
                }
                case SOURCE_FAILS, SOURCE_ERROR_THEN_DONE -> {
                    List<StreamChunk> chunks = consumeAsSlowlyAsAllowed(s, source);
                    assertThat(Chunks.lastDone(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
                    meter.assertEndedAtZero(); // before close: taking the done released the rest
                }
            }
            meter.assertEndedAtZero();
        } finally {
            s.close();
        }
        meter.assertEndedAtZero();
    }

    static List<Arguments> strategiesAndEndings() {
        List<Arguments> all = new ArrayList<>();
        for (Backpressure strategy : List.of(Backpressure.BUFFER, Backpressure.DROP, Backpressure.COALESCE)) {
            for (Ending ending : Ending.values()) {
                all.add(Arguments.of(strategy, ending));
            }
        }
        return all;
    }

    /** A close while the read-ahead waits with merged text in the newest chunk releases that text too. */
    @Test
    void closeMidMergeReleasesTheMergedText() {
        TestMeter meter = new TestMeter();
        TestSource source = TestSource.generating(1_000, i -> ContentChunk.of("d" + i + ";"))
                .then(ReasoningChunk.of("r")) // cannot merge into content
                .thenBlockUntilCancelled();
        ChatStream s = ChatStream.builder(source)
                .backpressure(Backpressure.COALESCE)
                .bufferCapacity(1)
                .byteMeter(meter)
                .build();
        waitFor(s::producerWaiting); // one merged content chunk waits; the reasoning needs room
        assertThat(meter.current.get()).isGreaterThan(ChunkFootprint.OVERHEAD + 2L * 1_000 * 3);
        s.close();
        meter.assertEndedAtZero();
        waitFor(() -> source.closes() == 1);
        meter.assertEndedAtZero();
    }

    /** With the defaults, a 21 MB answer to a reader that does not read: what each strategy holds. */
    @ParameterizedTest
    @EnumSource(names = {"BUFFER", "DROP", "COALESCE"})
    void withTheDefaultsALongAnswerStaysWithinTheDocumentedBound(Backpressure strategy) {
        TestMeter meter = new TestMeter();
        TestSource source = longAnswer(DELTAS);
        try (ChatStream s = ChatStream.builder(source)
                .backpressure(strategy)
                .byteMeter(meter)
                .build()) {
            waitUntilStuck(s, source);
            long bound = bound(
                    strategy, ChatStream.Builder.DEFAULT_BUFFER_CAPACITY, ChatStream.Builder.DEFAULT_BUFFER_BYTES, 0);
            System.out.printf(
                    "%s: a reader that does not read a %d-char answer: at most %d bytes retained (bound %d)%n",
                    strategy, DELTAS * DELTA_CHARS, meter.max.get(), bound);
            assertThat(meter.max.get()).isLessThanOrEqualTo(bound);
        }
        meter.assertEndedAtZero();
    }
}
