package io.aistream.testing;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where every random test gets its seed, so that any failure replays.
 *
 * <p>A seed is <b>fixed by default</b> (the default the test gives, or one derived from its name), so
 * runs are repeatable. The system property {@value #PROPERTY} overrides it for every seed of the run:
 * {@code -Daistream.seed=123} (decimal, or hex as {@code 0x7b}) replays seed 123, and
 * {@code -Daistream.seed=random} draws one fresh seed for the run. Every seed is <b>printed</b> to
 * standard output the first time it is handed out, and {@link Seed#toString()} (put it in assertion
 * descriptions, or run the check through {@link Seed#check}) says how to replay it.
 *
 * <p>Thread-safe.
 */
public final class Seeds {
    /** The system property that overrides every seed of the run. */
    public static final String PROPERTY = "aistream.seed";

    private static final Set<String> PRINTED = ConcurrentHashMap.newKeySet();
    private static volatile Long randomForRun;

    private Seeds() {}

    /**
     * The seed for {@code name}: {@code defaultValue}, unless {@value #PROPERTY} is set.
     *
     * @param name         what the seed drives (a test, a fixture), printed with it
     * @param defaultValue the seed when none is given on the command line
     * @throws IllegalArgumentException if the property is set but is neither a number nor {@code random}
     */
    public static Seed seed(String name, long defaultValue) {
        String configured = System.getProperty(PROPERTY);
        Seed seed = configured == null || configured.isBlank()
                ? new Seed(name, defaultValue, false)
                : new Seed(name, parse(configured.strip()), true);
        if (PRINTED.add(name + '\0' + seed.value())) {
            System.out.println("[" + PROPERTY + "] " + seed);
        }
        return seed;
    }

    /** The seed for {@code name}, with a default derived from the name (stable across runs and JVMs). */
    public static Seed seed(String name) {
        return seed(name, defaultFor(name));
    }

    /** A new random generator for {@code name}'s seed: shorthand for {@code seed(name, defaultValue).random()}. */
    public static SplittableRandom random(String name, long defaultValue) {
        return seed(name, defaultValue).random();
    }

    /** The default seed of {@link #seed(String)}: a 64-bit FNV-1a hash of the name's UTF-8 bytes. */
    static long defaultFor(String name) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    private static long parse(String configured) {
        if (configured.equalsIgnoreCase("random")) {
            Long value = randomForRun;
            if (value == null) {
                synchronized (Seeds.class) {
                    if (randomForRun == null) {
                        randomForRun = new SplittableRandom().nextLong();
                    }
                    value = randomForRun;
                }
            }
            return value;
        }
        try {
            return Long.decode(configured);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "-D" + PROPERTY + " must be a number or 'random', not '" + configured + "'", e);
        }
    }
}
