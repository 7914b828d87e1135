package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ChunkJson;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.sse.SseEvent;
import io.aistream.testing.RawHttp;
import io.aistream.testing.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

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

    /**
     * A graceful stop reaches every WebSocket: first each running stream's done(aborted), then a
     * close frame 1001 with a reason — never a dropped connection (1006). The socket without streams
     * gets its 1001 too.
     */
    @Test
    void webSocketClientsGetDoneAbortedThenClose1001() throws Exception {
        TestGateway gateway = TestGateway.start();
        String request = "{\"provider\":\"test\",\"model\":\"script\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        WsClient ws = WsClient.connect(gateway.port());
        ws.start("plain", request + "}");
        var plain = gateway.provider.nextSource();
        ws.start("kept", request + ",\"resumable\":true}");
        var kept = gateway.provider.nextSource();
        plain.emit(ContentChunk.of("p"));
        kept.emit(ContentChunk.of("k"));
        ws.next();
        ws.next();
        WsClient idle = WsClient.connect(gateway.port());

        CompletableFuture.runAsync(() -> gateway.server.stop(DEADLINE)).get(GUARD.toSeconds(), TimeUnit.SECONDS);

        WsClient.Close close = ws.awaitClose();
        // the client's listener runs one event at a time, in order: what came before the close is queued now
        List<JsonNode> before = ws.drain();
        assertThat(before)
                .filteredOn(m -> "done".equals(m.path("type").asString("")))
                .extracting(m ->
                        m.get("stream").asString() + ":" + m.get("finishReason").asString())
                .containsExactlyInAnyOrder("plain:aborted", "kept:aborted");
        assertThat(close).isEqualTo(new WsClient.Close(1001, "the gateway is shutting down"));
        assertThat(idle.awaitClose()).isEqualTo(new WsClient.Close(1001, "the gateway is shutting down"));
        assertThat(plain.isCancelled()).isTrue();
        assertThat(kept.isCancelled()).isTrue();
        ws.abort();
        idle.abort();
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
