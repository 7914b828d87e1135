package io.aistream;

/**
 * Seeds for randomised tests: each test has a fixed default seed, so a run is repeatable, and prints
 * the seed it uses; {@code -Daistream.seed=<n>} replays or explores another one.
 */
public final class TestSeeds {
    /** The property that overrides every test's default seed. */
    public static final String PROPERTY = "aistream.seed";

    private TestSeeds() {
    }

    /** The seed for {@code test}: {@code -Daistream.seed} if set, else {@code fixed}; printed either way. */
    public static long seed(Class<?> test, long fixed) {
        long seed = Long.getLong(PROPERTY, fixed);
        System.out.println(test.getSimpleName() + " seed " + seed + " (replay: -D" + PROPERTY + "=" + seed + ")");
        return seed;
    }
}
