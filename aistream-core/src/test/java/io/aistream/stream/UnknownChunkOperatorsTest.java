package io.aistream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aistream.chunk.ChunkError;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.UnknownChunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A chunk of a type from a newer server goes through every operator like any non-delta chunk. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UnknownChunkOperatorsTest {
    private static final UnknownChunk CITATION =
            new UnknownChunk("", 0, "citation", "{\"source\":{\"url\":\"https://x\"}}");
    private static final DoneChunk DONE = DoneChunk.of(FinishReason.STOP);

    private static List<StreamChunk> script() {
        List<StreamChunk> script = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            script.add(ContentChunk.of("a" + i + ";"));
        }
        script.add(CITATION);
        for (int i = 0; i < 20; i++) {
            script.add(i % 5 == 0 ? ReasoningChunk.of("r" + i + ";") : ContentChunk.of("b" + i + ";"));
        }
        script.add(DONE);
        return script;
    }

    /** Lets the producer run as far ahead as the strategy allows, then drains. */
    private static List<StreamChunk> drainWhenBehind(Backpressure strategy) {
        TestSource source = TestSource.of(script().toArray(StreamChunk[]::new));
        // buffer ends the stream on overflow: give it room for everything; the others merge or drop when full
        int capacity = strategy == Backpressure.BUFFER ? 64 : 4;
        try (ChatStream s = ChatStream.builder(source)
                .id("st_u")
                .backpressure(strategy)
                .bufferCapacity(capacity)
                .build()) {
            List<StreamChunk> out = new ArrayList<>();
            Optional<StreamChunk> first = s.next();
            out.add(first.orElseThrow());
            if (strategy != Backpressure.BLOCK) {
                await().until(() -> s.producerWaiting() || source.exhausted());
            }
            for (Optional<StreamChunk> c = s.next(); c.isPresent(); c = s.next()) {
                out.add(c.get());
            }
            return out;
        }
    }

    private static String content(List<StreamChunk> chunks) {
        StringBuilder sb = new StringBuilder();
        chunks.stream().filter(ContentChunk.class::isInstance).forEach(c -> sb.append(((ContentChunk) c).delta()));
        return sb.toString();
    }

    @ParameterizedTest
    @EnumSource(Backpressure.class)
    void everyStrategyPassesItOnOnceInItsPlace(Backpressure strategy) {
        List<StreamChunk> out = drainWhenBehind(strategy);

        List<StreamChunk> unknown =
                out.stream().filter(UnknownChunk.class::isInstance).toList();
        assertThat(unknown).hasSize(1);
        UnknownChunk u = (UnknownChunk) unknown.getFirst();
        assertThat(u.wireType()).isEqualTo("citation");
        assertThat(u.fields()).isEqualTo(CITATION.fields());
        assertThat(u.id()).isEqualTo("st_u");
        int at = out.indexOf(u);
        for (int i = 0; i < out.size(); i++) {
            assertThat(out.get(i).seq()).isEqualTo(i);
        }
        assertThat(out.getLast()).isInstanceOf(DoneChunk.class);
        // nothing from after it moves before it, nothing from before it moves after it
        assertThat(content(out.subList(0, at))).doesNotContain("b");
        assertThat(content(out.subList(at, out.size()))).doesNotContain("a");
        if (strategy != Backpressure.DROP) {
            assertThat(content(out)).isEqualTo(content(script()));
        }
        // the consumer really was behind: deltas were merged or dropped around it
        switch (strategy) {
            case COALESCE -> assertThat(out).hasSizeLessThan(script().size());
            case DROP -> assertThat(((DoneChunk) out.getLast()).dropped()).isPositive();
            default -> assertThat(out).hasSize(script().size());
        }
    }

    @Test
    void smoothingFlushesHeldTextBeforeItAndPassesItOn() throws Exception {
        ChunkSource smooth = ChunkSources.smooth(
                ScriptedChunkSource.of(ContentChunk.of("half a wo"), CITATION, ContentChunk.of("rd more"), DONE),
                SmoothMode.WORD,
                Duration.ZERO,
                new VirtualTimeSource());
        List<StreamChunk> out = new ArrayList<>();
        for (Optional<StreamChunk> c = smooth.next(); c.isPresent(); c = smooth.next()) {
            out.add(c.get());
        }
        assertThat(out)
                .containsExactly(
                        ContentChunk.of("half "),
                        ContentChunk.of("a "),
                        ContentChunk.of("wo"),
                        CITATION,
                        ContentChunk.of("rd "),
                        ContentChunk.of("more"),
                        DONE);
    }

    @Test
    void callbacksSeeItAsAChunk() throws Exception {
        List<StreamChunk> seen = new CopyOnWriteArrayList<>();
        try (ChatStream s = ChatStream.builder(TestSource.of(ContentChunk.of("x"), CITATION, DONE))
                .id("st_c")
                .build()) {
            DoneChunk done = s.runAsync(new StreamCallbacks() {
                        @Override
                        public void onChunk(StreamChunk chunk) {
                            seen.add(chunk);
                        }

                        @Override
                        public void onError(ChunkError error) {
                            seen.add(null);
                        }
                    })
                    .get(10, TimeUnit.SECONDS);
            assertThat(done.seq()).isEqualTo(2);
        }
        assertThat(seen).containsExactly(new ContentChunk("st_c", 0, "x"), CITATION.withPosition("st_c", 1));
    }
}
