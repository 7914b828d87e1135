package io.aistream.testing;

import java.util.SplittableRandom;

/**
 * One test's random seed, from {@link Seeds}: its name, its value, and whether the value came from
 * the command line ({@code -Daistream.seed}).
 *
 * <p>Immutable; {@link #random()} returns a new generator on every call (a {@link SplittableRandom}
 * is not thread-safe: give each thread its own, or {@link SplittableRandom#split()} one).
 *
 * @param name       what the seed drives
 * @param value      the seed
 * @param overridden true when {@value Seeds#PROPERTY} chose the value
 */
public record Seed(String name, long value, boolean overridden) {

    /** A new generator starting at this seed. */
    public SplittableRandom random() {
        return new SplittableRandom(value);
    }

    /** The command-line argument that replays this seed: {@code -Daistream.seed=<value>}. */
    public String replay() {
        return "-D" + Seeds.PROPERTY + "=" + value;
    }

    /**
     * Runs {@code check}; an {@link AssertionError} or exception it throws is thrown again as an
     * {@link AssertionError} with this seed (and how to replay it) in front of its message, the
     * original as its cause. An interrupt is kept: the thread's interrupt flag is set again.
     */
    public void check(Check check) {
        try {
            check.run();
        } catch (AssertionError e) {
            throw new AssertionError(this + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(this + ": interrupted", e);
        } catch (Exception e) {
            throw new AssertionError(this + ": " + e, e);
        }
    }

    /** {@code "<name>: seed <value> (replay with -Daistream.seed=<value>)"}. */
    @Override
    public String toString() {
        return name + ": seed " + value + (overridden ? " from -D" + Seeds.PROPERTY : "") + " (replay with " + replay()
                + ")";
    }

    /** A check that may throw; see {@link Seed#check}. */
    @FunctionalInterface
    public interface Check {
        /** Runs the check. */
        void run() throws Exception;
    }
}
