package io.aistream.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchSoakCommandTest {
    private static final String SELF = Long.toString(ProcessHandle.current().pid());

    @Test
    void badArgumentsNameTheOptionAndExit2() {
        String[][] cases = {
            {"--target", "ftp://x", "--upstream", "http://127.0.0.1:1", "--pid", SELF, "--out", "o"},
            {
                "--target",
                "http://127.0.0.1:1",
                "--upstream",
                "http://127.0.0.1:1",
                "--pid",
                SELF,
                "--out",
                "o",
                "--sample",
                "0s"
            },
            {
                "--target",
                "http://127.0.0.1:1",
                "--upstream",
                "http://127.0.0.1:1",
                "--pid",
                SELF,
                "--out",
                "o",
                "--duration",
                "soon"
            },
            {
                "--target",
                "http://127.0.0.1:1",
                "--upstream",
                "http://127.0.0.1:1",
                "--pid",
                SELF,
                "--out",
                "o",
                "--scale",
                "0"
            },
            {"--target", "http://127.0.0.1:1", "--upstream", "http://127.0.0.1:1", "--pid", "999999999", "--out", "o"},
            {"--target", "http://127.0.0.1:1", "--upstream", "http://127.0.0.1:1", "--pid", SELF},
        };
        String[] expected = {
            "--target", "--sample", "--duration", "--scale", "--pid 999999999: no such process", "--out"
        };
        for (int i = 0; i < cases.length; i++) {
            String[] args = new String[cases[i].length + 2];
            args[0] = "bench";
            args[1] = "soak";
            System.arraycopy(cases[i], 0, args, 2, cases[i].length);
            CliRun r = CliRun.run("", args);

            assertThat(r.exitCode()).as(expected[i]).isEqualTo(2);
            assertThat(r.err()).as(expected[i]).contains(expected[i]).doesNotContain("\tat ");
        }
    }

    @Test
    void benchHelpListsSoak() {
        CliRun r = CliRun.run("", "bench", "--help");

        assertThat(r.out()).contains("soak");
    }
}
