package io.aistream.testing;

import java.util.SplittableRandom;

/**
 * Seeded single-character edits of JSON text (deletions, insertions, replacements), for differential
 * tests of parsers: a mutated document must be rejected by the parser under test whenever the
 * reference parser rejects it.
 *
 * <p>An instance owns one {@link Seed} and one generator: make one per test thread with
 * {@link #seeded}, put {@link #seed()} in assertion descriptions (or check through
 * {@link Seed#check}), and draw everything else the test randomizes from {@link #random()} too, so
 * the seed replays the whole test. Not thread-safe.
 */
public final class JsonMutations {
    private final Seed seed;
    private final SplittableRandom random;

    private JsonMutations(Seed seed) {
        this.seed = seed;
        this.random = seed.random();
    }

    /** Mutations driven by the seed {@link Seeds#seed(String, long) Seeds.seed(name, defaultSeed)}. */
    public static JsonMutations seeded(String name, long defaultSeed) {
        return new JsonMutations(Seeds.seed(name, defaultSeed));
    }

    /** The seed (its {@code toString()} says how to replay it). */
    public Seed seed() {
        return seed;
    }

    /** The generator the mutations draw from, for the rest of the test's random choices. */
    public SplittableRandom random() {
        return random;
    }

    /** {@code s} with {@code edits} random edits using characters of {@code alphabet}. */
    public String mutate(String s, String alphabet, int edits) {
        return mutate(s, random, alphabet, edits);
    }

    /**
     * {@code s} with {@code edits} random deletions, insertions or replacements of characters from
     * {@code alphabet}, drawn from {@code random}.
     */
    public static String mutate(String s, SplittableRandom random, String alphabet, int edits) {
        StringBuilder sb = new StringBuilder(s);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(sb.length() + 1);
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            switch (random.nextInt(3)) {
                case 0 -> {
                    if (at < sb.length()) {
                        sb.deleteCharAt(at);
                    }
                }
                case 1 -> sb.insert(at, c);
                default -> {
                    if (at < sb.length()) {
                        sb.setCharAt(at, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
