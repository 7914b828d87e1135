package io.aistream.stream;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A scripted {@link ChunkSource} for tests: plays its steps in order (chunks, exceptions, an end,
 * holds that wait for {@link #release()}, a block until cancelled), and records how often
 * {@code next()}, {@code cancel()} and {@code close()} were called. {@code close()} does not call
 * {@code cancel()}, so the two can be told apart.
 */
final class TestSource implements ChunkSource {
    private static final Object HOLD = new Object();
    private static final Object BLOCK = new Object();

    private final List<Object> steps = new ArrayList<>();
    private final IntFunction<StreamChunk> generator;
    private final int generated;
    private final AtomicInteger nextCalls = new AtomicInteger();
    private final AtomicInteger cancels = new AtomicInteger();
    private final AtomicInteger closes = new AtomicInteger();
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final Semaphore released = new Semaphore(0);
    private volatile int position;

    private TestSource(IntFunction<StreamChunk> generator, int generated) {
        this.generator = generator;
        this.generated = generated;
    }

    /** Plays these chunks, then ends. */
    static TestSource of(StreamChunk... chunks) {
        TestSource source = new TestSource(i -> null, 0);
        source.steps.addAll(List.of(chunks));
        return source;
    }

    /** Plays {@code count} chunks made by {@code generator} (from index 0), then the further steps. */
    static TestSource generating(int count, IntFunction<StreamChunk> generator) {
        return new TestSource(generator, count);
    }

    /** {@code n} content chunks "c0", "c1", ... then done(stop). */
    static TestSource contents(int n) {
        return generating(n, i -> ContentChunk.of("c" + i)).then(DoneChunk.of(FinishReason.STOP));
    }

    TestSource then(StreamChunk... chunks) {
        steps.addAll(List.of(chunks));
        return this;
    }

    TestSource thenThrow(Exception failure) {
        steps.add(failure);
        return this;
    }

    /** next() waits here until {@link #release()} (or cancel), then goes on with the next step. */
    TestSource thenHold() {
        steps.add(HOLD);
        return this;
    }

    /** next() blocks here until cancelled, then returns empty. */
    TestSource thenBlockUntilCancelled() {
        steps.add(BLOCK);
        return this;
    }

    @Override
    public Optional<StreamChunk> next() throws Exception {
        nextCalls.incrementAndGet();
        while (true) {
            int at = position;
            if (at < generated) {
                position = at + 1;
                return Optional.of(generator.apply(at));
            }
            if (at - generated >= steps.size()) {
                return Optional.empty();
            }
            position = at + 1;
            Object step = steps.get(at - generated);
            if (step == BLOCK) {
                cancelled.await();
                return Optional.empty();
            }
            if (step == HOLD) {
                released.acquire();
                if (cancelled.getCount() == 0) {
                    return Optional.empty();
                }
                continue;
            }
            if (step instanceof Exception e) {
                throw e;
            }
            return Optional.of((StreamChunk) step);
        }
    }

    @Override
    public void cancel() {
        cancels.incrementAndGet();
        cancelled.countDown();
        released.release(1 << 20); // wakes any hold; after a cancel nothing waits any more
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }

    /** Lets a {@link #thenHold()} step go on. */
    void release() {
        released.release();
    }

    int nextCalls() {
        return nextCalls.get();
    }

    int cancels() {
        return cancels.get();
    }

    int closes() {
        return closes.get();
    }

    boolean isCancelled() {
        return cancels.get() > 0;
    }

    /** Whether every step has been played. */
    boolean exhausted() {
        return position >= generated + steps.size();
    }
}
