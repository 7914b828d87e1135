package io.aistream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
class MergeOperatorTest {
    private final ExecutorService consumer = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void tearDown() {
        consumer.shutdownNow();
    }

    @Test
    void interleavesItemsInTheOrderTheyArrive() throws Exception {
        ScriptedPullStream<String> a = new ScriptedPullStream<>();
        ScriptedPullStream<String> b = new ScriptedPullStream<>();
        try (PullStream<String> merged = StreamOperators.merge(List.of(a, b))) {
            CompletableFuture<Optional<String>> first = CompletableFuture.supplyAsync(merged::next, consumer);
            b.push("b1");
            assertThat(first.get(10, TimeUnit.SECONDS)).contains("b1");
            a.push("a1");
            assertThat(merged.next()).contains("a1");
            b.push("b2");
            assertThat(merged.next()).contains("b2");
            a.end();
            b.end();
            assertThat(merged.next()).isEmpty();
            assertThat(merged.next()).isEmpty();
        }
        assertThat(a.closed()).isTrue();
        assertThat(b.closed()).isTrue();
    }

    @Test
    void deliversEveryItemOnceKeepingEachSourcesOrder() {
        int sources = 6;
        int perSource = 2_000;
        List<PullStream<String>> streams = new ArrayList<>();
        for (int s = 0; s < sources; s++) {
            int src = s;
            streams.add(StreamOperators.fromIterable(
                    IntStream.range(0, perSource).mapToObj(i -> src + ":" + i).toList()));
        }
        Map<Integer, List<Integer>> bySource = new HashMap<>();
        try (PullStream<String> merged = StreamOperators.merge(streams)) {
            for (String item : merged) {
                String[] parts = item.split(":");
                bySource.computeIfAbsent(Integer.parseInt(parts[0]), k -> new ArrayList<>())
                        .add(Integer.parseInt(parts[1]));
            }
        }
        assertThat(bySource).hasSize(sources);
        List<Integer> expected = IntStream.range(0, perSource).boxed().toList();
        bySource.values().forEach(list -> assertThat(list).isEqualTo(expected));
    }

    @Test
    void emptyListGivesAnEmptyStream() {
        try (PullStream<Object> merged = StreamOperators.merge(List.of())) {
            assertThat(merged.next()).isEmpty();
        }
    }

    @Test
    void failureDeliversEarlierItemsThenFailsAndClosesTheOthers() throws Exception {
        ScriptedPullStream<String> ok = new ScriptedPullStream<>();
        ScriptedPullStream<String> bad = new ScriptedPullStream<>();
        try (PullStream<String> merged = StreamOperators.merge(List.of(ok, bad))) {
            ok.push("early");
            assertThat(merged.next()).contains("early");
            ok.push("queued");
            await().until(() -> ok.taken() == 2);
            bad.fail(new IllegalStateException("source died"));
            await().until(ok::closed);

            assertThat(merged.next()).contains("queued");
            assertThatThrownBy(merged::next)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("source died");
            assertThatThrownBy(merged::next).isInstanceOf(IllegalStateException.class);
            assertThat(bad.closed()).isTrue();
        }
    }

    @Test
    void closeUnblocksTheConsumerAndClosesEverySource() throws Exception {
        ScriptedPullStream<String> a = new ScriptedPullStream<>();
        ScriptedPullStream<String> b = new ScriptedPullStream<>();
        PullStream<String> merged = StreamOperators.merge(List.of(a, b));
        CompletableFuture<Optional<String>> pending = CompletableFuture.supplyAsync(merged::next, consumer);
        await().until(() -> a.taken() == 0 && !pending.isDone());

        merged.close();

        assertThat(pending.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(a.closed()).isTrue();
        assertThat(b.closed()).isTrue();
        assertThat(merged.next()).isEmpty();
    }

    @Test
    void eachSourceIsReadAtMostOneItemAhead() {
        ScriptedPullStream<Integer> a = new ScriptedPullStream<>();
        ScriptedPullStream<Integer> b = new ScriptedPullStream<>();
        IntStream.range(0, 50).forEach(i -> {
            a.push(i);
            b.push(100 + i);
        });
        a.end();
        b.end();
        try (PullStream<Integer> merged = StreamOperators.merge(List.of(a, b))) {
            assertThat(a.taken() + b.taken()).isZero(); // nothing read before the first request
            Optional<Integer> first = merged.next();
            assertThat(first).isPresent();
            // both readers have read what they may and wait for the consumer: then nothing more is read
            await().until(() -> a.readerIdle() && b.readerIdle() && a.taken() + b.taken() >= 3);
            assertThat(a.taken() + b.taken()).isEqualTo(3);
            List<Integer> rest = new ArrayList<>();
            merged.forEach(rest::add);
            assertThat(rest).hasSize(99);
        }
    }
}
