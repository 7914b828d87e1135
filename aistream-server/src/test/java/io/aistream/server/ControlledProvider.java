package io.aistream.server;

import io.aistream.chunk.StreamChunk;
import io.aistream.provider.ChatProvider;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChunkSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A provider whose streams the test drives by hand: every opened source is handed to the test
 * ({@link #nextSource()}), which then emits chunks, ends it, and observes its cancellation.
 */
final class ControlledProvider implements ChatProvider {
    static final String NAME = "test";

    private final BlockingQueue<ControlledSource> opened = new LinkedBlockingQueue<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> models() {
        return List.of("script", "other");
    }

    @Override
    public ChunkSource open(ChatRequest request) {
        ControlledSource source = new ControlledSource();
        opened.add(source);
        return source;
    }

    /** The next source a request opened (waits up to 5 s). */
    ControlledSource nextSource() throws InterruptedException {
        ControlledSource s = opened.poll(5, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("no stream was opened");
        }
        return s;
    }

    /** A source that gives exactly what the test emits. */
    static final class ControlledSource implements ChunkSource {
        private static final Optional<StreamChunk> END = Optional.empty();
        private final BlockingQueue<Optional<StreamChunk>> queue = new LinkedBlockingQueue<>();
        private final CountDownLatch cancelled = new CountDownLatch(1);
        private final AtomicLong cancelledAtNanos = new AtomicLong();

        void emit(StreamChunk... chunks) {
            for (StreamChunk c : chunks) {
                queue.add(Optional.of(c));
            }
        }

        void end() {
            queue.add(END);
        }

        @Override
        public Optional<StreamChunk> next() throws InterruptedException {
            if (cancelled.getCount() == 0) {
                return END;
            }
            return queue.take();
        }

        @Override
        public void cancel() {
            if (cancelledAtNanos.compareAndSet(0, System.nanoTime())) {
                cancelled.countDown();
                queue.add(END);
            }
        }

        /** Closing after a normal end is not a cancellation. */
        @Override
        public void close() {
        }

        boolean awaitCancel(long millis) throws InterruptedException {
            return cancelled.await(millis, TimeUnit.MILLISECONDS);
        }

        boolean isCancelled() {
            return cancelled.getCount() == 0;
        }

        long cancelledAtNanos() {
            return cancelledAtNanos.get();
        }
    }
}
