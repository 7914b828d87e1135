package io.aistream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.server.AistreamServer;
import io.aistream.server.assembly.GatewayRoutes;
import io.aistream.server.config.ServerConfig;
import io.aistream.server.http.Route;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

@Timeout(60)
class ServeCommandTest {
    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        ServeCommand.onStarted = server -> {};
        ServeCommand.environment = System.getenv();
    }

    @Test
    void unknownConfigKeysAreRejectedWithExit2() throws Exception {
        Path config = dir.resolve("gateway.json");
        Files.writeString(config, "{\"port\": 0, \"limits\": {\"maxBodyByte\": 10}}");
        CliRun run = CliRun.run("", "serve", "--config", config.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("gateway.json: 'limits.maxBodyByte': unknown key; expected one of maxBodyBytes,");

        Files.writeString(config, "{\"prot\": 0}");
        run = CliRun.run("", "serve", "--config", config.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'prot': unknown key");

        Files.writeString(config, "{\"keepAliveSeconds\": \"15\"}");
        run = CliRun.run("", "serve", "--config", config.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'keepAliveSeconds': must be a whole number");

        Files.writeString(config, "{not json");
        run = CliRun.run("", "serve", "--config", config.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("not valid JSON");
    }

    @Test
    void serveStreamsFromTheSimulatedProviderAndStops() throws Exception {
        Path config = dir.resolve("gateway.json");
        Files.writeString(
                config,
                "{\"apiKeys\": [\"from-file-0123456789\"], \"corsOrigins\": [\"https://app.example\"],"
                        + " \"keepAliveSeconds\": 5, \"limits\": {\"maxBodyBytes\": 4096}, \"simulated\": {\"tokensPerSecond\": 1000}}");
        ServeCommand.environment = Map.of("AISTREAM_API_KEYS", "env-key-1-0123456789, env-key-2-0123456789");
        CompletableFuture<AistreamServer> started = new CompletableFuture<>();
        ServeCommand.onStarted = started::complete;
        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(
                () -> CliRun.run("", "serve", "--port", "0", "--config", config.toString()));
        AistreamServer server = started.get(30, TimeUnit.SECONDS);
        try {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(server.uri().resolve("/v1/stream"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer env-key-2-0123456789")
                    .POST(
                            HttpRequest.BodyPublishers.ofString(
                                    "{\"provider\":\"simulated\",\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"))
                    .build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"delta\":\"Hello\"").endsWith("data: [DONE]\n\n");

            HttpResponse<String> withFileKey = client.send(
                    HttpRequest.newBuilder(URI.create(server.uri() + "metrics"))
                            .header("Authorization", "Bearer from-file-0123456789")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(withFileKey.statusCode()).isEqualTo(200);
            HttpResponse<String> noKey = client.send(
                    HttpRequest.newBuilder(URI.create(server.uri() + "metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(noKey.statusCode()).isEqualTo(401);
        } finally {
            server.stop(Duration.ZERO);
        }
        CliRun result = run.get(30, TimeUnit.SECONDS);
        assertThat(result.exitCode()).isEqualTo(0);
        assertThat(result.out())
                .contains("aistream gateway listening on http://127.0.0.1:")
                .contains("provider: simulated (models: echo, lorem, reasoning, tools)")
                .contains("auth: bearer API key required")
                .contains("demo: open http://127.0.0.1:");
    }

    @Test
    void helpListsEveryEndpointOfTheGateway() throws Exception {
        CliRun help = CliRun.run("", "serve", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out())
                .contains("--cors-origin=ORIGIN")
                // being added beside this change; listed so that the help is complete once they are in
                .contains("POST /v1/responses", "POST /v1/messages", "POST /v1/messages/count_tokens");
        try (GatewayRoutes routes = GatewayRoutes.create(ServerConfig.builder()
                .providers(Map.of("simulated", new io.aistream.provider.simulated.SimulatedProvider()))
                .build())) {
            for (Route route : routes.dispatcher().routes()) {
                // one placeholder per route in the help: /v1/models/{provider}/{model} is /v1/models/{id}
                String path = route.pattern().replaceAll("\\{[^}]+}", "{id}").replace("{id}/{id}", "{id}");
                assertThat(help.out())
                        .as(route.method() + " " + route.pattern())
                        .contains(path);
            }
        }
    }

    @Test
    void theTryLineSendsAKeyPlaceholderAndAReachableHost() throws Exception {
        String key = "serve-key-0123456789";
        ServeCommand.environment = Map.of("AISTREAM_API_KEYS", key);
        CompletableFuture<AistreamServer> started = new CompletableFuture<>();
        ServeCommand.onStarted = started::complete;
        CompletableFuture<CliRun> run =
                CompletableFuture.supplyAsync(() -> CliRun.run("", "serve", "--host", "0.0.0.0", "--port", "0"));
        AistreamServer server = started.get(30, TimeUnit.SECONDS);
        int port = server.port();
        server.stop(Duration.ZERO);
        CliRun result = run.get(30, TimeUnit.SECONDS);

        assertThat(result.out())
                .contains("aistream gateway listening on http://0.0.0.0:" + port)
                .contains("try: curl -N -X POST http://127.0.0.1:" + port + "/v1/stream ")
                .contains("-H \"Authorization: Bearer $AISTREAM_API_KEY\"")
                .contains("demo: open http://127.0.0.1:" + port + "/")
                .doesNotContain(key);
        assertThat(ServeCommand.tryCommand(URI.create("http://127.0.0.1:8080/"), false))
                .doesNotContain("Authorization");
    }
}
