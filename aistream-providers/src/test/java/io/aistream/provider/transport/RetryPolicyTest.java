package io.aistream.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.testing.Seed;
import io.aistream.testing.Seeds;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = RetryPolicy.defaults()
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0)
            .withMaxRetryAfter(Duration.ofSeconds(5));

    @Test
    void theCeilingGrowsByTheMultiplierUpToTheMaximum() {
        assertThat(policy.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.ceiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.ceiling(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(policy.ceiling(5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.ceiling(500)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void fullJitterDrawsBelowTheCeilingFromTheInjectedRandom() {
        Seed seed = Seeds.seed("RetryPolicyTest.fullJitterDrawsBelowTheCeilingFromTheInjectedRandom", 42L);
        RetryPolicy seeded = policy.withRandom(seed.random());
        SplittableRandom same = seed.random();
        for (int retry = 1; retry <= 6; retry++) {
            Duration delay = seeded.delayBefore(retry, Optional.empty());
            assertThat(delay).as("%s, retry %d", seed, retry).isEqualTo(Duration.ofNanos((long)
                    (same.nextDouble() * policy.ceiling(retry).toNanos())));
            assertThat(delay)
                    .as("%s, retry %d", seed, retry)
                    .isLessThan(policy.ceiling(retry))
                    .isGreaterThanOrEqualTo(Duration.ZERO);
        }
    }

    @Test
    void aRetryHintReplacesTheBackoffAndIsCapped() {
        assertThat(policy.delayBefore(1, Optional.of(Duration.ofSeconds(3)))).isEqualTo(Duration.ofSeconds(3));
        assertThat(policy.delayBefore(1, Optional.of(Duration.ofMinutes(3)))).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.delayBefore(1, Optional.of(Duration.ZERO))).isEqualTo(Duration.ZERO);
    }

    @Test
    void invalidSettingsAreRejectedByName() {
        assertThatThrownBy(() -> policy.withMaxAttempts(0)).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> policy.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2))
                .hasMessageContaining("maxBackoff");
        assertThatThrownBy(() -> policy.withBackoff(Duration.ZERO, Duration.ZERO, 0.5))
                .hasMessageContaining("multiplier");
        assertThatThrownBy(() -> policy.withMaxRetryAfter(Duration.ofSeconds(-1)))
                .hasMessageContaining("maxRetryAfter");
        assertThatThrownBy(() -> RecoveryPolicy.continueUpTo(-1)).hasMessageContaining("maxContinuations");
    }

    @Test
    void noneMeansASingleAttempt() {
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
    }
}
