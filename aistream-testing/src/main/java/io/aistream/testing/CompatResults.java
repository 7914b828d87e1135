package io.aistream.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rows of one client in the README's compatibility matrix: each scenario a client test runs is recorded
 * as {@code pass} or {@code fail} and written at once to {@code <dir>/<clientId>.json} (a JSON array of rows
 * {@code {"client","language","version","endpoint","scenario","result","detail"}}), which the matrix generator
 * in {@code e2e} reads.
 *
 * <p>{@link #run} records the scenario's outcome and then returns its value or rethrows its failure, so the
 * test fails as well. The first {@code CompatResults} made for a client id in a JVM replaces the file a
 * previous run left; later ones (and every row) add to it. Thread-safe. Uses {@code java.base} only (see
 * {@link GatewayProcess}).
 */
public final class CompatResults {
    /** Row {@code result}: the scenario did what the client's users expect. */
    public static final String PASS = "pass";
    /** Row {@code result}: it did not; {@code detail} holds the error. */
    public static final String FAIL = "fail";

    /** A detail is one short line: longer ones are cut here. */
    public static final int MAX_DETAIL = 300;

    private static final Map<Path, List<String>> FILES = new HashMap<>();

    private final Path file;
    private final String client;
    private final String language;
    private final String version;

    /** A scenario's body: returns the one-line detail for a passing row. */
    @FunctionalInterface
    public interface Scenario {
        /** Runs the scenario; throws (an assertion error, the client's exception) when it fails. */
        String run() throws Exception;
    }

    /**
     * Rows for one client.
     *
     * @param dir the folder of the result files: the system property {@code compat.results} in the modules'
     *     surefire configuration ({@link #defaultDir()})
     * @param clientId the file name without {@code .json}
     * @param client the package or artifact as users know it, e.g. {@code openai-java}
     * @param language {@code Java} or {@code TypeScript}
     * @param version the client's version, read at run time ({@link #versionOf})
     */
    public CompatResults(Path dir, String clientId, String client, String language, String version) {
        if (!clientId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("client id must be a plain file name: " + clientId);
        }
        this.file = dir.resolve(clientId + ".json");
        this.client = client;
        this.language = language;
        this.version = version;
        synchronized (FILES) {
            if (!FILES.containsKey(file)) {
                FILES.put(file, new ArrayList<>());
                try {
                    // a previous run's rows must not pass for this run's
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot replace " + file, e);
                }
            }
        }
    }

    /** The folder the system property {@code compat.results} names, else {@code target/compat}. */
    public static Path defaultDir() {
        return Path.of(System.getProperty("compat.results", "target/compat"));
    }

    /** The client's version. */
    public String version() {
        return version;
    }

    /**
     * Runs a scenario, records its row and returns the scenario's detail, or records the failure (its message,
     * first line) and rethrows it.
     */
    public String run(String endpoint, String scenario, Scenario body) throws Exception {
        String detail;
        try {
            detail = body.run();
        } catch (Exception | AssertionError e) {
            record(endpoint, scenario, FAIL, failure(e));
            throw e;
        }
        record(endpoint, scenario, PASS, detail);
        return detail;
    }

    /**
     * A note for a failing row that the exception's own message lacks (e.g. the HTTP response body a client
     * keeps apart): add it to the exception with {@link Throwable#addSuppressed}.
     */
    public static final class Note extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** A note with this text (no stack trace: it only carries words). */
        public Note(String text) {
            super(text, null, false, false);
        }
    }

    /** The error for a failing row: type and message, and the {@link Note}s suppressed into it. */
    static String failure(Throwable e) {
        StringBuilder b =
                new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        for (Throwable s : e.getSuppressed()) {
            if (s instanceof Note) {
                b.append(" (").append(s.getMessage()).append(')');
            }
        }
        return b.toString();
    }

    /** Records one row as given and rewrites the file. */
    public void record(String endpoint, String scenario, String result, String detail) {
        if (!PASS.equals(result) && !FAIL.equals(result)) {
            throw new IllegalArgumentException("result must be pass or fail: " + result);
        }
        String row = "{"
                + String.join(
                        ", ",
                        field("client", client),
                        field("language", language),
                        field("version", version),
                        field("endpoint", endpoint),
                        field("scenario", scenario),
                        field("result", result),
                        field("detail", oneLine(detail)))
                + "}";
        synchronized (FILES) {
            List<String> rows = FILES.get(file);
            rows.add(row);
            write(rows);
        }
    }

    private void write(List<String> rows) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, "[\n  " + String.join(",\n  ", rows) + "\n]\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The detail on one line (a multi-line assertion message folded), at most {@link #MAX_DETAIL} characters. */
    static String oneLine(String detail) {
        String s = detail == null ? "" : detail.strip().replaceAll("\\s+", " ");
        return s.length() > MAX_DETAIL ? s.substring(0, MAX_DETAIL - 1) + "…" : s;
    }

    private static String field(String name, String value) {
        return "\"" + name + "\": " + quote(value);
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static final Pattern JAR_NAME = Pattern.compile("-(\\d[\\w.+-]*)\\.jar$");

    /**
     * The version of the library a class comes from, read at run time: the Maven {@code pom.properties} of
     * {@code groupId:artifactId}, else the {@code Implementation-Version} of the class's jar manifest, else the
     * version in the jar's file name ({@code artifact-1.2.3.jar}).
     *
     * @throws IllegalStateException when none of them names a version
     */
    public static String versionOf(Class<?> type, String groupId, String artifactId) {
        String pom = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = type.getClassLoader().getResourceAsStream(pom)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v.strip();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path jar = jarOf(type);
        if (jar != null) {
            try (JarFile j = new JarFile(jar.toFile())) {
                Manifest m = j.getManifest();
                String v = m == null ? null : m.getMainAttributes().getValue("Implementation-Version");
                if (v != null && !v.isBlank()) {
                    return v.strip();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Matcher name = JAR_NAME.matcher(jar.getFileName().toString());
            if (name.find()) {
                return name.group(1);
            }
        }
        throw new IllegalStateException("no version found for " + groupId + ":" + artifactId + " (" + type + ")");
    }

    private static Path jarOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        URL url = source == null ? null : source.getLocation();
        if (url == null) {
            return null;
        }
        try {
            Path p = Path.of(url.toURI());
            return Files.isRegularFile(p) ? p : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
