package io.aistream.bench.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimerHeapTest {

    @Test
    void pollsInDeadlineOrderThroughInterleavedAddsAndPolls() {
        TimerHeap<Long> heap = new TimerHeap<>();
        PriorityQueue<Long> reference = new PriorityQueue<>();
        Random random = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            if (reference.isEmpty() || random.nextInt(3) > 0) {
                long d = random.nextInt(1_000_000);
                heap.add(d, d);
                reference.add(d);
            } else {
                assertThat(heap.firstDue()).isEqualTo(reference.peek());
                assertThat(heap.poll()).isEqualTo(reference.poll());
            }
            assertThat(heap.size()).isEqualTo(reference.size());
        }
        while (!reference.isEmpty()) {
            assertThat(heap.poll()).isEqualTo(reference.poll());
        }
        assertThat(heap.isEmpty()).isTrue();
    }

    @Test
    void comparesDeadlinesByDifferenceLikeNanoTime() {
        TimerHeap<String> heap = new TimerHeap<>();
        heap.add(Long.MAX_VALUE - 5, "before the wrap");
        heap.add(Long.MIN_VALUE + 5, "after the wrap");
        heap.add(Long.MAX_VALUE - 10, "first");

        assertThat(heap.poll()).isEqualTo("first");
        assertThat(heap.poll()).isEqualTo("before the wrap");
        assertThat(heap.poll()).isEqualTo("after the wrap");
    }

    @Test
    void clearHandsBackEveryItem() {
        TimerHeap<Integer> heap = new TimerHeap<>();
        for (int i = 0; i < 100; i++) {
            heap.add(100 - i, i);
        }
        List<Integer> all = new ArrayList<>(heap.clear());

        assertThat(all)
                .hasSize(100)
                .containsExactlyInAnyOrderElementsOf(
                        java.util.stream.IntStream.range(0, 100).boxed().toList());
        assertThat(heap.isEmpty()).isTrue();
    }
}
