package io.aistream.stream;

import static io.aistream.stream.Chunks.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A stream that continues one whose first chunks someone else delivered: seq starts at firstSeq. */
@Timeout(20)
class ChatStreamFirstSeqTest {

    private static ChatStream stream(ChunkSource source, Backpressure strategy, long firstSeq) {
        return ChatStream.builder(source)
                .id("st_taken")
                .backpressure(strategy)
                .firstSeq(firstSeq)
                .build();
    }

    @ParameterizedTest
    @EnumSource(Backpressure.class)
    void everyChunkCountsOnFromFirstSeq(Backpressure strategy) {
        // kinds that no strategy merges: every chunk keeps its own seq
        TestSource source = TestSource.of(
                ContentChunk.of("lo"),
                ReasoningChunk.of("hmm"),
                ContentChunk.of(" world"),
                DoneChunk.of(FinishReason.STOP));
        try (ChatStream s = stream(source, strategy, 7)) {
            List<StreamChunk> chunks = drain(s);
            assertThat(chunks).extracting(StreamChunk::seq).containsExactly(7L, 8L, 9L, 10L);
            assertThat(chunks).extracting(StreamChunk::id).containsOnly("st_taken");
        }
    }

    @ParameterizedTest
    @EnumSource(Backpressure.class)
    void abortsDoneCountsOnToo(Backpressure strategy) throws InterruptedException {
        TestSource source = TestSource.of(ContentChunk.of("a")).thenBlockUntilCancelled();
        try (ChatStream s = stream(source, strategy, 40)) {
            BlockingQueue<Optional<StreamChunk>> results = new LinkedBlockingQueue<>();
            Thread.ofVirtual().start(() -> {
                Optional<StreamChunk> c;
                do {
                    c = s.next();
                    results.add(c);
                } while (c.isPresent());
            });
            assertThat(results.take()).get().extracting(StreamChunk::seq).isEqualTo(40L);
            await().until(() -> source.nextCalls() == 2); // the reader waits in the source

            assertThat(s.abort()).isTrue();

            assertThat(results.take()).get().isInstanceOfSatisfying(DoneChunk.class, d -> {
                assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED);
                assertThat(d.seq()).isEqualTo(41);
            });
            assertThat(results.take()).isEmpty();
        }
    }

    @Test
    void abortBeforeAnyChunkDeliversDoneAtFirstSeq() {
        TestSource source = TestSource.contents(3);
        try (ChatStream s = stream(source, Backpressure.BLOCK, 12)) {
            s.abort();
            assertThat(s.next()).get().isInstanceOfSatisfying(DoneChunk.class, d -> {
                assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED);
                assertThat(d.seq()).isEqualTo(12);
            });
        }
    }

    @Test
    void aSynthesizedErrorAndDoneCountOn() {
        TestSource source = TestSource.of(ContentChunk.of("cut")); // ends without done
        try (ChatStream s = stream(source, Backpressure.BLOCK, 3)) {
            List<StreamChunk> chunks = drain(s);
            assertThat(chunks).extracting(StreamChunk::seq).containsExactly(3L, 4L, 5L);
            assertThat(chunks.get(1)).isInstanceOf(ErrorChunk.class);
            assertThat(Chunks.lastDone(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
        }
    }

    @Test
    void firstSeqZeroIsTheDefault() {
        try (ChatStream s = stream(TestSource.contents(1), Backpressure.BLOCK, 0)) {
            assertThat(drain(s)).extracting(StreamChunk::seq).startsWith(0L);
        }
    }

    @Test
    void aNegativeFirstSeqIsRefusedNamingIt() {
        ChatStream.Builder builder = ChatStream.builder(TestSource.contents(1));
        assertThatThrownBy(() -> builder.firstSeq(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("firstSeq")
                .hasMessageContaining("-1");
    }
}
