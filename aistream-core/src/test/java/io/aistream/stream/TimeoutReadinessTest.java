package io.aistream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aistream.ErrorCode;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link TimeoutChunkSource#readiness()}: the limits hold for a consumer parked on its event loop exactly
 * as for one blocked in {@code next()}, and the watchdog wakes it even when the inner source does not wake
 * its consumer on cancel.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimeoutReadinessTest {
    private static final Duration FIRST = Duration.ofSeconds(5);
    private static final Duration IDLE = Duration.ofMillis(500);

    private final VirtualTimeSource time = new VirtualTimeSource();
    private final LoopSource inner = new LoopSource();
    private final ChunkSource source = ChunkSources.withTimeouts(
            inner, Timeouts.none().withFirstChunk(FIRST).withIdleBetweenChunks(IDLE), time);
    private final AtomicInteger wakes = new AtomicInteger();

    /**
     * A source pulled without blocking that never wakes its consumer on cancel: {@code poll()} is READY
     * while chunks are queued; {@code push} queues one and runs the armed callback.
     */
    private static final class LoopSource implements ChunkSource {
        private final ArrayDeque<StreamChunk> queued = new ArrayDeque<>();
        private Runnable armed;
        private boolean ended;
        volatile boolean cancelled;
        int releases;

        private final SourceReadiness readiness = new SourceReadiness() {
            @Override
            public State poll() {
                return queued.isEmpty() && !ended ? State.WAIT : State.READY;
            }

            @Override
            public void onReady(Runnable callback) {
                armed = callback;
            }

            @Override
            public void release() {
                armed = null;
                releases++;
            }
        };

        void push(StreamChunk chunk) {
            queued.add(chunk);
            Runnable cb = armed;
            armed = null;
            if (cb != null) {
                cb.run();
            }
        }

        @Override
        public Optional<StreamChunk> next() {
            StreamChunk chunk = queued.poll();
            if (chunk == null) {
                ended = true;
            }
            return Optional.ofNullable(chunk);
        }

        @Override
        public Optional<SourceReadiness> readiness() {
            return Optional.of(readiness);
        }

        @Override
        public void cancel() {
            cancelled = true; // deliberately wakes nobody
        }
    }

    private SourceReadiness readiness() {
        return source.readiness().orElseThrow();
    }

    private void arm() {
        readiness().onReady(wakes::incrementAndGet);
    }

    private void assertIdleTimeout() throws Exception {
        assertThat(readiness().poll()).isEqualTo(SourceReadiness.State.READY);
        assertThat(source.next())
                .hasValueSatisfying(c -> assertThat(c)
                        .isInstanceOfSatisfying(
                                ErrorChunk.class,
                                e -> assertThat(e.error().code()).isEqualTo(ErrorCode.IDLE_TIMEOUT.wireName())));
        assertThat(source.next())
                .hasValueSatisfying(
                        c -> assertThat(((DoneChunk) c).finishReason()).isEqualTo(FinishReason.ERROR));
        assertThat(source.next()).isEmpty();
    }

    private void firstChunk() throws Exception {
        inner.push(ContentChunk.of("a"));
        assertThat(readiness().poll()).isEqualTo(SourceReadiness.State.READY);
        assertThat(source.next()).contains(ContentChunk.of("a"));
    }

    @Test
    void theIdleLimitFiresWhileArmedAndRunsTheCallbackItself() throws Exception {
        firstChunk();
        assertThat(readiness().poll()).isEqualTo(SourceReadiness.State.WAIT);
        arm();

        time.advance(IDLE.minusMillis(1));
        assertThat(wakes).hasValue(0);
        time.advance(Duration.ofMillis(1));

        assertThat(wakes).hasValue(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> inner.cancelled); // stopped on a thread of its own
        assertIdleTimeout();
    }

    @Test
    void pollsThatFindNothingDoNotRestartTheWait() throws Exception {
        firstChunk();
        assertThat(readiness().poll()).isEqualTo(SourceReadiness.State.WAIT);
        time.advance(Duration.ofMillis(300));
        assertThat(readiness().poll()).as("bytes but no chunk").isEqualTo(SourceReadiness.State.WAIT);
        arm();

        time.advance(Duration.ofMillis(200));

        assertThat(wakes).hasValue(1);
        assertIdleTimeout();
    }

    @Test
    void eachChunkStartsANewWait() throws Exception {
        firstChunk();
        assertThat(readiness().poll()).isEqualTo(SourceReadiness.State.WAIT);
        arm();
        time.advance(Duration.ofMillis(400));
        inner.push(ContentChunk.of("b"));
        assertThat(wakes).hasValue(1);
        assertThat(readiness().poll()).isEqualTo(SourceReadiness.State.READY);
        assertThat(source.next()).contains(ContentChunk.of("b"));
        assertThat(readiness().poll()).isEqualTo(SourceReadiness.State.WAIT);
        arm();

        time.advance(Duration.ofMillis(400));
        assertThat(wakes)
                .as("500 ms since the first chunk, 400 since the second")
                .hasValue(1);
        time.advance(Duration.ofMillis(100));

        assertThat(wakes).hasValue(2);
        assertIdleTimeout();
    }

    @Test
    void theFirstChunkLimitHoldsForAStreamPolledFromItsStart() throws Exception {
        assertThat(readiness().poll()).isEqualTo(SourceReadiness.State.WAIT);
        arm();

        time.advance(FIRST);

        assertThat(wakes).hasValue(1);
        assertThat(readiness().poll()).isEqualTo(SourceReadiness.State.READY);
        assertThat(source.next())
                .hasValueSatisfying(c -> assertThat(((ErrorChunk) c).error().code())
                        .isEqualTo(ErrorCode.FIRST_CHUNK_TIMEOUT.wireName()));
    }

    @Test
    void aCancelRunsTheArmedCallbackAndReleaseReachesTheInnerSource() throws Exception {
        firstChunk();
        assertThat(readiness().poll()).isEqualTo(SourceReadiness.State.WAIT);
        readiness().release();
        assertThat(inner.releases).isEqualTo(1);
        arm();

        source.cancel();

        assertThat(wakes).hasValue(1);
        assertThat(readiness().poll()).isEqualTo(SourceReadiness.State.READY);
        assertThat(source.next()).isEmpty();
    }

    @Test
    void noReadinessWhenTheInnerSourceOffersNone() {
        ChunkSource plain = ChunkSources.withTimeouts(
                TestSource.contents(1), Timeouts.none().withIdleBetweenChunks(IDLE), time);

        assertThat(plain.readiness()).isEmpty();
    }
}
