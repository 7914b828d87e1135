package io.aistream.stream;

import static io.aistream.stream.Chunks.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class StreamManagerTest {
    private final StreamManager manager = new StreamManager();

    @Test
    void registersOnBuildAndForgetsTheStreamOnceItDeliversDone() {
        ChatStream stream = ChatStream.builder(TestSource.contents(2))
                .id("st_a")
                .manager(manager)
                .build();
        assertThat(manager.get("st_a")).containsSame(stream);
        assertThat(manager.active()).containsExactly("st_a");
        drain(stream);
        assertThat(manager.activeCount()).isZero();
        assertThat(manager.get("st_a")).isEmpty();
    }

    @Test
    void closingAStreamDeregistersIt() {
        ChatStream stream = manager.open(TestSource.contents(2));
        assertThat(manager.active()).containsExactly(stream.id());
        stream.close();
        assertThat(manager.active()).isEmpty();
    }

    @Test
    void abortByIdDeliversDoneAbortedCancelsTheSourceAndForgetsTheStream() {
        TestSource source = TestSource.of(ContentChunk.of("a")).thenBlockUntilCancelled();
        try (ChatStream stream =
                ChatStream.builder(source).id("st_x").manager(manager).build()) {
            assertThat(stream.next()).isPresent();

            assertThat(manager.abort("st_x")).isTrue();

            assertThat(source.isCancelled()).isTrue();
            assertThat(manager.activeCount()).isZero();
            assertThat(manager.abort("st_x")).isFalse();
            List<StreamChunk> rest = drain(stream);
            assertThat(rest)
                    .singleElement()
                    .isInstanceOfSatisfying(
                            DoneChunk.class, d -> assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED));
        }
    }

    @Test
    void abortOfAnUnknownIdReturnsFalse() {
        assertThat(manager.abort("st_nope")).isFalse();
        assertThat(manager.abortAll()).isZero();
    }

    @Test
    void aDuplicateIdIsRejectedAndItsSourceClosed() {
        try (ChatStream first = ChatStream.builder(TestSource.contents(1))
                .id("st_d")
                .manager(manager)
                .build()) {
            TestSource second = TestSource.contents(1);
            assertThatThrownBy(() -> ChatStream.builder(second)
                            .id("st_d")
                            .manager(manager)
                            .build())
                    .isInstanceOf(IllegalStateException.class);
            assertThat(second.closes()).isEqualTo(1);
            assertThat(manager.get("st_d")).containsSame(first);
        }
    }

    /** Platform threads that are neither JDK infrastructure (virtual-thread carriers) nor Awaitility's. */
    private static Set<Long> ownPlatformThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !t.getName().startsWith("ForkJoinPool-")
                        && !t.getName().startsWith("VirtualThread-")
                        && !t.getName().startsWith("awaitility"))
                .map(Thread::threadId)
                .collect(Collectors.toSet());
    }

    @ParameterizedTest
    @EnumSource(
            value = Backpressure.class,
            names = {"BLOCK", "BUFFER"})
    void tenThousandStreamsAbortedTogetherEndCleanly(Backpressure strategy) throws InterruptedException {
        int n = 10_000;
        Set<Long> threadsBefore = ownPlatformThreads();
        AtomicInteger liveReadAheads = new AtomicInteger();
        Executor counting = task -> {
            liveReadAheads.incrementAndGet();
            Thread.ofVirtual().start(() -> {
                try {
                    task.run();
                } finally {
                    liveReadAheads.decrementAndGet();
                }
            });
        };
        List<TestSource> sources = new ArrayList<>(n);
        AtomicReferenceArray<StreamChunk> lastChunks = new AtomicReferenceArray<>(n);
        CountDownLatch consumersDone = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            TestSource source = TestSource.of(ContentChunk.of("a")).thenBlockUntilCancelled();
            sources.add(source);
            ChatStream stream = ChatStream.builder(source)
                    .manager(manager)
                    .backpressure(strategy)
                    .executor(counting)
                    .build();
            int slot = i;
            Thread.ofVirtual().start(() -> {
                try (stream) {
                    for (Optional<StreamChunk> c = stream.next(); c.isPresent(); c = stream.next()) {
                        lastChunks.set(slot, c.get());
                    }
                } finally {
                    consumersDone.countDown();
                }
            });
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> sources.stream().allMatch(s -> s.nextCalls() == 2));
        assertThat(manager.activeCount()).isEqualTo(n);

        assertThat(manager.abortAll()).isEqualTo(n);

        assertThat(consumersDone.await(30, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < n; i++) {
            assertThat(lastChunks.get(i))
                    .isInstanceOfSatisfying(
                            DoneChunk.class, d -> assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED));
        }
        assertThat(manager.activeCount()).isZero();
        assertThat(sources).allSatisfy(s -> assertThat(s.cancels()).isEqualTo(1));
        await().until(() -> sources.stream().allMatch(s -> s.closes() == 1));
        await().until(() -> liveReadAheads.get() == 0);
        await().untilAsserted(() -> assertThat(ownPlatformThreads()).isSubsetOf(threadsBefore));
    }
}
