package io.aistream.provider.testing;

import java.util.SplittableRandom;

/** Seeded single-character edits of JSON text, for differential tests of parsers. */
public final class JsonMutations {
    private JsonMutations() {
    }

    /** {@code s} with {@code edits} random deletions, insertions or replacements of characters from {@code alphabet}. */
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
