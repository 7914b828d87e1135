package io.aistream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aistream.AIStreamException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BufferOperatorTest {
    private static final Duration MAX_WAIT = Duration.ofMillis(100);

    private final VirtualTimeSource time = new VirtualTimeSource();
    private final ExecutorService consumer = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void tearDown() {
        consumer.shutdownNow();
    }

    private <T> CompletableFuture<Optional<T>> nextAsync(PullStream<T> s) {
        return CompletableFuture.supplyAsync(s::next, consumer);
    }

    @Test
    void batchesBySizeWithAFinalPartialBatch() {
        List<Integer> items = IntStream.range(0, 7).boxed().toList();
        try (PullStream<List<Integer>> batches =
                StreamOperators.buffer(StreamOperators.fromIterable(items), 3, MAX_WAIT, time)) {
            List<List<Integer>> all = new ArrayList<>();
            batches.forEach(all::add);
            assertThat(all).containsExactly(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6));
        }
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void emptyUpstreamGivesNoBatchAtAll() {
        try (PullStream<List<Integer>> batches =
                StreamOperators.buffer(StreamOperators.fromIterable(List.<Integer>of()), 3, MAX_WAIT, time)) {
            assertThat(batches.next()).isEmpty();
            assertThat(batches.next()).isEmpty();
        }
    }

    @Test
    void maxWaitEmitsAPartialBatchWhileUpstreamStalls() throws Exception {
        ScriptedPullStream<String> in = new ScriptedPullStream<String>().push("a");
        try (PullStream<List<String>> batches = StreamOperators.buffer(in, 10, MAX_WAIT, time)) {
            CompletableFuture<Optional<List<String>>> first = nextAsync(batches);
            await().until(() -> time.pendingTasks() == 1);

            time.advance(MAX_WAIT.minusNanos(1));
            assertThat(first).isNotDone();
            time.advance(Duration.ofNanos(1));

            assertThat(first.get(10, TimeUnit.SECONDS)).contains(List.of("a"));
            assertThat(time.pendingTasks()).isZero();
        }
    }

    @Test
    void maxWaitIsMeasuredFromTheFirstItemOfTheBatch() throws Exception {
        ScriptedPullStream<String> in = new ScriptedPullStream<String>().push("a");
        try (PullStream<List<String>> batches = StreamOperators.buffer(in, 10, MAX_WAIT, time)) {
            CompletableFuture<Optional<List<String>>> first = nextAsync(batches);
            await().until(() -> time.pendingTasks() == 1);
            time.advance(Duration.ofMillis(60));
            in.push("b");
            await().until(() -> in.taken() == 2);
            assertThat(time.pendingDueTimes()).containsExactly(100_000_000L); // not reset by "b"

            time.advance(Duration.ofMillis(40));
            assertThat(first.get(10, TimeUnit.SECONDS)).contains(List.of("a", "b"));

            in.push("c");
            await().until(() -> time.pendingTasks() == 1);
            assertThat(time.pendingDueTimes()).containsExactly(200_000_000L);
            in.end();
            assertThat(batches.next()).contains(List.of("c"));
            assertThat(batches.next()).isEmpty();
        }
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void fullBatchCancelsItsMaxWaitTask() {
        ScriptedPullStream<Integer> in = new ScriptedPullStream<Integer>().push(1, 2);
        try (PullStream<List<Integer>> batches = StreamOperators.buffer(in, 2, MAX_WAIT, time)) {
            assertThat(batches.next()).contains(List.of(1, 2));
            assertThat(time.pendingTasks()).isZero();
        }
    }

    @Test
    void failureDeliversTheCollectedItemsFirstThenKeepsFailing() {
        ScriptedPullStream<Integer> in = new ScriptedPullStream<Integer>().push(1, 2, 3);
        in.fail(new IllegalStateException("upstream broke"));
        try (PullStream<List<Integer>> batches = StreamOperators.buffer(in, 2, MAX_WAIT, time)) {
            assertThat(batches.next()).contains(List.of(1, 2));
            assertThat(batches.next()).contains(List.of(3));
            assertThatThrownBy(batches::next)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("upstream broke");
            assertThatThrownBy(batches::next).isInstanceOf(IllegalStateException.class);
        }
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void closeUnblocksTheConsumerClosesUpstreamAndCancelsTheTimer() throws Exception {
        ScriptedPullStream<Integer> in = new ScriptedPullStream<Integer>().push(1);
        PullStream<List<Integer>> batches = StreamOperators.buffer(in, 5, MAX_WAIT, time);
        CompletableFuture<Optional<List<Integer>>> pending = nextAsync(batches);
        await().until(() -> time.pendingTasks() == 1);

        batches.close();

        assertThat(pending.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(in.closed()).isTrue();
        assertThat(time.pendingTasks()).isZero();
        assertThat(batches.next()).isEmpty();
        batches.close(); // idempotent
    }

    @Test
    void readsNothingBeforeTheFirstRequestAndStaysBoundedAheadOfASlowConsumer() {
        ScriptedPullStream<Integer> in = new ScriptedPullStream<>();
        IntStream.range(0, 100).forEach(in::push);
        try (PullStream<List<Integer>> batches = StreamOperators.buffer(in, 2, MAX_WAIT, time)) {
            assertThat(in.taken()).isZero();
            assertThat(batches.next()).contains(List.of(0, 1));
            // The reader seals the next batch and then waits for the consumer.
            await().until(() -> in.readerIdle() && in.taken() >= 4);
            assertThat(in.taken()).isEqualTo(4);
            assertThat(batches.next()).contains(List.of(2, 3));
            assertThat(batches.next()).contains(List.of(4, 5));
        }
    }

    @Test
    void interruptedConsumerGetsAbortedWithItsFlagSetAndTheStreamStaysUsable() throws Exception {
        ScriptedPullStream<Integer> in = new ScriptedPullStream<>();
        try (PullStream<List<Integer>> batches = StreamOperators.buffer(in, 1, MAX_WAIT, time)) {
            CompletableFuture<Boolean> flagAfter = new CompletableFuture<>();
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    batches.next();
                    flagAfter.complete(false);
                } catch (AIStreamException e) {
                    flagAfter.complete(
                            e.code().equals("aborted") && Thread.currentThread().isInterrupted());
                }
            });
            await().until(() -> t.getState() == Thread.State.WAITING);
            t.interrupt();
            assertThat(flagAfter.get(10, TimeUnit.SECONDS)).isTrue();

            in.push(7);
            assertThat(batches.next()).contains(List.of(7));
        }
    }

    @Test
    void rejectsBadArguments() {
        PullStream<Integer> in = StreamOperators.fromIterable(List.of(1));
        assertThatThrownBy(() -> StreamOperators.buffer(in, 0, MAX_WAIT, time))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamOperators.buffer(in, 1, Duration.ZERO, time))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
