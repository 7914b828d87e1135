package io.aistream.hostile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code aistream serve}: the shipped jar in a JVM of its own, with a small heap
 * ({@value #HEAP}) and the launcher's flags, on a free loopback port. Its output (stdout and the log on
 * stderr) is kept for assertions. {@link #close()} sends SIGTERM and waits for the process to end.
 */
final class HostileGateway implements AutoCloseable {
    static final String HEAP = "-Xmx256m";
    private static final Pattern LISTENING = Pattern.compile("aistream gateway listening on http://[^:]+:(\\d+)/");

    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final Path dir;

    private HostileGateway(String configJson, Map<String, String> env) throws IOException {
        dir = Files.createTempDirectory("aistream-hostile");
        Path config = dir.resolve("aistream.json");
        Files.writeString(config, configJson);
        String jar = System.getProperty("aistream.jar", "../aistream-cli/target/aistream.jar");
        if (!Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the CLI jar is not built: " + jar + " (run mvn package first)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, HEAP, "-XX:+ExitOnOutOfMemoryError"));
        // -Dhostile.jvmArgs="-Xlog:gc" and the like, to look into a run
        String extra = System.getProperty("hostile.jvmArgs", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar, "serve", "--port", "0", "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("AISTREAM_") || k.endsWith("_API_KEY"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        process = pb.start();
        Thread.ofPlatform().daemon().name("hostile-gateway-output").start(this::pump);
    }

    /** Starts a gateway with this config file and no provider keys; waits until it listens. */
    static HostileGateway start(String configJson) throws IOException {
        return start(configJson, Map.of());
    }

    static HostileGateway start(String configJson, Map<String, String> env) throws IOException {
        HostileGateway g = new HostileGateway(configJson, env);
        try {
            g.port.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            g.process.destroyForcibly();
            throw new IllegalStateException("the gateway did not start:\n" + g.log(), e);
        }
        return g;
    }

    private void pump() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (output) {
                    output.add(line);
                }
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            port.completeExceptionally(new IllegalStateException("the gateway exited"));
            ended.complete(null);
        }
    }

    int port() {
        return port.join();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Everything the process wrote so far. */
    String log() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** The lines written so far that match {@code regex}. */
    List<String> logLines(String regex) {
        Pattern p = Pattern.compile(regex);
        synchronized (output) {
            return output.stream().filter(l -> p.matcher(l).find()).toList();
        }
    }

    /** SIGTERM, then waits (up to a minute) for the exit status. */
    int stop() throws InterruptedException {
        // the handle, not Process.destroy(): that also closes our end of the pipes, and the gateway's last
        // words (its shutdown) would be lost
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the gateway ignored SIGTERM for a minute:\n" + tail());
        }
        try {
            ended.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** The last lines of output, for failure messages. */
    String tail() {
        synchronized (output) {
            return String.join("\n", output.subList(Math.max(0, output.size() - 40), output.size()));
        }
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
