package io.aistream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aistream.ErrorCode;
import io.aistream.TestSeeds;
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
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SmoothChunksTest {
    private static final Duration PACE = Duration.ofMillis(20);
    private static final StreamChunk DONE = DoneChunk.of(FinishReason.STOP);

    private final VirtualTimeSource time = new VirtualTimeSource();
    private final ExecutorService consumer = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void tearDown() {
        consumer.shutdownNow();
    }

    /** Everything the source yields, with no pacing. */
    private static List<StreamChunk> drainUnpaced(SmoothMode mode, StreamChunk... in) throws Exception {
        ChunkSource s = ChunkSources.smooth(ScriptedChunkSource.of(in), mode, Duration.ZERO, new VirtualTimeSource());
        List<StreamChunk> out = new ArrayList<>();
        for (Optional<StreamChunk> c = s.next(); c.isPresent(); c = s.next()) {
            out.add(c.get());
        }
        return out;
    }

    private static StreamChunk text(String s) {
        return ContentChunk.of(s);
    }

    @Test
    void cutsWordsKeepingTheWhitespaceWithTheWord() throws Exception {
        assertThat(drainUnpaced(SmoothMode.WORD, text("Hello,  big\nwide world"), DONE))
                .containsExactly(text("Hello,  "), text("big\n"), text("wide "), text("world"), DONE);
    }

    @Test
    void joinsAWordSplitAcrossInputChunks() throws Exception {
        assertThat(drainUnpaced(
                        SmoothMode.WORD, text("Hel"), text("lo wo"), text("r"), text("ld"), text(" again"), DONE))
                .containsExactly(text("Hello "), text("world "), text("again"), DONE);
    }

    @Test
    void leadingWhitespaceGoesWithTheFirstWord() throws Exception {
        assertThat(drainUnpaced(SmoothMode.WORD, text("\n\n"), text("  Title\n"), DONE))
                .containsExactly(text("\n\n  Title\n"), DONE);
    }

    @Test
    void cutsLines() throws Exception {
        assertThat(drainUnpaced(SmoothMode.LINE, text("one\r\ntw"), text("o\n\nthr"), text("ee"), DONE))
                .containsExactly(text("one\r\n"), text("two\n"), text("\n"), text("three"), DONE);
    }

    @Test
    void flushesHeldTextBeforeAToolCallAndBeforeDone() throws Exception {
        StreamChunk tool = ToolCallChunk.of(ToolCallDelta.start(0, "call_1", "get_weather", "{}"));
        assertThat(drainUnpaced(SmoothMode.WORD, text("Let me ch"), text("eck"), tool, text("Sun"), text("ny"), DONE))
                .containsExactly(text("Let "), text("me "), text("check"), tool, text("Sunny"), DONE);
    }

    @Test
    void keepsReasoningAndContentApartAndInOrder() throws Exception {
        assertThat(drainUnpaced(
                        SmoothMode.WORD,
                        ReasoningChunk.of("Think ab"),
                        ReasoningChunk.of("out it"),
                        text("The an"),
                        text("swer"),
                        DONE))
                .containsExactly(
                        ReasoningChunk.of("Think "),
                        ReasoningChunk.of("about "),
                        ReasoningChunk.of("it"),
                        text("The "),
                        text("answer"),
                        DONE);
    }

    @Test
    void flushesHeldTextBeforeAnErrorChunkAndTheEnd() throws Exception {
        StreamChunk error = ErrorChunk.of(ChunkError.of(ErrorCode.UPSTREAM_ERROR, "boom"));
        assertThat(drainUnpaced(SmoothMode.WORD, text("half a sente"), error))
                .containsExactly(text("half "), text("a "), text("sente"), error);
        assertThat(drainUnpaced(SmoothMode.WORD, text("no done here")))
                .containsExactly(text("no "), text("done "), text("here"));
    }

    @Test
    void deliversHeldTextBeforeAnUpstreamFailure() throws Exception {
        ScriptedChunkSource inner = new ScriptedChunkSource().push(text("cut of"));
        inner.fail(new java.io.IOException("reset"));
        ChunkSource s = ChunkSources.smooth(inner, SmoothMode.WORD, Duration.ZERO, time);
        assertThat(s.next()).contains(text("cut "));
        assertThat(s.next()).contains(text("of"));
        assertThatThrownBy(s::next).isInstanceOf(java.io.IOException.class).hasMessage("reset");
        assertThat(s.next()).isEmpty();
    }

    @Test
    void neverSplitsSurrogatePairs() throws Exception {
        String emoji = "\uD83D\uDE00"; // 😀
        String noSpaces = emoji.repeat(100) + "x" + emoji.repeat(70); // far past maxPieceLength
        List<StreamChunk> out = drainUnpaced(
                SmoothMode.WORD,
                text("Hi " + emoji + " "),
                text(noSpaces.substring(0, 51)),
                text(noSpaces.substring(51)),
                text(" \uD83C\uDDE9\uD83C\uDDEA!"),
                DONE);
        StringBuilder all = new StringBuilder();
        for (StreamChunk c : out) {
            if (c instanceof ContentChunk cc) {
                String d = cc.delta();
                assertThat(Character.isLowSurrogate(d.charAt(0)))
                        .as("starts inside a pair: %s", d)
                        .isFalse();
                assertThat(Character.isHighSurrogate(d.charAt(d.length() - 1)))
                        .as("ends inside a pair: %s", d)
                        .isFalse();
                assertThat(d.length()).isLessThanOrEqualTo(SmoothMode.WORD.maxPieceLength() + 2);
                all.append(d);
            }
        }
        assertThat(all.toString()).isEqualTo("Hi " + emoji + " " + noSpaces + " \uD83C\uDDE9\uD83C\uDDEA!");
        assertThat(out.get(0)).isEqualTo(text("Hi "));
        assertThat(out.get(1)).isEqualTo(text(emoji + " "));
    }

    @Test
    void releasesOnePiecePerPaceAndTheFirstAtOnce() throws Exception {
        ChunkSource s = ChunkSources.smooth(
                ScriptedChunkSource.of(text("one two three four"), DONE), SmoothMode.WORD, PACE, time);
        assertThat(s.next()).contains(text("one "));
        assertThat(time.pendingTasks()).isZero();

        for (String word : List.of("two ", "three ")) {
            Future<Optional<StreamChunk>> next = consumer.submit((Callable<Optional<StreamChunk>>) s::next);
            await().until(() -> time.pendingTasks() == 1);
            time.advance(PACE.minusNanos(1));
            assertThat(next).isNotDone();
            time.advance(Duration.ofNanos(1));
            assertThat(next.get(10, TimeUnit.SECONDS)).contains(text(word));
        }
        // The held-back last word is flushed without waiting, then done.
        assertThat(s.next()).contains(text("four"));
        assertThat(s.next()).contains(DONE);
        assertThat(s.next()).isEmpty();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void aSlowUpstreamIsNotSlowedFurther() throws Exception {
        ScriptedChunkSource inner = new ScriptedChunkSource().push(text("one "));
        ChunkSource s = ChunkSources.smooth(inner, SmoothMode.WORD, PACE, time);
        assertThat(s.next()).contains(text("one "));
        time.advance(PACE.multipliedBy(3)); // the next word arrives late
        inner.push(text("two "));
        assertThat(s.next()).contains(text("two "));
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void cancelUnblocksAConsumerWaitingForItsTick() throws Exception {
        ScriptedChunkSource inner = ScriptedChunkSource.of(text("a b c "));
        ChunkSource s = ChunkSources.smooth(inner, SmoothMode.WORD, PACE, time);
        assertThat(s.next()).contains(text("a "));
        Future<Optional<StreamChunk>> next = consumer.submit((Callable<Optional<StreamChunk>>) s::next);
        await().until(() -> time.pendingTasks() == 1);

        s.close();

        assertThat(next.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(inner.cancelled()).isTrue();
        assertThat(inner.closed()).isTrue();
        assertThat(time.pendingTasks()).isZero();
        assertThat(s.next()).isEmpty();
    }

    @Test
    void isLosslessForRandomTextAndRandomSplits() throws Exception {
        long seed = TestSeeds.seed(SmoothChunksTest.class, 0x5300_7AL);
        SplittableRandom random = new SplittableRandom(seed);
        String[] atoms = {
            "a", "bc", " ", "  ", "\n", "\r\n", "\t", "é", "\uD83D\uDE00", "\u3053\u3093", "word", ".", "\u00A0"
        };
        for (int round = 0; round < 300; round++) {
            StringBuilder content = new StringBuilder();
            int n = random.nextInt(0, 120);
            for (int i = 0; i < n; i++) {
                content.append(atoms[random.nextInt(atoms.length)]);
            }
            List<StreamChunk> in = new ArrayList<>();
            String str = content.toString();
            int pos = 0;
            while (pos < str.length()) {
                int end = Math.min(str.length(), pos + random.nextInt(1, 12));
                if (end < str.length() && Character.isHighSurrogate(str.charAt(end - 1))) {
                    end++; // providers send whole code points
                }
                in.add(text(str.substring(pos, end)));
                pos = end;
            }
            in.add(DONE);
            SmoothMode mode = random.nextBoolean() ? SmoothMode.WORD : SmoothMode.LINE;
            List<StreamChunk> out = drainUnpaced(mode, in.toArray(StreamChunk[]::new));

            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < out.size() - 1; i++) {
                String d = ((ContentChunk) out.get(i)).delta();
                assertThat(d).as("seed %d round %d", seed, round).isNotEmpty();
                joined.append(d);
            }
            assertThat(joined.toString()).as("seed %d round %d", seed, round).isEqualTo(str);
            assertThat(out.get(out.size() - 1)).isEqualTo(DONE);
        }
    }

    @Test
    void rejectsANegativePace() {
        assertThatThrownBy(() ->
                        ChunkSources.smooth(new ScriptedChunkSource(), SmoothMode.WORD, Duration.ofMillis(-1), time))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mapTransformsEveryChunk() throws Exception {
        ScriptedChunkSource inner = ScriptedChunkSource.of(text("a"), DONE);
        ChunkSource s = ChunkSources.map(
                inner, c -> c instanceof ContentChunk cc ? text(cc.delta().toUpperCase()) : c);
        assertThat(s.next()).contains(text("A"));
        assertThat(s.next()).contains(DONE);
        assertThat(s.next()).isEmpty();
        s.close();
        assertThat(inner.closed()).isTrue();
    }
}
