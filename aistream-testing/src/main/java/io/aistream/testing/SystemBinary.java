package io.aistream.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A system program the cluster tests need (redis-server, nginx): found through an environment variable that
 * names it, else on {@code PATH}, else at the Debian location. When it is missing, a test either fails with a
 * line saying how to install it, or, when {@value #SKIP_VARIABLE}={@code skip} is set (test.sh sets it when it
 * could not install the package), is aborted through JUnit's {@link Assumptions} with that line.
 *
 * @param variable the environment variable that may name the binary (a path)
 * @param name the binary's file name, looked up on {@code PATH}
 * @param debianPath where Debian's package puts it (nginx is in {@code /usr/sbin}, not on a user's
 *     {@code PATH})
 * @param debianPackage the Debian package that provides it
 */
record SystemBinary(String variable, String name, Path debianPath, String debianPackage) {
    /** The variable that turns a missing binary from a failure into an aborted (skipped) test. */
    static final String SKIP_VARIABLE = "AISTREAM_CLUSTER_TESTS";

    /** The binary, or empty; {@code env} is the environment to read (the process's, or a test's own). */
    Optional<Path> locate(Map<String, String> env) {
        String named = env.get(variable);
        if (named != null && !named.isBlank()) {
            Path p = Path.of(named);
            // the user's choice: no fallback to another binary
            return Files.isExecutable(p) && !Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Files.isExecutable(debianPath) ? Optional.of(debianPath) : Optional.empty();
    }

    /** One line: what is missing and how to get it. */
    String missingMessage(Map<String, String> env) {
        String named = env.get(variable);
        if (named != null && !named.isBlank()) {
            return variable + "=" + named + " is not an executable " + name + "; point it at one or unset it";
        }
        return "no " + name + " (not on PATH, not at " + debianPath + "): install it with 'apt-get install -y "
                + debianPackage + "' (Debian/Ubuntu) or set " + variable + " to its path; "
                + SKIP_VARIABLE + "=skip skips the tests that need it";
    }

    /** Aborts the calling test (JUnit assumption) when the binary is missing and skipping is asked for. */
    void assumeAvailable(Map<String, String> env) {
        if (locate(env).isEmpty()) {
            String message = missingMessage(env);
            if ("skip".equals(env.get(SKIP_VARIABLE))) {
                Assumptions.abort(message);
            }
            throw new IllegalStateException(message);
        }
    }

    /** The binary, or an {@link IllegalStateException} (or an aborted test, as {@link #assumeAvailable}). */
    Path require(Map<String, String> env) {
        assumeAvailable(env);
        return locate(env).orElseThrow();
    }

    static List<String> commandLine(Path binary, List<String> args) {
        return Stream.concat(Stream.of(binary.toString()), args.stream()).toList();
    }
}
