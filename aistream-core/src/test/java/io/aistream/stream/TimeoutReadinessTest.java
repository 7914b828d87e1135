package io.aistream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.ErrorCode;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The limits of {@link ChunkSources#withTimeouts} hold for a consumer that pulls through readiness. */
class TimeoutReadinessTest {
    /** A source that never blocks: chunks the test queued, WAIT otherwise; cancel ends it. */
    private static final class QueueSource implements ChunkSource, SourceReadiness {
        final ArrayDeque<StreamChunk> queue = new ArrayDeque<>();
        volatile boolean cancelled;
        volatile Runnable armed;

        @Override
        public synchronized Optional<StreamChunk> next() {
            return cancelled ? Optional.empty() : Optional.ofNullable(queue.poll());
        }

        @Override
        public void cancel() {
            cancelled = true;
            Runnable callback = armed;
            armed = null;
            if (callback != null) {
                callback.run();
            }
        }

        @Override
        public Optional<SourceReadiness> readiness() {
            return Optional.of(this);
        }

        @Override
        public synchronized State poll() {
            return cancelled || !queue.isEmpty() ? State.READY : State.WAIT;
        }

        @Override
        public void onReady(Runnable callback) {
            armed = callback;
        }

        @Override
        public void release() {
            armed = null;
        }
    }

    @Test
    void anIdleLimitPassedWhileWaitingOnReadinessWakesTheConsumerWithTheTimeout() throws Exception {
        VirtualTimeSource time = new VirtualTimeSource();
        QueueSource inner = new QueueSource();
        ChunkSource limited =
                ChunkSources.withTimeouts(inner, Timeouts.none().withIdleBetweenChunks(Duration.ofSeconds(5)), time);
        SourceReadiness readiness = limited.readiness().orElseThrow();
        inner.queue.add(ContentChunk.of("a"));

        assertThat(readiness.poll()).isEqualTo(SourceReadiness.State.READY);
        assertThat(limited.next()).contains(ContentChunk.of("a"));
        assertThat(readiness.poll()).isEqualTo(SourceReadiness.State.WAIT); // the idle wait starts here
        AtomicInteger woken = new AtomicInteger();
        readiness.onReady(woken::incrementAndGet);

        time.advance(Duration.ofSeconds(4));
        assertThat(woken).hasValue(0);
        assertThat(readiness.poll()).isEqualTo(SourceReadiness.State.WAIT); // a second poll does not restart it
        time.advance(Duration.ofSeconds(1));

        assertThat(woken.get()).isPositive();
        assertThat(readiness.poll()).isEqualTo(SourceReadiness.State.READY);
        assertThat(limited.next().orElseThrow())
                .isInstanceOfSatisfying(
                        ErrorChunk.class,
                        e -> assertThat(e.error().code()).isEqualTo(ErrorCode.IDLE_TIMEOUT.wireName()));
        assertThat(limited.next().orElseThrow())
                .isInstanceOfSatisfying(
                        DoneChunk.class, d -> assertThat(d.finishReason()).isEqualTo(FinishReason.ERROR));
        assertThat(limited.next()).isEmpty();
    }

    @Test
    void aChunkBeforeTheLimitKeepsTheStreamGoing() throws Exception {
        VirtualTimeSource time = new VirtualTimeSource();
        QueueSource inner = new QueueSource();
        ChunkSource limited =
                ChunkSources.withTimeouts(inner, Timeouts.none().withIdleBetweenChunks(Duration.ofSeconds(5)), time);
        SourceReadiness readiness = limited.readiness().orElseThrow();
        inner.queue.add(ContentChunk.of("a"));
        assertThat(readiness.poll()).isEqualTo(SourceReadiness.State.READY);
        limited.next();
        assertThat(readiness.poll()).isEqualTo(SourceReadiness.State.WAIT);

        time.advance(Duration.ofSeconds(4));
        inner.queue.add(ContentChunk.of("b"));
        assertThat(readiness.poll()).isEqualTo(SourceReadiness.State.READY);
        assertThat(limited.next()).contains(ContentChunk.of("b"));
        assertThat(readiness.poll()).isEqualTo(SourceReadiness.State.WAIT);
        time.advance(Duration.ofSeconds(4)); // 8 s since a, 4 s since b

        assertThat(readiness.poll()).isEqualTo(SourceReadiness.State.WAIT);
        assertThat(inner.cancelled).isFalse();
    }

    @Test
    void aSourceWithoutReadinessOffersNoneThroughTheLimits() {
        ChunkSource plain = new ChunkSource() {
            @Override
            public Optional<StreamChunk> next() {
                return Optional.empty();
            }

            @Override
            public void cancel() {}
        };
        assertThat(ChunkSources.withTimeouts(
                                plain,
                                Timeouts.none().withIdleBetweenChunks(Duration.ofSeconds(5)),
                                new VirtualTimeSource())
                        .readiness())
                .isEmpty();
    }
}
