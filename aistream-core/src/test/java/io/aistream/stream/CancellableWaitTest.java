package io.aistream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CancellableWaitTest {
    private final VirtualTimeSource time = new VirtualTimeSource();
    private final CancellableWait wait = new CancellableWait(time);

    private CompletableFuture<Boolean> sleepAsync(Duration d) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return wait.sleep(d);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                },
                r -> Thread.ofVirtual().start(r));
    }

    @Test
    void sleepEndsExactlyWhenTheClockReachesTheDelay() throws Exception {
        CompletableFuture<Boolean> slept = sleepAsync(Duration.ofMillis(250));
        await().atMost(Duration.ofSeconds(10)).until(() -> time.pendingTasks() == 1);
        time.advance(Duration.ofMillis(249));
        assertThat(slept).isNotDone();
        time.advance(Duration.ofMillis(1));
        assertThat(slept.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void cancelWakesASleeperAndRemovesItsTask() throws Exception {
        CompletableFuture<Boolean> slept = sleepAsync(Duration.ofHours(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> time.pendingTasks() == 1);
        wait.cancel();
        assertThat(slept.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(time.pendingTasks()).isZero();
        assertThat(wait.sleep(Duration.ofSeconds(1))).isFalse();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void zeroDelayDoesNotSchedule() throws Exception {
        assertThat(wait.sleep(Duration.ZERO)).isTrue();
        assertThat(time.pendingTasks()).isZero();
    }
}
