package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.request.ChatRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A characterization table of a request reader: a resource of input lines, each followed by the
 * answer the reader gives today ({@code "  -> <answer>"}). {@link #check} feeds every input to the
 * reader and compares its answers with the recorded ones, all at once, so a change in wording shows
 * as one readable diff. On a mismatch the table as the reader answers now is also written to
 * {@code target/reader-tables/<name>}, to review and copy over the resource when a change is meant.
 *
 * <p>Format: {@code #} lines are comments, blank lines are ignored, any other line is an input (one
 * line of JSON text) whose answer is on the next line, its line breaks written {@code \\n}.
 */
public final class ReaderTable {
    private static final String ANSWER = "  -> ";

    private ReaderTable() {}

    /** Checks every row of resource {@code name} (next to {@code owner}) against {@code reader}. */
    public static void check(Class<?> owner, String name, Function<String, String> reader) {
        List<String> lines = read(owner, name);
        StringBuilder expected = new StringBuilder();
        StringBuilder actual = new StringBuilder();
        int rows = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                expected.append(line).append('\n');
                actual.append(line).append('\n');
                continue;
            }
            String recorded = i + 1 < lines.size() && lines.get(i + 1).startsWith(ANSWER) ? lines.get(++i) : "";
            String answer;
            try {
                answer = ANSWER + reader.apply(line).replace("\n", "\\n");
            } catch (RuntimeException e) {
                answer = ANSWER + "THROWN " + e;
            }
            expected.append(line).append('\n').append(recorded).append('\n');
            actual.append(line).append('\n').append(answer).append('\n');
            rows++;
        }
        if (!expected.toString().equals(actual.toString())) {
            write(name, actual.toString());
        }
        assertThat(actual.toString()).as("answers of " + name).isEqualTo(expected.toString());
        assertThat(rows).as("rows of " + name).isPositive();
    }

    /** {@code request} as its record text, with the provider options sorted (their map's order varies by run). */
    public static String describe(ChatRequest request) {
        String text = request.toString();
        return text.substring(0, text.lastIndexOf(", providerOptions=")) + ", providerOptions="
                + new TreeMap<>(request.providerOptions()) + "]";
    }

    private static List<String> read(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + name + " beside " + owner.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(String name, String table) {
        try {
            Path dir = Path.of("target", "reader-tables");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name), table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
