package io.aistream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The CLI's tests run without aistream-bench, as {@code java -jar aistream.jar} does. */
class BenchWithoutTheBenchModuleTest {

    @Test
    void everyBenchCommandLineSaysInOneLineHowToBuildTheModule() {
        String[][] cases = {
            {"bench"},
            {"bench", "run", "--target", "http://127.0.0.1:1", "--streams", "3"},
            {"bench", "upstream", "--port", "0"},
            {"bench", "chart", "--in", "r.json", "--out", "c.png"},
        };
        for (String[] args : cases) {
            CliRun r = CliRun.run("", args);

            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(r.err())
                    .as(String.join(" ", args))
                    .isEqualTo(BenchCommand.NOT_BUILT + "\n")
                    .contains("mvn -pl aistream-bench -am package");
            assertThat(r.out()).as(String.join(" ", args)).isEmpty();
        }
    }

    @Test
    void helpSaysTheBenchmarksAreNotAvailableAndHowToBuildThem() {
        CliRun r = CliRun.run("", "bench", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains("Not available: the aistream-bench module is not on the class path")
                .contains("mvn -pl aistream-bench -am package");
    }

    @Test
    void theTopLevelHelpStillListsBench() {
        CliRun r = CliRun.run("", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("bench");
    }
}
