package io.aistream.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.bench.upstream.FakeUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class BenchRunCommandTest {
    @TempDir
    Path dir;

    /** Runs {@code bench run ARGS --target <gateway>} through a gateway in front of the fake upstream. */
    private CliRun throughGateway(int maxStreamsPerSocket, String... args) throws Exception {
        try (FakeUpstream up = FakeUpstream.start()) {
            Path config = dir.resolve("gateway.json");
            Files.writeString(
                    config,
                    "{\"providers\":{\"bench\":{\"protocol\":\"openai-chat\",\"preset\":\"vllm\","
                            + "\"baseUrl\":\"" + up.baseUrl() + "/v1\"}},\"webSocket\":{\"maxStreamsPerSocket\":"
                            + maxStreamsPerSocket + "}}");
            try (GatewayProcess gateway = GatewayProcess.start(config, dir.resolve("gateway.err"))) {
                String[] all = new String[args.length + 4];
                System.arraycopy(
                        new String[] {"bench", "run", "--target", gateway.uri().toString()}, 0, all, 0, 4);
                System.arraycopy(args, 0, all, 4, args.length);
                return CliRun.run("", all);
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void throughTheGatewayStreamsShareItsWebSockets() throws Exception {
        CliRun r = throughGateway(
                4,
                "--protocol",
                "ws",
                "--streams",
                "12",
                "--ws-streams-per-socket",
                "4",
                "--rate",
                "100",
                "--tokens",
                "20",
                "--quiet",
                "--strict");

        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains("12 started, 12 completed, 0 errors, 0 truncated")
                .contains("; 3 connections")
                .contains("240 received of 240 expected (0 missing, 0 out of order)");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theOpenAiProtocolThroughTheGatewayCarriesTheParametersInTheModelName() throws Exception {
        // the gateway's OpenAI endpoint refuses unknown top-level fields, as OpenAI does
        CliRun r = throughGateway(
                4,
                "--protocol",
                "openai",
                "--model",
                "bench/m",
                "--model-params",
                "--streams",
                "5",
                "--rate",
                "100",
                "--tokens",
                "20",
                "--quiet",
                "--strict");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains("5 started, 5 completed, 0 errors, 0 truncated")
                .contains("100 received of 100 expected (0 missing, 0 out of order)");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void streamsBeyondTheGatewaysPerSocketLimitAreErrorsAtOnce() throws Exception {
        long t0 = System.nanoTime();
        CliRun r = throughGateway(
                2,
                "--protocol",
                "ws",
                "--streams",
                "4",
                "--ws-streams-per-socket",
                "4",
                "--rate",
                "10",
                "--tokens",
                "20",
                "--ramp",
                "0s",
                "--timeout",
                "30s",
                "--quiet");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains("4 started, 2 completed, 2 errors, 0 truncated")
                .contains("; 1 connections")
                .contains("error_event=2")
                .contains("too_many_streams");
        // refused at once, not after the 30 s read timeout (the two admitted streams take 2 s)
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void wsStreamsPerSocketSharesWebSocketsAndShowsInTheTableAndJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("r.json");
        try (FakeUpstream up = FakeUpstream.start()) {
            CliRun r = CliRun.run(
                    "",
                    "bench",
                    "run",
                    "--target",
                    up.baseUrl(),
                    "--protocol",
                    "ws",
                    "--streams",
                    "10",
                    "--ws-streams-per-socket",
                    "4",
                    "--rate",
                    "100",
                    "--tokens",
                    "10",
                    "--json",
                    json.toString(),
                    "--quiet",
                    "--strict");

            assertThat(r.err()).isEmpty();
            assertThat(r.exitCode()).isZero();
            assertThat(r.out())
                    .contains("10 streams × 100 chunks/s × 10 chunks, 4 streams per WebSocket")
                    .contains("10 started, 10 completed, 0 errors, 0 truncated")
                    .contains("; 3 connections");
        }
        assertThat(Files.readString(json))
                .contains("\"wsStreamsPerSocket\" : 4")
                .contains("\"connections\" : 3")
                .contains("\"received\" : 100");
    }

    @Test
    void badWsStreamsPerSocketExitsTwoNamingTheOption() {
        String[][] cases = {
            {"--protocol", "ws", "--ws-streams-per-socket", "0"},
            {"--protocol", "ws", "--ws-streams-per-socket", "10001"},
            {"--protocol", "ws", "--ws-streams-per-socket", "lots"},
            {"--protocol", "ws", "--ws-streams-per-socket", "2", "--slow-reader"},
            {"--protocol", "native", "--ws-streams-per-socket", "2"},
        };
        String[] expected = {
            "--ws-streams-per-socket must be within 1..10000: 0",
            "--ws-streams-per-socket must be within 1..10000: 10001",
            "--ws-streams-per-socket",
            "--slow-reader cannot share WebSockets",
            "--ws-streams-per-socket 2 needs --protocol ws"
        };
        for (int i = 0; i < cases.length; i++) {
            String[] args = new String[5 + cases[i].length];
            System.arraycopy(new String[] {"bench", "run", "--target", "http://127.0.0.1:1", "--quiet"}, 0, args, 0, 5);
            System.arraycopy(cases[i], 0, args, 5, cases[i].length);

            CliRun r = CliRun.run("", args);

            assertThat(r.exitCode()).as(String.join(" ", cases[i])).isEqualTo(2);
            assertThat(r.err())
                    .as(String.join(" ", cases[i]))
                    .contains(expected[i])
                    .doesNotContain("\tat ");
            assertThat(r.out()).as(String.join(" ", cases[i])).isEmpty();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void resumableStreamsStayInTheGatewaysResumeStore() throws Exception {
        try (FakeUpstream up = FakeUpstream.start()) {
            Path config = dir.resolve("gateway.json");
            Files.writeString(
                    config,
                    "{\"providers\":{\"bench\":{\"protocol\":\"openai-chat\",\"preset\":\"vllm\"," + "\"baseUrl\":\""
                            + up.baseUrl() + "/v1\"}}}");
            try (GatewayProcess gateway = GatewayProcess.start(config, dir.resolve("gateway.err"))) {
                String[] args = {
                    "bench",
                    "run",
                    "--target",
                    gateway.uri().toString(),
                    "--protocol",
                    "native",
                    "--resumable",
                    "--streams",
                    "4",
                    "--rate",
                    "100",
                    "--tokens",
                    "10",
                    "--quiet",
                    "--strict"
                };
                CliRun r = CliRun.run("", args);

                assertThat(r.exitCode()).as(r.err()).isZero();
                assertThat(r.out()).contains("40 received of 40 expected (0 missing, 0 out of order)");
                // finished resumable streams stay in the resume store (for its ttl); others leave nothing
                try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
                    String metrics = http.send(
                                    java.net.http.HttpRequest.newBuilder(
                                                    gateway.uri().resolve("/metrics"))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString())
                            .body();
                    assertThat(metrics).containsPattern("aistream_memory_retained_bytes\\{pool=\"resume\"} [1-9]");
                }
            }
        }
    }

    @Test
    void resumableNeedsANativeOrWsProtocol() {
        CliRun r = CliRun.run("", "bench", "run", "--target", "http://127.0.0.1:1", "--quiet", "--resumable");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err())
                .contains("--resumable needs --protocol native or ws")
                .doesNotContain("\tat ");
    }

    @Test
    void helpDescribesWsStreamsPerSocket() {
        CliRun r = CliRun.run("", "bench", "run", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--ws-streams-per-socket=K").contains("ws: K stream slots share one WebSocket");
    }
}
