package io.aistream.server.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.server.http.ClientGone;
import io.aistream.server.http.HttpResponse;
import io.aistream.server.http.NonBlockingBody;
import io.aistream.server.metrics.GatewayMetrics;
import io.aistream.stream.ChatStream;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.SourceReadiness;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a sink throws on a loop step (an encoder failing on the thread that signalled) reaches the request thread
 * and is thrown there, as when the request thread pulled, and the body is back in blocking mode by then.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoopRelayFailureTest {
    /** A source fed by the test; the armed callback runs on the test's thread. */
    private static final class FedSource implements ChunkSource, SourceReadiness {
        private final ArrayDeque<StreamChunk> queue = new ArrayDeque<>();
        private Runnable armed;
        private final CompletableFuture<Void> parked = new CompletableFuture<>();

        synchronized void arrive(StreamChunk chunk) {
            queue.add(chunk);
            notifyAll();
        }

        void signal() {
            Runnable callback;
            synchronized (this) {
                callback = armed;
                armed = null;
            }
            if (callback != null) {
                callback.run();
            }
        }

        @Override
        public synchronized Optional<StreamChunk> next() throws InterruptedException {
            while (queue.isEmpty()) {
                wait();
            }
            return Optional.of(queue.poll());
        }

        @Override
        public void cancel() {}

        @Override
        public Optional<SourceReadiness> readiness() {
            return Optional.of(this);
        }

        @Override
        public synchronized State poll() {
            return queue.isEmpty() ? State.WAIT : State.READY;
        }

        @Override
        public void onReady(Runnable callback) {
            synchronized (this) {
                armed = callback;
            }
            parked.complete(null);
        }

        @Override
        public void release() {}
    }

    /** Always writable: every flush completes at once. */
    private static final class InstantBody extends NonBlockingBody {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile boolean on;

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void nonBlocking(boolean turnOn) {
            on = turnOn;
        }

        @Override
        public boolean isNonBlocking() {
            return on;
        }

        @Override
        public boolean writable() {
            return true;
        }

        @Override
        public void onWritable(Runnable callback) {
            callback.run();
        }
    }

    private static HttpResponse response(NonBlockingBody body) {
        return new HttpResponse() {
            @Override
            public void status(int status) {}

            @Override
            public void setHeader(String name, String value) {}

            @Override
            public void addHeader(String name, String value) {}

            @Override
            public boolean committed() {
                return true;
            }

            @Override
            public OutputStream body() {
                return body;
            }

            @Override
            public Optional<NonBlockingBody> nonBlockingBody() {
                return Optional.of(body);
            }

            @Override
            public void write(byte[] content) {}

            @Override
            public ClientGone watchClient(Runnable onGone) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void whatTheSinkThrowsOnALoopStepIsThrownOnTheRequestThread() throws Exception {
        FedSource source = new FedSource();
        LiveStream ls = new LiveStream(
                "key",
                "fed",
                "m",
                ChatStream.builder(source).build(),
                null,
                new GatewayMetrics(List.of("fed")),
                () -> {});
        InstantBody body = new InstantBody();
        IllegalStateException boom = new IllegalStateException("the encoder failed (test)");
        AtomicReference<Thread> thrower = new AtomicReference<>();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread request = Thread.ofVirtual().start(() -> {
            try {
                ls.pull(
                        chunk -> {
                            if (chunk.seq() == 1) {
                                thrower.set(Thread.currentThread());
                                throw boom;
                            }
                            return true;
                        },
                        response(body));
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        });
        source.arrive(ContentChunk.of("a"));
        source.parked.get(10, TimeUnit.SECONDS);
        // it armed; once it left the drain and parked, what arrives is pulled by the signalling thread
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(1))
                .until(() -> request.getState() == Thread.State.WAITING);

        source.arrive(ContentChunk.of("b"));
        source.signal();

        assertThat(thrown.get(10, TimeUnit.SECONDS)).isSameAs(boom);
        assertThat(thrower.get()).isNotNull().isNotSameAs(request);
        assertThat(body.isNonBlocking()).isFalse();
        assertThat(ls.chunks()).isEqualTo(2);
    }
}
