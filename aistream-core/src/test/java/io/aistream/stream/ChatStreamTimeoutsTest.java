package io.aistream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChatStreamTimeoutsTest {

    @ParameterizedTest
    @EnumSource(Backpressure.class)
    void idleTimeoutEndsTheStreamWithAnErrorAndDoneAndCancelsTheSource(Backpressure backpressure) throws Exception {
        VirtualTimeSource time = new VirtualTimeSource();
        ScriptedChunkSource source = new ScriptedChunkSource().push(ContentChunk.of("Hel"));
        ChatStream stream = ChatStream.builder(source)
                .backpressure(backpressure)
                .timeouts(Timeouts.none().withIdleBetweenChunks(Duration.ofSeconds(2)))
                .timeSource(time)
                .build();

        CompletableFuture<List<StreamChunk>> all = CompletableFuture.supplyAsync(
                () -> stream.stream().toList(), command -> Thread.ofVirtual().start(command));
        // The idle limit is armed once the stream waits for the chunk after "Hel".
        await().atMost(Duration.ofSeconds(10)).until(() -> time.pendingTasks() > 0);
        time.advance(Duration.ofMillis(1999));
        assertThat(all).isNotDone();
        time.advance(Duration.ofMillis(1));

        List<StreamChunk> chunks = all.get(10, TimeUnit.SECONDS);
        assertThat(chunks).hasSize(3);
        assertThat(chunks.get(0)).isEqualTo(new ContentChunk(stream.id(), 0, "Hel"));
        assertThat(chunks.get(1))
                .isInstanceOfSatisfying(
                        ErrorChunk.class, e -> assertThat(e.error().code()).isEqualTo("idle_timeout"));
        assertThat(chunks.get(2))
                .isInstanceOfSatisfying(
                        DoneChunk.class, d -> assertThat(d.finishReason()).isEqualTo(FinishReason.ERROR));
        assertThat(chunks).extracting(StreamChunk::seq).containsExactly(0L, 1L, 2L);
        await().atMost(Duration.ofSeconds(10)).until(source::cancelled);
    }

    @Test
    void noTimeoutsMeansNoScheduledTasks() {
        VirtualTimeSource time = new VirtualTimeSource();
        try (ChatStream stream = ChatStream.builder(
                        ScriptedChunkSource.of(ContentChunk.of("a"), DoneChunk.of(FinishReason.STOP)))
                .timeSource(time)
                .build()) {
            assertThat(stream.stream().map(StreamChunk::type).toList()).hasSize(2);
        }
        assertThat(time.pendingTasks()).isZero();
    }
}
