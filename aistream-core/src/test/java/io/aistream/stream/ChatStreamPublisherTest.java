package io.aistream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ChatStreamPublisherTest {
    private static final String COMPLETE = "complete";

    /** Records every signal, in order, in a queue the test takes from. */
    private static final class Recorder implements Flow.Subscriber<StreamChunk> {
        final BlockingQueue<Object> signals = new LinkedBlockingQueue<>();
        volatile Flow.Subscription subscription;
        volatile Thread lastThread;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            signals.add(s);
        }

        @Override
        public void onNext(StreamChunk item) {
            lastThread = Thread.currentThread();
            signals.add(item);
        }

        @Override
        public void onError(Throwable throwable) {
            signals.add(throwable);
        }

        @Override
        public void onComplete() {
            signals.add(COMPLETE);
        }

        Object take() throws InterruptedException {
            Object signal = signals.poll(10, TimeUnit.SECONDS);
            assertThat(signal).as("a signal within 10 s").isNotNull();
            return signal;
        }

        /** Takes signals up to and including a terminal one. */
        List<Object> takeToTheEnd() throws InterruptedException {
            List<Object> out = new ArrayList<>();
            Object signal;
            do {
                signal = take();
                out.add(signal);
            } while (signal instanceof StreamChunk);
            return out;
        }
    }

    private static Recorder subscribe(Flow.Publisher<StreamChunk> publisher) throws InterruptedException {
        Recorder recorder = new Recorder();
        publisher.subscribe(recorder);
        assertThat(recorder.take()).isInstanceOf(Flow.Subscription.class);
        return recorder;
    }

    @Test
    void pullsFromTheSourceOnlyWhileThereIsDemand() throws InterruptedException {
        TestSource script = TestSource.contents(5);
        AtomicLong requested = new AtomicLong();
        List<String> violations = new CopyOnWriteArrayList<>();
        ChunkSource checking = new ChunkSource() {
            @Override
            public Optional<StreamChunk> next() throws Exception {
                if (script.nextCalls() >= requested.get()) {
                    violations.add(
                            "next() call " + (script.nextCalls() + 1) + " with only " + requested + " requested");
                }
                return script.next();
            }

            @Override
            public void cancel() {
                script.cancel();
            }
        };
        try (ChatStream stream = ChatStream.builder(checking).build()) {
            Recorder recorder = subscribe(stream.publisher());
            assertThat(script.nextCalls()).isZero();
            for (int i = 0; i < 6; i++) {
                requested.incrementAndGet();
                recorder.subscription.request(1);
                assertThat(recorder.take())
                        .isInstanceOfSatisfying(
                                StreamChunk.class, c -> assertThat(c.seq()).isEqualTo(requested.get() - 1));
                assertThat(script.nextCalls()).isEqualTo(requested.get());
            }
            assertThat(recorder.take()).isEqualTo(COMPLETE); // after the done, without further demand
            assertThat(violations).isEmpty();
        }
    }

    @Test
    void deliversEveryChunkAsOnNextThenCompletes() throws InterruptedException {
        try (ChatStream stream = ChatStream.builder(TestSource.contents(100)).build()) {
            Recorder recorder = subscribe(stream.publisher());
            recorder.subscription.request(Long.MAX_VALUE);
            List<Object> signals = recorder.takeToTheEnd();
            assertThat(signals).hasSize(102).last().isEqualTo(COMPLETE);
            assertThat(signals.get(100)).isInstanceOf(DoneChunk.class);
            for (int i = 0; i <= 100; i++) {
                assertThat(((StreamChunk) signals.get(i)).seq()).isEqualTo(i);
            }
        }
    }

    @Test
    void errorChunksAreOnNextNotOnError() throws InterruptedException {
        TestSource source = TestSource.of(ContentChunk.of("a")).thenThrow(new IOException("reset"));
        try (ChatStream stream = ChatStream.builder(source).build()) {
            Recorder recorder = subscribe(stream.publisher());
            recorder.subscription.request(10);
            List<Object> signals = recorder.takeToTheEnd();
            assertThat(signals).hasSize(4).last().isEqualTo(COMPLETE);
            assertThat(signals.get(1)).isInstanceOf(ErrorChunk.class);
            assertThat(((DoneChunk) signals.get(2)).finishReason()).isEqualTo(FinishReason.ERROR);
        }
    }

    @Test
    void aSecondSubscriberGetsOnSubscribeThenIllegalStateException() throws InterruptedException {
        try (ChatStream stream = ChatStream.builder(TestSource.contents(1)).build()) {
            subscribe(stream.publisher());
            Recorder second = subscribe(stream.publisher());
            assertThat(second.take()).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void cancelClosesTheStreamAndCancelsTheSource() throws InterruptedException {
        TestSource source = TestSource.of(ContentChunk.of("a")).thenBlockUntilCancelled();
        ChatStream stream = ChatStream.builder(source).build();
        Recorder recorder = subscribe(stream.publisher());
        recorder.subscription.request(5);
        assertThat(recorder.take()).isInstanceOf(ContentChunk.class);
        await().until(() -> source.nextCalls() == 2); // the delivery thread now waits in the source

        recorder.subscription.cancel();

        assertThat(source.isCancelled()).isTrue();
        assertThat(stream.isDone()).isTrue();
        await().until(() -> source.closes() == 1);
        assertThat(recorder.signals).isEmpty();
    }

    @Test
    void aNonPositiveRequestSignalsIllegalArgumentExceptionAndClosesTheStream() throws InterruptedException {
        TestSource source = TestSource.contents(3);
        ChatStream stream = ChatStream.builder(source).build();
        Recorder recorder = subscribe(stream.publisher());
        recorder.subscription.request(0);
        assertThat(recorder.take()).isInstanceOf(IllegalArgumentException.class);
        assertThat(stream.isDone()).isTrue();
        assertThat(source.isCancelled()).isTrue();
    }

    @Test
    void deliversOnTheSuppliedExecutor() throws InterruptedException {
        Executor named = task -> Thread.ofVirtual().name("delivery-test").start(task);
        try (ChatStream stream = ChatStream.builder(TestSource.contents(1)).build()) {
            Recorder recorder = subscribe(stream.publisher(named));
            recorder.subscription.request(1);
            assertThat(recorder.take()).isInstanceOf(ContentChunk.class);
            assertThat(recorder.lastThread.getName()).isEqualTo("delivery-test");
            assertThat(recorder.lastThread.isVirtual()).isTrue();
        }
    }

    @Test
    void closingTheStreamElsewhereCompletesTheSubscription() throws InterruptedException {
        TestSource source = TestSource.of().thenBlockUntilCancelled();
        ChatStream stream = ChatStream.builder(source).build();
        Recorder recorder = subscribe(stream.publisher());
        recorder.subscription.request(1);
        await().until(() -> source.nextCalls() == 1);
        stream.close();
        assertThat(recorder.take()).isEqualTo(COMPLETE);
    }

    @Test
    void abortDeliversDoneAbortedToTheSubscriber() throws InterruptedException {
        TestSource source = TestSource.of().thenBlockUntilCancelled();
        ChatStream stream = ChatStream.builder(source).build();
        Recorder recorder = subscribe(stream.publisher());
        recorder.subscription.request(1);
        await().until(() -> source.nextCalls() == 1);
        stream.abort();
        assertThat(recorder.take())
                .isInstanceOfSatisfying(
                        DoneChunk.class, d -> assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED));
        assertThat(recorder.take()).isEqualTo(COMPLETE);
    }
}
