package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ChunkJson;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.sse.SseEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ShutdownTest {

    @Test
    void stopAbortsStalledStreamsAtTheDeadlineWithDoneAborted() throws Exception {
        TestGateway gateway = TestGateway.start();
        RawHttp plain = gateway.stream("");
        var plainSource = gateway.provider.nextSource();
        RawHttp resumable = gateway.stream("\"resumable\":true");
        var resumableSource = gateway.provider.nextSource();
        plainSource.emit(ContentChunk.of("a"));
        resumableSource.emit(ContentChunk.of("b"));
        var plainEvents = plain.sse();
        var resumableEvents = resumable.sse();
        assertThat(plain.events(plainEvents, 1)).hasSize(1);
        assertThat(resumable.events(resumableEvents, 1)).hasSize(1);

        long start = System.nanoTime();
        gateway.server.stop(Duration.ofMillis(300)); // both upstreams stall past the deadline
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        for (var pair : List.of(List.of(plain, plainEvents), List.of(resumable, resumableEvents))) {
            RawHttp http = (RawHttp) pair.get(0);
            List<SseEvent> rest = http.events((io.aistream.sse.SseReader) pair.get(1), 10);
            assertThat(rest).extracting(SseEvent::data).last().isEqualTo("[DONE]");
            assertThat(ChunkJson.parse(rest.get(rest.size() - 2).data())).isInstanceOfSatisfying(DoneChunk.class,
                    d -> assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED));
            http.close();
        }
        assertThat(plainSource.isCancelled()).isTrue();
        assertThat(resumableSource.isCancelled()).isTrue();
        assertThat(tookMillis).isBetween(300L, 5000L);
    }

    @Test
    void streamsThatFinishBeforeTheDeadlineEndNormallyAndStopReturnsEarly() throws Exception {
        TestGateway gateway = TestGateway.start();
        RawHttp http = gateway.stream("");
        var source = gateway.provider.nextSource();
        var events = http.sse();
        CompletableFuture<Long> stopped = CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            gateway.server.stop(Duration.ofSeconds(20));
            return (System.nanoTime() - start) / 1_000_000;
        });
        source.emit(ContentChunk.of("still "), ContentChunk.of("here"), DoneChunk.of(FinishReason.STOP));
        List<SseEvent> all = http.events(events, 10);
        assertThat(all).extracting(SseEvent::data).last().isEqualTo("[DONE]");
        assertThat(ChunkJson.parse(all.get(all.size() - 2).data())).isInstanceOfSatisfying(DoneChunk.class,
                d -> assertThat(d.finishReason()).isEqualTo(FinishReason.STOP));
        assertThat(stopped.get()).isLessThan(10_000L);
        http.close();
    }
}
