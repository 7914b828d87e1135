package io.aistream.provider.transport;

import io.aistream.provider.support.RetryAfter;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently one target is tried again when it fails before producing output.
 *
 * <p>The delay before retry {@code n} (1 for the first retry) is chosen with "full jitter": a
 * uniformly random duration between zero and {@code min(maxBackoff, initialBackoff * multiplier^(n-1))}.
 * When the failure carried a retry hint (HTTP {@code Retry-After} or {@code retry-after-ms}), the
 * hint is used instead, capped at {@code maxRetryAfter}.
 *
 * <p>Which failures are retried is decided by the failure itself (its {@code retryable} flag:
 * connection errors, 408/409/429/5xx, provider "overloaded" errors, first-chunk timeouts, ...).
 *
 * @param maxAttempts    attempts per target, the first included; 1 disables retries
 * @param initialBackoff the backoff ceiling before the first retry
 * @param maxBackoff     the largest backoff ceiling
 * @param multiplier     how much the ceiling grows per retry (at least 1)
 * @param maxRetryAfter  the longest provider-hinted delay honoured; longer hints are cut to it
 * @param random         the source of jitter; must be thread-safe if the policy is shared
 */
public record RetryPolicy(
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        double multiplier,
        Duration maxRetryAfter,
        RandomGenerator random) {

    private static final RandomGenerator THREAD_LOCAL =
            () -> ThreadLocalRandom.current().nextLong();
    private static final RetryPolicy DEFAULTS = new RetryPolicy(
            3, Duration.ofMillis(500), Duration.ofSeconds(8), 2.0, Duration.ofSeconds(30), THREAD_LOCAL);
    private static final RetryPolicy NONE = DEFAULTS.withMaxAttempts(1);

    /**
     * A policy as given.
     *
     * @throws IllegalArgumentException if {@code maxAttempts < 1}, a duration is negative,
     *                                  {@code maxBackoff < initialBackoff} or {@code multiplier < 1}
     */
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        requireNonNegative(initialBackoff, "initialBackoff");
        requireNonNegative(maxBackoff, "maxBackoff");
        requireNonNegative(maxRetryAfter, "maxRetryAfter");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must not be less than initialBackoff");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1: " + multiplier);
        }
        Objects.requireNonNull(random, "random");
    }

    /** 3 attempts, backoff ceilings 0.5 s, 1 s, ... up to 8 s, hints honoured up to 30 s. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** One attempt per target: no retries. */
    public static RetryPolicy none() {
        return NONE;
    }

    /** This policy with another number of attempts per target. */
    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, initialBackoff, maxBackoff, multiplier, maxRetryAfter, random);
    }

    /** This policy with other backoff ceilings. */
    public RetryPolicy withBackoff(Duration initial, Duration max, double factor) {
        return new RetryPolicy(maxAttempts, initial, max, factor, maxRetryAfter, random);
    }

    /** This policy with another cap on provider-hinted delays. */
    public RetryPolicy withMaxRetryAfter(Duration cap) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, multiplier, cap, random);
    }

    /** This policy drawing its jitter from {@code generator} (e.g. a seeded one, in tests). */
    public RetryPolicy withRandom(RandomGenerator generator) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, multiplier, maxRetryAfter, generator);
    }

    /**
     * The backoff ceiling before retry {@code retry}: {@code min(maxBackoff, initialBackoff *
     * multiplier^(retry-1))}.
     *
     * @param retry 1 for the first retry (the second attempt)
     */
    public Duration ceiling(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry counts from 1: " + retry);
        }
        double nanos = initialBackoff.toNanos() * Math.pow(multiplier, retry - 1);
        long max = maxBackoff.toNanos();
        return Duration.ofNanos(nanos >= max ? max : (long) nanos);
    }

    /**
     * The delay before retry {@code retry}: the capped hint if there is one, else a full-jitter
     * draw below {@link #ceiling(int)}.
     *
     * @param retry 1 for the first retry
     * @param hint  the provider's retry hint, if it sent one
     */
    public Duration delayBefore(int retry, Optional<Duration> hint) {
        Duration ceiling = ceiling(retry);
        Optional<Duration> capped = RetryAfter.capped(hint, maxRetryAfter);
        if (capped.isPresent()) {
            return capped.get();
        }
        long bound = ceiling.toNanos();
        return bound == 0 ? Duration.ZERO : Duration.ofNanos((long) (random.nextDouble() * bound));
    }

    private static void requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
    }
}
