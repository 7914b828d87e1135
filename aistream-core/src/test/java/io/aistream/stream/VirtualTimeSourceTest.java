package io.aistream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class VirtualTimeSourceTest {

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    @Test
    void clockMovesOnlyWhenAdvanced() {
        VirtualTimeSource time = new VirtualTimeSource(5);
        assertThat(time.nanoTime()).isEqualTo(5);
        time.advance(Duration.ofNanos(10));
        assertThat(time.nanoTime()).isEqualTo(15);
        time.runDue();
        assertThat(time.nanoTime()).isEqualTo(15);
    }

    @Test
    void runsDueTasksInTimeOrderWithTheClockAtTheirDueTime() {
        VirtualTimeSource time = new VirtualTimeSource();
        List<String> log = new ArrayList<>();
        time.schedule(ms(30), () -> log.add("c@" + time.nanoTime()));
        time.schedule(ms(10), () -> log.add("a@" + time.nanoTime()));
        time.schedule(ms(10), () -> log.add("b@" + time.nanoTime()));
        time.schedule(ms(31), () -> log.add("late"));

        time.advance(ms(30));

        assertThat(log).containsExactly("a@10000000", "b@10000000", "c@30000000");
        assertThat(time.nanoTime()).isEqualTo(30_000_000);
        assertThat(time.pendingDueTimes()).containsExactly(31_000_000L);
    }

    @Test
    void taskIsNotRunOneNanosecondBeforeItsDueTime() {
        VirtualTimeSource time = new VirtualTimeSource();
        AtomicInteger runs = new AtomicInteger();
        time.schedule(ms(100), runs::incrementAndGet);
        time.advance(ms(100).minusNanos(1));
        assertThat(runs).hasValue(0);
        time.advance(Duration.ofNanos(1));
        assertThat(runs).hasValue(1);
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void tasksScheduledByTasksRunInTheSameAdvanceWhenDue() {
        VirtualTimeSource time = new VirtualTimeSource();
        List<Long> ranAt = new ArrayList<>();
        time.schedule(ms(10), () -> {
            ranAt.add(time.nanoTime());
            time.schedule(Duration.ZERO, () -> ranAt.add(time.nanoTime()));
            time.schedule(ms(5), () -> {
                ranAt.add(time.nanoTime());
                time.schedule(ms(50), () -> ranAt.add(time.nanoTime()));
            });
        });

        time.advance(ms(20));

        assertThat(ranAt).containsExactly(10_000_000L, 10_000_000L, 15_000_000L);
        assertThat(time.pendingDueTimes()).containsExactly(65_000_000L);
    }

    @Test
    void cancelledTasksDoNotRunAndCancelIsIdempotent() {
        VirtualTimeSource time = new VirtualTimeSource();
        AtomicInteger runs = new AtomicInteger();
        TimeSource.Cancellable a = time.schedule(ms(1), runs::incrementAndGet);
        TimeSource.Cancellable b = time.schedule(ms(1), runs::incrementAndGet);
        a.cancel();
        a.cancel();
        assertThat(time.pendingTasks()).isEqualTo(1);
        time.advance(ms(1));
        assertThat(runs).hasValue(1);
        b.cancel(); // after it ran: no effect
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void cancellingOneOfTwoIdenticalTasksRemovesOnlyThatOne() {
        VirtualTimeSource time = new VirtualTimeSource();
        Runnable same = () -> {};
        TimeSource.Cancellable first = time.schedule(ms(1), same);
        time.schedule(ms(1), same);
        first.cancel();
        assertThat(time.pendingTasks()).isEqualTo(1);
    }

    @Test
    void negativeDelayRunsAtNowAndNegativeAdvanceIsRejected() {
        VirtualTimeSource time = new VirtualTimeSource();
        AtomicInteger runs = new AtomicInteger();
        time.schedule(ms(-5), runs::incrementAndGet);
        time.runDue();
        assertThat(runs).hasValue(1);
        assertThatThrownBy(() -> time.advance(ms(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hugeDelaysSaturateInsteadOfOverflowing() {
        VirtualTimeSource time = new VirtualTimeSource(1_000);
        AtomicInteger runs = new AtomicInteger();
        time.schedule(Duration.ofDays(365L * 1_000), runs::incrementAndGet);
        time.schedule(Duration.ofSeconds(Long.MAX_VALUE), runs::incrementAndGet);
        time.advance(Duration.ofDays(365L * 100));
        assertThat(runs).hasValue(0);
        assertThat(time.pendingDueTimes()).containsExactly(Long.MAX_VALUE, Long.MAX_VALUE);
    }

    @Test
    void aFailingTaskDoesNotStopTheOthersOrTheClock() {
        VirtualTimeSource time = new VirtualTimeSource();
        AtomicInteger runs = new AtomicInteger();
        time.schedule(ms(1), () -> {
            throw new IllegalStateException("boom");
        });
        time.schedule(ms(2), runs::incrementAndGet);

        assertThatThrownBy(() -> time.advance(ms(10)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("boom");
        assertThat(runs).hasValue(1);
        assertThat(time.nanoTime()).isEqualTo(10_000_000);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void concurrentAdvancesAreSerializedAndEveryTaskRunsOnce() throws Exception {
        VirtualTimeSource time = new VirtualTimeSource();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        List<Integer> ran = new CopyOnWriteArrayList<>();
        List<Long> clockInTasks = Collections.synchronizedList(new ArrayList<>());
        int threads = 8;
        int perThread = 500;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        int id = base + i;
                        time.schedule(Duration.ofNanos(i % 7), () -> {
                            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                            clockInTasks.add(time.nanoTime());
                            ran.add(id);
                            running.decrementAndGet();
                        });
                        time.advance(Duration.ofNanos(1));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        time.advance(Duration.ofNanos(10));

        assertThat(maxRunning).hasValue(1);
        assertThat(ran).hasSize(threads * perThread).doesNotHaveDuplicates();
        assertThat(clockInTasks).isSorted();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void systemTimeSourceRunsAndCancelsTasks() throws Exception {
        TimeSource system = TimeSource.system();
        long before = system.nanoTime();
        java.util.concurrent.CompletableFuture<Long> ran = new java.util.concurrent.CompletableFuture<>();
        system.schedule(Duration.ofMillis(1), () -> ran.complete(system.nanoTime()));
        assertThat(ran.get(10, TimeUnit.SECONDS) - before).isGreaterThanOrEqualTo(1_000_000L);

        AtomicInteger cancelledRuns = new AtomicInteger();
        TimeSource.Cancellable c = system.schedule(Duration.ofDays(1), cancelledRuns::incrementAndGet);
        c.cancel();
        c.cancel();
        assertThat(cancelledRuns).hasValue(0);
    }
}
