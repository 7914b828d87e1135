package io.aistream.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code aistream serve}: the shipped CLI jar in a JVM of its own on a free loopback port, for tests
 * that must see the gateway as users run it (the hostile attacks, the client compatibility matrix).
 *
 * <p>{@link #start(Options)} starts {@code java <jvmArgs> -jar <jar> serve --port <port, 0 by default>
 * [--config file] <extra args>} with the environment cleared of {@code AISTREAM_*} and {@code *_API_KEY} variables (then
 * the given ones added), and returns once the process printed the line it listens on. Its output (stdout
 * and the log on stderr, merged) is kept for assertions, at most {@value #MAX_LINES} lines (the oldest go
 * first, and {@link #droppedLines()} counts them). {@link #close()} sends SIGTERM, waits for the exit and
 * deletes the config file's folder. For the cluster tests a node can also be killed ({@link #kill()}, SIGKILL: no
 * goodbye), paused and resumed ({@link #pause()}, {@link #resume()}: SIGSTOP and SIGCONT, through the system's
 * {@code kill} command), and started again on its old port ({@link Options#withPort}).
 *
 * <p>It uses {@code java.base} only, so a module whose class path must not see aistream's own dependencies
 * can take this jar alone (a dependency with every transitive one excluded). Thread-safe; one thread reads
 * the process output.
 */
public final class GatewayProcess implements AutoCloseable {
    /** Lines of output kept; a gateway that logs more keeps the newest. */
    public static final int MAX_LINES = 50_000;

    private static final Pattern LISTENING = Pattern.compile("aistream gateway listening on http://[^:/]+:(\\d+)/");

    private final Process process;
    private final Deque<String> output = new ArrayDeque<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final Path dir;
    private long dropped;

    /**
     * How to start one gateway.
     *
     * @param jar the CLI jar ({@link #defaultJar()})
     * @param jvmArgs flags for the gateway's JVM, before {@code -jar}
     * @param configJson the content of the {@code --config} file, or null for none
     * @param args more arguments after {@code serve --port <port>}
     * @param env variables added to the cleared environment
     * @param startTimeout how long to wait for the listening line
     * @param port the port to listen on, 0 (the default) for a free one; a node restarted after {@link #kill()}
     *     passes its old {@link #port()}
     */
    public record Options(
            Path jar,
            List<String> jvmArgs,
            String configJson,
            List<String> args,
            Map<String, String> env,
            Duration startTimeout,
            int port) {
        /** Copies the lists and the map; checks the port. */
        public Options {
            jvmArgs = List.copyOf(jvmArgs);
            args = List.copyOf(args);
            env = Map.copyOf(env);
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range 0..65535: " + port);
            }
        }

        /** Options on a free port (port 0), as before the port could be chosen. */
        public Options(
                Path jar,
                List<String> jvmArgs,
                String configJson,
                List<String> args,
                Map<String, String> env,
                Duration startTimeout) {
            this(jar, jvmArgs, configJson, args, env, startTimeout, 0);
        }

        /** The default jar, no JVM flags, no config file, no extra arguments, no variables, one minute to start. */
        public static Options defaults() {
            return new Options(defaultJar(), List.of(), null, List.of(), Map.of(), Duration.ofMinutes(1), 0);
        }

        /** These JVM flags instead. */
        public Options withJvmArgs(List<String> flags) {
            return new Options(jar, flags, configJson, args, env, startTimeout, port);
        }

        /** This config file content instead. */
        public Options withConfig(String json) {
            return new Options(jar, jvmArgs, json, args, env, startTimeout, port);
        }

        /** These extra {@code serve} arguments instead. */
        public Options withArgs(List<String> serveArgs) {
            return new Options(jar, jvmArgs, configJson, serveArgs, env, startTimeout, port);
        }

        /** These environment variables instead. */
        public Options withEnv(Map<String, String> variables) {
            return new Options(jar, jvmArgs, configJson, args, variables, startTimeout, port);
        }

        /** This jar instead. */
        public Options withJar(Path cliJar) {
            return new Options(cliJar, jvmArgs, configJson, args, env, startTimeout, port);
        }

        /** This port instead (0: a free one). */
        public Options withPort(int listenPort) {
            return new Options(jar, jvmArgs, configJson, args, env, startTimeout, listenPort);
        }
    }

    /**
     * The CLI jar: the system property {@code aistream.jar} (the modules' surefire configuration sets it), else
     * {@code ../aistream-cli/target/aistream.jar}.
     */
    public static Path defaultJar() {
        return Path.of(System.getProperty("aistream.jar", "../aistream-cli/target/aistream.jar"));
    }

    private GatewayProcess(Options options) throws IOException {
        if (!Files.isRegularFile(options.jar())) {
            throw new IllegalStateException("the CLI jar is not built: " + options.jar() + " (run mvn package first)");
        }
        dir = Files.createTempDirectory("aistream-gateway");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(options.jvmArgs());
        command.addAll(List.of("-jar", options.jar().toString(), "serve", "--port", Integer.toString(options.port())));
        if (options.configJson() != null) {
            Path config = dir.resolve("aistream.json");
            Files.writeString(config, options.configJson());
            command.addAll(List.of("--config", config.toString()));
        }
        command.addAll(options.args());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("AISTREAM_") || k.endsWith("_API_KEY"));
        pb.environment().putAll(options.env());
        pb.redirectErrorStream(true);
        process = pb.start();
        Thread.ofPlatform().daemon().name("gateway-output-" + process.pid()).start(this::pump);
    }

    /** Starts a gateway with these options and waits until it listens; the start's output is in the exception. */
    public static GatewayProcess start(Options options) throws IOException {
        GatewayProcess g = new GatewayProcess(options);
        try {
            g.port.get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            g.process.destroyForcibly();
            g.deleteDir();
            throw new IllegalStateException("interrupted while the gateway started", e);
        } catch (ExecutionException | TimeoutException e) {
            g.process.destroyForcibly();
            g.deleteDir();
            throw new IllegalStateException("the gateway did not start:\n" + g.log(), e);
        }
        return g;
    }

    private void pump() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (output) {
                    output.addLast(line);
                    if (output.size() > MAX_LINES) {
                        output.removeFirst();
                        dropped++;
                    }
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

    /** The port it listens on (loopback). */
    public int port() {
        return port.join();
    }

    /** {@code http://127.0.0.1:<port>} with no trailing slash; append {@code /v1} for OpenAI-style clients. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process still runs (a paused one does). */
    public boolean alive() {
        return process.isAlive();
    }

    /** Everything the process wrote so far (the newest {@value #MAX_LINES} lines). */
    public String log() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** Lines of output left out of {@link #log()} because there were more than {@value #MAX_LINES}. */
    public long droppedLines() {
        synchronized (output) {
            return dropped;
        }
    }

    /** The lines written so far that match {@code regex} (found anywhere in the line). */
    public List<String> logLines(String regex) {
        Pattern p = Pattern.compile(regex);
        synchronized (output) {
            return output.stream().filter(l -> p.matcher(l).find()).toList();
        }
    }

    /** The last 40 lines of output, for failure messages. */
    public String tail() {
        synchronized (output) {
            List<String> all = List.copyOf(output);
            return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
        }
    }

    /**
     * One scrape of {@code GET /metrics}: each series (name with labels, as written) to its value.
     *
     * @throws IOException when the gateway cannot be reached or does not answer 200
     */
    public Map<String, Double> metrics() throws IOException {
        HttpURLConnection c =
                (HttpURLConnection) URI.create(baseUrl() + "/metrics").toURL().openConnection();
        c.setConnectTimeout(10_000);
        c.setReadTimeout(10_000);
        try {
            if (c.getResponseCode() != 200) {
                throw new IOException("/metrics answered " + c.getResponseCode());
            }
            String body;
            try (InputStream in = c.getInputStream()) {
                // Prometheus text of one gateway: a few hundred series; the bound is for a broken one
                body = new String(in.readNBytes(16 << 20), StandardCharsets.UTF_8);
            }
            Map<String, Double> series = new LinkedHashMap<>();
            for (String line : body.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
            return series;
        } finally {
            c.disconnect();
        }
    }

    /** The sum of every {@link #metrics()} series whose name (with labels) starts with {@code prefix}. */
    public double metricSum(String prefix) throws IOException {
        return metrics().entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    /**
     * Sends SIGTERM and waits up to a minute for the exit status. The process's last output (its shutdown) is
     * kept: the pipes stay open until it ends.
     */
    public int stop() throws InterruptedException {
        // the handle, not Process.destroy(): that also closes our end of the pipes, and the gateway's last
        // words would be lost
        process.toHandle().destroy();
        Signals.contIfStopped(process.toHandle()); // a paused gateway handles the SIGTERM once it runs
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the gateway ignored SIGTERM for a minute:\n" + tail());
        }
        try {
            ended.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /**
     * Kills the process (SIGKILL: no shutdown, no goodbye to its clients or its peers), waits for it to end and
     * returns its exit status (137 on Linux). Its output up to then stays in {@link #log()}.
     */
    public int kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor();
        try {
            ended.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // keep what was read
        }
        return process.exitValue();
    }

    /**
     * Pauses the process (SIGSTOP): its sockets stay open, the kernel still accepts connections, but it
     * answers nothing, renews nothing and writes nothing until {@link #resume()}. On Linux, returns once the
     * process is stopped.
     */
    public void pause() {
        Signals.stop(process.toHandle());
    }

    /** Resumes a {@link #pause() paused} process (SIGCONT); on Linux, returns once it runs again. */
    public void resume() {
        Signals.cont(process.toHandle());
    }

    /** Stops the process if it runs ({@link #stop()}) and deletes its config folder. */
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
            deleteDir();
        }
    }

    private void deleteDir() {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
