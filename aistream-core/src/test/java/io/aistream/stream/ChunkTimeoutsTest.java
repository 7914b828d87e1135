package io.aistream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChunkTimeoutsTest {
    private static final Duration FIRST = Duration.ofSeconds(5);
    private static final Duration IDLE = Duration.ofMillis(500);
    private static final Duration TOTAL = Duration.ofSeconds(60);

    private final VirtualTimeSource time = new VirtualTimeSource();
    private final ExecutorService consumer = Executors.newVirtualThreadPerTaskExecutor();
    private final ScriptedChunkSource inner = new ScriptedChunkSource();

    @AfterEach
    void tearDown() {
        consumer.shutdownNow();
    }

    private Future<Optional<StreamChunk>> nextAsync(ChunkSource s) {
        return consumer.submit((Callable<Optional<StreamChunk>>) s::next);
    }

    private static StreamChunk get(Future<Optional<StreamChunk>> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS).orElseThrow();
    }

    private static void assertTimedOut(ChunkSource s, StreamChunk error, String code, String limitText)
            throws Exception {
        assertThat(error).isInstanceOfSatisfying(ErrorChunk.class, e -> {
            assertThat(e.error().code()).isEqualTo(code);
            assertThat(e.error().message()).contains(limitText);
            assertThat(e.error().retryable()).isTrue();
        });
        assertThat(s.next())
                .hasValueSatisfying(d -> assertThat(d)
                        .isInstanceOfSatisfying(
                                DoneChunk.class,
                                done -> assertThat(done.finishReason()).isEqualTo(FinishReason.ERROR)));
        assertThat(s.next()).isEmpty();
        assertThat(s.next()).isEmpty();
    }

    @Test
    void firstChunkTimeoutFiresAtExactlyTheLimitAndNotOneNanosecondBefore() throws Exception {
        ChunkSource s = ChunkSources.withTimeouts(inner, Timeouts.none().withFirstChunk(FIRST), time);
        Future<Optional<StreamChunk>> first = nextAsync(s);
        await().until(() -> time.pendingTasks() == 1);

        time.advance(FIRST.minusNanos(1));
        assertThat(first).isNotDone();
        assertThat(inner.cancelled()).isFalse();
        time.advance(Duration.ofNanos(1));

        assertTimedOut(s, get(first), "first_chunk_timeout", "5 s");
        assertThat(inner.cancelled()).isTrue();
        assertThat(time.pendingTasks()).isZero();
        s.close();
        assertThat(inner.closed()).isTrue();
    }

    @Test
    void idleTimerRestartsWithEveryChunk() throws Exception {
        ChunkSource s = ChunkSources.withTimeouts(inner, Timeouts.none().withIdleBetweenChunks(IDLE), time);
        inner.push(ContentChunk.of("a"));
        assertThat(s.next()).contains(ContentChunk.of("a"));
        assertThat(time.pendingTasks()).isZero(); // the idle limit does not govern the first chunk

        for (int i = 0; i < 3; i++) {
            int reads = inner.reads();
            Future<Optional<StreamChunk>> next = nextAsync(s);
            await().until(() -> inner.reads() == reads + 1); // waiting for the chunk
            time.advance(IDLE.minusNanos(1));
            assertThat(next).isNotDone();
            inner.push(ContentChunk.of("x" + i));
            assertThat(get(next)).isEqualTo(ContentChunk.of("x" + i));
            // lazy watchdog: at most one timer per stream, never one per chunk
            assertThat(time.pendingTasks()).isLessThanOrEqualTo(1);
        }

        int reads = inner.reads();
        Future<Optional<StreamChunk>> stalled = nextAsync(s);
        await().until(() -> inner.reads() == reads + 1);
        time.advance(IDLE.minusNanos(1));
        assertThat(stalled).isNotDone();
        time.advance(Duration.ofNanos(1));
        assertTimedOut(s, get(stalled), "idle_timeout", "500 ms");
        assertThat(inner.cancelled()).isTrue();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void idleLimitShorterThanTheFirstChunkLimitFiresOnTimeAfterTheFirstChunk() throws Exception {
        ChunkSource s = ChunkSources.withTimeouts(
                inner, Timeouts.none().withFirstChunk(FIRST).withIdleBetweenChunks(IDLE), time);
        Future<Optional<StreamChunk>> first = nextAsync(s);
        await().until(() -> inner.reads() == 1);
        time.advance(Duration.ofSeconds(1));
        inner.push(ContentChunk.of("a"));
        assertThat(get(first)).isEqualTo(ContentChunk.of("a"));

        Future<Optional<StreamChunk>> stalled = nextAsync(s);
        await().until(() -> inner.reads() == 2);
        assertThat(time.pendingDueTimes()).containsExactly(time.nanoTime() + IDLE.toNanos());
        time.advance(IDLE.minusNanos(1));
        assertThat(stalled).isNotDone();
        time.advance(Duration.ofNanos(1));
        assertTimedOut(s, get(stalled), "idle_timeout", "500 ms");
        assertThat(inner.cancelled()).isTrue();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void consumerTimeBetweenRequestsDoesNotCountAsIdle() throws Exception {
        ChunkSource s = ChunkSources.withTimeouts(inner, Timeouts.none().withIdleBetweenChunks(IDLE), time);
        inner.push(ContentChunk.of("a")).push(ContentChunk.of("b"));
        assertThat(s.next()).contains(ContentChunk.of("a"));
        time.advance(IDLE.multipliedBy(10)); // a slow consumer
        assertThat(s.next()).contains(ContentChunk.of("b"));
    }

    @Test
    void totalTimeoutFiresWhileWaitingEvenWhenChunksKeepComing() throws Exception {
        ChunkSource s = ChunkSources.withTimeouts(
                inner, Timeouts.none().withIdleBetweenChunks(IDLE).withTotal(Duration.ofSeconds(2)), time);
        Future<Optional<StreamChunk>> next = nextAsync(s);
        await().until(() -> time.pendingTasks() == 1); // total only: no first-chunk limit set
        long deadline = time.nanoTime() + Duration.ofSeconds(2).toNanos();
        for (int i = 0; time.nanoTime() + IDLE.toNanos() < deadline; i++) {
            time.advance(Duration.ofMillis(400));
            inner.push(ContentChunk.of("c" + i));
            assertThat(get(next)).isEqualTo(ContentChunk.of("c" + i));
            int reads = inner.reads();
            next = nextAsync(s);
            await().until(() -> inner.reads() == reads + 1);
        }
        time.advance(Duration.ofNanos(deadline - time.nanoTime() - 1));
        assertThat(next).isNotDone();
        time.advance(Duration.ofNanos(1));

        assertTimedOut(s, get(next), "total_timeout", "2 s");
        assertThat(inner.cancelled()).isTrue();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void totalTimeoutPassingBetweenRequestsCancelsUpstreamAtOnce() throws Exception {
        ChunkSource s = ChunkSources.withTimeouts(inner, Timeouts.none().withTotal(TOTAL), time);
        inner.push(ContentChunk.of("a"));
        assertThat(s.next()).contains(ContentChunk.of("a"));

        time.advance(TOTAL);
        await().until(inner::cancelled);

        assertTimedOut(s, s.next().orElseThrow(), "total_timeout", "60 s");
    }

    @Test
    void chunkThatArrivedBeforeTheDeadlineIsStillDelivered() throws Exception {
        ChunkSource s = ChunkSources.withTimeouts(inner, Timeouts.none().withFirstChunk(FIRST), time);
        Future<Optional<StreamChunk>> first = nextAsync(s);
        await().until(() -> time.pendingTasks() == 1);
        inner.push(ContentChunk.of("just in time"));
        assertThat(get(first)).isEqualTo(ContentChunk.of("just in time"));
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void noTimeoutWhenChunksArriveInTimeAndNoTaskIsLeftBehind() throws Exception {
        ChunkSource s = ChunkSources.withTimeouts(
                inner, new Timeouts(Optional.of(FIRST), Optional.of(IDLE), Optional.of(TOTAL)), time);
        Future<Optional<StreamChunk>> next = nextAsync(s);
        await().until(() -> time.pendingTasks() == 2);
        time.advance(FIRST.minusMillis(1));
        inner.push(ContentChunk.of("Hello"));
        assertThat(get(next)).isEqualTo(ContentChunk.of("Hello"));

        next = nextAsync(s);
        await().until(() -> inner.reads() == 2);
        time.advance(IDLE.minusMillis(1));
        inner.push(DoneChunk.of(FinishReason.STOP));
        assertThat(get(next)).isEqualTo(DoneChunk.of(FinishReason.STOP));
        assertThat(time.pendingTasks()).isZero(); // limits end with the done chunk

        inner.end();
        assertThat(s.next()).isEmpty();
        assertThat(inner.cancelled()).isFalse();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void cancelUnblocksTheConsumerCancelsUpstreamAndEveryTimer() throws Exception {
        ChunkSource s = ChunkSources.withTimeouts(
                inner, Timeouts.none().withFirstChunk(FIRST).withTotal(TOTAL), time);
        Future<Optional<StreamChunk>> pending = nextAsync(s);
        await().until(() -> time.pendingTasks() == 2);

        s.cancel();

        assertThat(pending.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(inner.cancelled()).isTrue();
        assertThat(time.pendingTasks()).isZero();
        assertThat(s.next()).isEmpty();
        s.cancel();
    }

    @Test
    void upstreamFailurePassesThroughAndStopsTheTimers() throws Exception {
        ChunkSource s = ChunkSources.withTimeouts(
                inner, Timeouts.none().withFirstChunk(FIRST).withTotal(TOTAL), time);
        inner.fail(new java.io.IOException("connection reset"));
        assertThatThrownBy(s::next).isInstanceOf(java.io.IOException.class).hasMessage("connection reset");
        assertThat(time.pendingTasks()).isZero();
        assertThat(s.next()).isEmpty();
    }

    @Test
    void endWithoutDoneEndsAndStopsTheTimers() throws Exception {
        ChunkSource s = ChunkSources.withTimeouts(
                inner, Timeouts.none().withIdleBetweenChunks(IDLE).withTotal(TOTAL), time);
        inner.push(ContentChunk.of("a")).end();
        assertThat(s.next()).contains(ContentChunk.of("a"));
        assertThat(s.next()).isEmpty();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void noLimitsMeansTheSourceItself() {
        assertThat(ChunkSources.withTimeouts(inner, Timeouts.none(), time)).isSameAs(inner);
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> Timeouts.none().withFirstChunk(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Timeouts.none().withTotal(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Timeouts.none().withIdleBetweenChunks(IDLE).idleBetweenChunks())
                .contains(IDLE);
        assertThat(Timeouts.none().isNone()).isTrue();
    }
}
