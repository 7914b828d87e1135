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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ShutdownTest {
    /** How long a test waits for stop to return before it fails. */
    private static final Duration GUARD = Duration.ofSeconds(10);

    private static final Duration DEADLINE = Duration.ofMillis(300);

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

        // the drain's deadline is real time (the server does not read it from the time source); the
        // test only waits for stop to return, with a guard, and never bounds how long it took
        long start = System.nanoTime();
        CompletableFuture.runAsync(() -> gateway.server.stop(DEADLINE)) // both upstreams stall past the deadline
                .get(GUARD.toSeconds(), TimeUnit.SECONDS);
        long tookNanos = System.nanoTime() - start;

        for (var pair : List.of(List.of(plain, plainEvents), List.of(resumable, resumableEvents))) {
            RawHttp http = (RawHttp) pair.get(0);
            List<SseEvent> rest = http.events((io.aistream.sse.SseReader) pair.get(1), 10);
            assertThat(rest).extracting(SseEvent::data).last().isEqualTo("[DONE]");
            assertThat(ChunkJson.parse(rest.get(rest.size() - 2).data()))
                    .isInstanceOfSatisfying(
                            DoneChunk.class, d -> assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED));
            http.close();
        }
        assertThat(plainSource.isCancelled()).isTrue();
        assertThat(resumableSource.isCancelled()).isTrue();
        assertThat(tookNanos)
                .as("stop waits for the deadline before it aborts")
                .isGreaterThanOrEqualTo(DEADLINE.toNanos());
    }

    @Test
    void streamsThatFinishBeforeTheDeadlineEndNormallyAndStopReturnsEarly() throws Exception {
        TestGateway gateway = TestGateway.start();
        RawHttp http = gateway.stream("");
        var source = gateway.provider.nextSource();
        var events = http.sse();
        // a deadline no test run reaches: stop returning within the guard proves it did not wait for it
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> gateway.server.stop(Duration.ofHours(1)));
        source.emit(ContentChunk.of("still "), ContentChunk.of("here"), DoneChunk.of(FinishReason.STOP));
        List<SseEvent> all = http.events(events, 10);
        assertThat(all).extracting(SseEvent::data).last().isEqualTo("[DONE]");
        assertThat(ChunkJson.parse(all.get(all.size() - 2).data()))
                .isInstanceOfSatisfying(
                        DoneChunk.class, d -> assertThat(d.finishReason()).isEqualTo(FinishReason.STOP));
        stopped.get(GUARD.toSeconds(), TimeUnit.SECONDS); // a TimeoutException here: stop waited for the deadline
        http.close();
    }
}
