package io.aistream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PushChunkSourceTest {

    private static List<StreamChunk> drain(ChatStream stream) {
        List<StreamChunk> chunks = new ArrayList<>();
        try (stream) {
            stream.forEach(chunks::add);
        }
        return chunks;
    }

    @Test
    void pushedChunksComeOutInOrderAndTheDoneEndsTheStream() {
        AtomicInteger cancels = new AtomicInteger();
        PushChunkSource source =
                PushChunkSource.builder().onCancel(cancels::incrementAndGet).build();
        assertThat(source.push(ContentChunk.of("a"))).isTrue();
        assertThat(source.push(ContentChunk.of("b"))).isTrue();
        assertThat(source.push(DoneChunk.of(FinishReason.STOP))).isTrue();
        assertThat(source.push(ContentChunk.of("after the end"))).isFalse();

        List<StreamChunk> chunks = drain(ChatStream.builder(source).build());

        assertThat(chunks).extracting(StreamChunk::seq).containsExactly(0L, 1L, 2L);
        assertThat(((DoneChunk) chunks.get(2)).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(cancels)
                .as("closing a finished source does not cancel its upstream")
                .hasValue(0);
    }

    @Test
    void anOverflowEndsWithBufferOverflowNamingTheBoundAndCancelsTheUpstreamOnce() {
        AtomicInteger cancels = new AtomicInteger();
        PushChunkSource source = PushChunkSource.builder()
                .maxBytes(1000)
                .onCancel(cancels::incrementAndGet)
                .build();
        int taken = 0;
        while (source.push(ContentChunk.of("x".repeat(100)))) { // 296 bytes each by ChunkFootprint
            taken++;
        }
        assertThat(source.push(ContentChunk.of("more"))).isFalse();

        List<StreamChunk> chunks = drain(ChatStream.builder(source).build());

        assertThat(taken).isEqualTo(3);
        ErrorChunk error = (ErrorChunk) chunks.get(taken);
        assertThat(error.error().code()).isEqualTo(ErrorCode.BUFFER_OVERFLOW.wireName());
        assertThat(error.error().message()).contains("more than 1000 bytes");
        assertThat(((DoneChunk) chunks.getLast()).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(cancels).hasValue(1);
    }

    @Test
    void theDemandHookRunsOnlyWhenNothingWaits() throws Exception {
        AtomicInteger demands = new AtomicInteger();
        PushChunkSource[] holder = new PushChunkSource[1];
        holder[0] = PushChunkSource.builder()
                .onDemand(() -> {
                    // a producer that answers each demand with two chunks
                    int n = demands.incrementAndGet();
                    holder[0].push(ContentChunk.of(n + "a"));
                    holder[0].push(n == 3 ? DoneChunk.of(FinishReason.STOP) : ContentChunk.of(n + "b"));
                })
                .build();

        List<StreamChunk> chunks = drain(ChatStream.builder(holder[0]).build());

        assertThat(chunks).hasSize(6);
        assertThat(demands).hasValue(3);
    }

    @Test
    void failAndEndTerminateTheStream() {
        PushChunkSource failing = PushChunkSource.builder().build();
        failing.push(ContentChunk.of("a"));
        failing.fail(ChunkError.of(ErrorCode.RATE_LIMITED, "slow down"));
        List<StreamChunk> failed = drain(ChatStream.builder(failing).build());
        assertThat(((ErrorChunk) failed.get(1)).error().code()).isEqualTo("rate_limited");
        assertThat(((DoneChunk) failed.get(2)).finishReason()).isEqualTo(FinishReason.ERROR);

        PushChunkSource ending = PushChunkSource.builder().build();
        ending.push(ContentChunk.of("a"));
        ending.end();
        List<StreamChunk> ended = drain(ChatStream.builder(ending).build());
        assertThat(((ErrorChunk) ended.get(1)).error().code()).isEqualTo("incomplete_stream");
    }

    @Test
    void abortWakesABlockedConsumerAndCancelsTheUpstream() throws Exception {
        AtomicInteger cancels = new AtomicInteger();
        PushChunkSource source =
                PushChunkSource.builder().onCancel(cancels::incrementAndGet).build();
        ChatStream stream = ChatStream.builder(source).build();
        List<StreamChunk> seen = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> stream.forEach(seen::add));
        org.awaitility.Awaitility.await().until(() -> reader.getState() == Thread.State.WAITING);

        assertThat(stream.abort()).isTrue();
        reader.join();

        assertThat(seen)
                .singleElement()
                .isInstanceOfSatisfying(
                        DoneChunk.class, d -> assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED));
        assertThat(cancels).hasValue(1);
        assertThat(source.isCancelled()).isTrue();
        assertThat(source.push(ContentChunk.of("late"))).isFalse();
        assertThat(cancels).hasValue(1);
    }
}
