package io.aistream.bench.cli;

import java.time.Duration;
import java.util.Locale;

/** Durations as the bench commands take them on the command line. */
final class Durations {
    private Durations() {}

    /**
     * Parses a duration: a number with a unit ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}) or
     * plain seconds ({@code 1.5}); ISO-8601 ({@code PT30S}) also works.
     *
     * @throws IllegalArgumentException naming {@code option} when {@code text} is none of these
     */
    static Duration parse(String option, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            double factorNanos;
            String number;
            if (t.endsWith("ms")) {
                factorNanos = 1e6;
                number = t.substring(0, t.length() - 2);
            } else if (t.endsWith("s")) {
                factorNanos = 1e9;
                number = t.substring(0, t.length() - 1);
            } else if (t.endsWith("m")) {
                factorNanos = 60e9;
                number = t.substring(0, t.length() - 1);
            } else if (t.endsWith("h")) {
                factorNanos = 3600e9;
                number = t.substring(0, t.length() - 1);
            } else {
                factorNanos = 1e9;
                number = t;
            }
            double v = Double.parseDouble(number.trim());
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos(Math.round(v * factorNanos));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    option + " must be a duration such as 500ms, 30s, 2m or 1h, not '" + text + "'");
        }
    }
}
