package io.aistream;

import java.util.SplittableRandom;

/**
 * Seeds for randomised tests: each test has a fixed default seed, so a run is repeatable, and prints
 * the seed it uses. {@code -Daistream.seed=<n>} replays another seed; {@code -Daistream.seed=random}
 * explores a fresh one (printed, so a failure can be replayed).
 *
 * <p>A deliberate copy of {@code io.aistream.testing.Seeds} in the {@code aistream-testing} module: that
 * module depends on core, so core's own tests cannot use it. Keep the two alike (same property, same
 * {@code random} rule) so a seed printed by either replays the same way.
 */
public final class TestSeeds {
    /** The property that overrides every test's default seed. */
    public static final String PROPERTY = "aistream.seed";

    private TestSeeds() {}

    /** The seed for {@code test}: {@code -Daistream.seed} if set, else {@code fixed}; printed either way. */
    public static long seed(Class<?> test, long fixed) {
        return seed(test, PROPERTY, fixed);
    }

    /** Like {@link #seed(Class, long)}, overridden by {@code property} instead. */
    public static long seed(Class<?> test, String property, long fixed) {
        String configured = System.getProperty(property);
        long seed;
        if (configured == null || configured.isBlank()) {
            seed = fixed;
        } else if (configured.equals("random")) {
            seed = new SplittableRandom().nextLong();
        } else {
            seed = Long.decode(configured);
        }
        System.out.println(test.getSimpleName() + " seed " + seed + " (replay: -D" + property + "=" + seed + ")");
        return seed;
    }
}
