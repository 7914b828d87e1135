package io.aistream.bench.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code aistream serve --port 0 --config FILE} in a child JVM on this test's class path, as the bench
 * scripts run the gateway (the bench module cannot reach the CLI's in-process test hooks).
 * {@link #close()} stops it with SIGTERM, its graceful stop, and waits for it to exit.
 */
final class GatewayProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("aistream gateway listening on (\\S+)");

    private final Process process;
    private final URI uri;

    private GatewayProcess(Process process, URI uri) {
        this.process = process;
        this.uri = uri;
    }

    static GatewayProcess start(Path config, Path stderr) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.aistream.cli.Main",
                        "serve",
                        "--port",
                        "0",
                        "--config",
                        config.toString())
                .redirectError(stderr.toFile())
                .start();
        StringBuilder out = new StringBuilder();
        CompletableFuture<URI> listening = new CompletableFuture<>();
        // Drains stdout for the process's whole life, so it never blocks on a full pipe.
        Thread.ofVirtual().name("gateway-stdout").start(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete(URI.create(m.group(1)));
                    }
                }
            } catch (IOException e) {
                listening.completeExceptionally(e);
            }
            listening.completeExceptionally(new IllegalStateException("aistream serve ended before it listened"));
        });
        try {
            return new GatewayProcess(process, listening.get(30, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            String seen;
            synchronized (out) {
                seen = out.toString();
            }
            throw new IllegalStateException(
                    "aistream serve did not start (stderr in " + stderr + "); stdout:\n" + seen, e);
        }
    }

    URI uri() {
        return uri;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
