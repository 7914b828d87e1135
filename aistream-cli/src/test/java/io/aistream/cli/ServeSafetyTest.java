package io.aistream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.server.AistreamServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 through {@code aistream serve}: API keys must be long enough, {@code allowedHosts} comes
 * from the config file, and the simulated provider can be disabled and is capped when keys are set.
 */
@Timeout(60)
class ServeSafetyTest {
    private static final String KEY = "serve-safety-key-0123456789";

    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        ServeCommand.onStarted = server -> {};
        ServeCommand.environment = System.getenv();
    }

    /** A running {@code aistream serve --port 0 --config <json>}; stopped by {@link #close()}. */
    private final class Serve implements AutoCloseable {
        final AistreamServer server;
        final CompletableFuture<CliRun> run;

        Serve(String configJson, Map<String, String> env) throws Exception {
            Path config = dir.resolve("gateway.json");
            Files.writeString(config, configJson);
            ServeCommand.environment = env;
            CompletableFuture<AistreamServer> started = new CompletableFuture<>();
            ServeCommand.onStarted = started::complete;
            run = CompletableFuture.supplyAsync(
                    () -> CliRun.run("", "serve", "--port", "0", "--config", config.toString()));
            server = started.get(30, TimeUnit.SECONDS);
        }

        HttpResponse<String> stream(String body, boolean withKey) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve("/v1/stream"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (withKey) {
                request.header("Authorization", "Bearer " + KEY);
            }
            try (HttpClient client = HttpClient.newHttpClient()) {
                return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            }
        }

        /** Stops the server and returns what the command printed (idempotent). */
        CliRun stop() {
            server.stop(Duration.ZERO);
            return run.orTimeout(30, TimeUnit.SECONDS).join();
        }

        @Override
        public void close() {
            stop();
        }
    }

    private CliRun runWith(String configJson, Map<String, String> env) throws IOException {
        Path config = dir.resolve("bad.json");
        Files.writeString(config, configJson);
        ServeCommand.environment = env;
        return CliRun.run("", "serve", "--port", "0", "--config", config.toString());
    }

    private static String lorem(String options) {
        return "{\"provider\":\"simulated\",\"model\":\"lorem\",\"providerOptions\":{" + options + "},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Test
    void shortApiKeysAreRefusedByPositionWithoutEchoingThem() throws Exception {
        CliRun env = runWith("{}", Map.of("AISTREAM_API_KEYS", KEY + ", abc123"));
        assertThat(env.exitCode()).isEqualTo(2);
        assertThat(env.err())
                .contains("aistream serve: AISTREAM_API_KEYS: key 2 is too short: an API key needs at least 16 "
                        + "characters")
                .doesNotContain("abc123");

        CliRun file = runWith("{\"apiKeys\": [\"" + KEY + "\", \"tiny-key\"]}", Map.of());
        assertThat(file.exitCode()).isEqualTo(2);
        assertThat(file.err()).contains("bad.json: 'apiKeys[1]': is too short").doesNotContain("tiny-key");
    }

    @Test
    void badAllowedHostsAndAnUnpacedSimulatedWithKeysAreRefusedAtStart() throws Exception {
        CliRun url = runWith("{\"allowedHosts\": [\"https://gateway.example.com\"]}", Map.of());
        assertThat(url.exitCode()).isEqualTo(2);
        assertThat(url.err()).contains("allowedHosts entry 'https://gateway.example.com' must be a host name");

        CliRun unpaced = runWith("{\"simulated\": {\"tokensPerSecond\": 0}}", Map.of("AISTREAM_API_KEYS", KEY));
        assertThat(unpaced.exitCode()).isEqualTo(2);
        assertThat(unpaced.err()).contains("simulated.tokensPerSecond").contains("unpaced answers are off");
    }

    @Test
    void simulatedCanBeDisabled() throws Exception {
        try (Serve serve = new Serve("{\"simulated\": {\"enabled\": false}}", Map.of())) {
            HttpResponse<String> r = serve.stream(lorem(""), false);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).contains("\"code\":\"unknown_provider\"");
            CliRun out = serve.stop();
            assertThat(out.out()).doesNotContain("provider: simulated").doesNotContain("try: curl");
        }
    }

    @Test
    void withKeysSimulatedIsCappedAndTheCapsAreConfigurable() throws Exception {
        try (Serve serve = new Serve("{\"simulated\": {\"maxLength\": 100}}", Map.of("AISTREAM_API_KEYS", KEY))) {
            HttpResponse<String> tooLong = serve.stream(lorem("\"length\": 1000000"), true);
            assertThat(tooLong.statusCode()).isEqualTo(400);
            assertThat(tooLong.body()).contains("simulated option 'length' must be at most 100 on this gateway");
            HttpResponse<String> unpaced = serve.stream(lorem("\"tokensPerSecond\": 0"), true);
            assertThat(unpaced.statusCode()).isEqualTo(400);
            assertThat(unpaced.body())
                    .contains("simulated option 'tokensPerSecond' must be more than 0 and at most 1000");
            HttpResponse<String> ok = serve.stream(lorem("\"length\": 100, \"tokensPerSecond\": 1000"), true);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).endsWith("data: [DONE]\n\n");
        }
        // without keys (a loopback development gateway) nothing is capped
        try (Serve serve = new Serve("{}", Map.of())) {
            HttpResponse<String> r = serve.stream(lorem("\"length\": 5000, \"tokensPerSecond\": 0"), false);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).endsWith("data: [DONE]\n\n");
        }
    }

    @Test
    void allowedHostsFromTheConfigFileAreTheOnlyOtherHostsServed() throws Exception {
        try (Serve serve =
                new Serve("{\"allowedHosts\": [\"gateway.example.com\"]}", Map.of("AISTREAM_API_KEYS", KEY))) {
            assertThat(statusLine(serve.server.port(), "gateway.example.com")).contains(" 200 ");
            assertThat(statusLine(serve.server.port(), "rebind.attacker.example"))
                    .contains(" 421 ");
            assertThat(statusLine(serve.server.port(), "localhost")).contains(" 200 ");
        }
    }

    /** The status line of {@code GET /health} with this {@code Host}. */
    private static String statusLine(int port, String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return all.lines().findFirst().orElse("");
        }
    }
}
