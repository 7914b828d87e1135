package io.aistream.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The samples of one Prometheus text exposition ({@code GET /metrics}), for summing series by name
 * and labels. Immutable; parsing never throws on lines it does not understand (it skips them), since
 * a soak must keep sampling whatever else the exposition holds.
 */
final class PromText {
    /** One sample line: metric name, its label pairs, its value. */
    record Series(String name, Map<String, String> labels, double value) {}

    private final List<Series> series;

    private PromText(List<Series> series) {
        this.series = List.copyOf(series);
    }

    /** Parses an exposition: comments and blank lines are skipped, as are lines that do not parse. */
    static PromText parse(String text) {
        List<Series> out = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Series s = parseLine(line);
            if (s != null) {
                out.add(s);
            }
        }
        return new PromText(out);
    }

    private static Series parseLine(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        String name;
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        String rest;
        if (brace >= 0 && (space < 0 || brace < space)) {
            name = line.substring(0, brace);
            int end = parseLabels(line, brace + 1, labels);
            if (end < 0) {
                return null;
            }
            rest = line.substring(end + 1).strip();
        } else {
            if (space < 0) {
                return null;
            }
            name = line.substring(0, space);
            rest = line.substring(space + 1).strip();
        }
        // an optional timestamp may follow the value
        int sp = rest.indexOf(' ');
        String value = sp < 0 ? rest : rest.substring(0, sp);
        try {
            return new Series(name, Map.copyOf(labels), parseValue(value));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Reads {@code k="v",...} from {@code from}; returns the index of the closing brace, or -1. */
    private static int parseLabels(String line, int from, Map<String, String> into) {
        int i = from;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '}') {
                return i;
            }
            if (c == ',' || c == ' ') {
                i++;
                continue;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                return -1;
            }
            String key = line.substring(i, eq).strip();
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            for (; j < line.length(); j++) {
                char d = line.charAt(j);
                if (d == '\\' && j + 1 < line.length()) {
                    char e = line.charAt(++j);
                    v.append(e == 'n' ? '\n' : e);
                } else if (d == '"') {
                    break;
                } else {
                    v.append(d);
                }
            }
            if (j >= line.length()) {
                return -1;
            }
            into.put(key, v.toString());
            i = j + 1;
        }
        return -1;
    }

    private static double parseValue(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }

    /**
     * The sum of every series named {@code name} whose labels include all of {@code labels};
     * NaN when no series matches (the gateway does not export it), so a missing figure is told
     * apart from a zero.
     */
    double sum(String name, Map<String, String> labels) {
        double total = 0;
        boolean any = false;
        for (Series s : series) {
            if (s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())) {
                total += s.value();
                any = true;
            }
        }
        return any ? total : Double.NaN;
    }

    /** {@link #sum(String, Map)} without a label filter. */
    double sum(String name) {
        return sum(name, Map.of());
    }
}
