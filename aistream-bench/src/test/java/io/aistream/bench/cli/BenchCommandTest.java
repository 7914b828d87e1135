package io.aistream.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.bench.upstream.FakeUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void runWritesATableAndJsonAndChartDrawsIt(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("r.json");
        try (FakeUpstream up = FakeUpstream.start()) {
            CliRun r = CliRun.run(
                    "",
                    "bench",
                    "run",
                    "--target",
                    up.baseUrl() + "/v1",
                    "--streams",
                    "20",
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
                    .contains("20 started, 20 completed, 0 errors, 0 truncated")
                    .contains("added per chunk")
                    .contains("load generator");
        }
        assertThat(Files.readString(json)).contains("\"received\" : 200");

        Path png = dir.resolve("chart.png");
        CliRun c = CliRun.run("", "bench", "chart", "--in", json.toString(), "--out", png.toString());

        assertThat(c.exitCode()).isZero();
        assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void strictExitsOneWhenStreamsFail() {
        try (FakeUpstream up = FakeUpstream.start(FakeUpstream.Options.standard())) {
            CliRun r = CliRun.run(
                    "",
                    "bench",
                    "run",
                    "--target",
                    up.baseUrl(),
                    "--streams",
                    "2",
                    "--rate",
                    "0",
                    "--tokens",
                    "5",
                    "--fault",
                    "500",
                    "--quiet",
                    "--strict");

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.out()).contains("2 errors").contains("http_500");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void upstreamPrintsItsUrlAndStopsAfterFor() {
        CliRun r = CliRun.run("", "bench", "upstream", "--port", "0", "--for", "50ms", "--default-rate", "5");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).matches("http://127\\.0\\.0\\.1:\\d+\\n");
        assertThat(r.err()).contains("rate=5.0");
    }

    @Test
    void badFlagsExitTwoWithAClearMessage() {
        String[][] cases = {
            {"bench", "run", "--target", "http://127.0.0.1:1", "--protocol", "grpc"},
            {"bench", "run", "--target", "http://127.0.0.1:1", "--streams", "0"},
            {"bench", "run", "--target", "http://127.0.0.1:1", "--streams", "many"},
            {"bench", "run", "--target", "https://example.com"},
            {"bench", "run", "--target", "http://127.0.0.1:1", "--duration", "soon"},
            {"bench", "run", "--target", "http://127.0.0.1:1", "--rate", "-1"},
            {"bench", "run", "--target", "http://127.0.0.1:1", "--fault", "explode"},
            {"bench", "run", "--target", "http://127.0.0.1:1", "--backpressure", "maybe"},
            {"bench", "run", "--target", "http://127.0.0.1:1", "--pid", "-4"},
            {"bench", "run", "--streams", "3"},
            {"bench", "run", "--target", "http://127.0.0.1:1", "--bogus"},
            {"bench", "upstream", "--port", "70000"},
            {"bench", "upstream", "--default-fault", "cut@"},
            {"bench", "upstream", "--for", "x"},
            {"bench", "chart", "--out", "x.png"},
            {"bench"},
        };
        String[] expected = {
            "grpc",
            "--streams",
            "many",
            "https",
            "--duration",
            "--rate",
            "explode",
            "--backpressure",
            "--pid",
            "--target",
            "--bogus",
            "port",
            "cut@",
            "--for",
            "--in",
            "bench"
        };
        for (int i = 0; i < cases.length; i++) {
            CliRun r = CliRun.run("", cases[i]);

            assertThat(r.exitCode()).as(String.join(" ", cases[i])).isEqualTo(2);
            assertThat(r.err())
                    .as(String.join(" ", cases[i]))
                    .contains(expected[i])
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void aMissingProcessIsABadPid() {
        CliRun r = CliRun.run("", "bench", "run", "--target", "http://127.0.0.1:1", "--pid", "999999999");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--pid 999999999: no such process");
    }

    @Test
    void chartRejectsAFileThatIsNotAReport(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"hello\":1}");

        CliRun r = CliRun.run(
                "",
                "bench",
                "chart",
                "--in",
                bad.toString(),
                "--out",
                dir.resolve("c.png").toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("is not a 'bench run --json' report");
    }

    @Test
    void withThisModuleOnTheClassPathBenchHelpListsItsSubcommands() {
        CliRun r = CliRun.run("", "bench", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains("upstream")
                .contains("run")
                .contains("chart")
                .doesNotContain("Not available");
    }

    @Test
    void durationsAcceptUnitsAndPlainSeconds() {
        assertThat(Durations.parse("--x", "500ms").toMillis()).isEqualTo(500);
        assertThat(Durations.parse("--x", "1.5").toMillis()).isEqualTo(1500);
        assertThat(Durations.parse("--x", "2m").toSeconds()).isEqualTo(120);
        assertThat(Durations.parse("--x", "PT3S").toSeconds()).isEqualTo(3);
    }
}
