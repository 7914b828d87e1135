package io.aistream.bench.cli;

import io.aistream.bench.soak.SoakRun;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code aistream bench soak}: minutes of mixed traffic against a running gateway, its memory,
 * threads and descriptors sampled and charted, and a check that every figure came back to its
 * baseline. Exit 0 when all did, 1 when one did not, 2 for bad arguments.
 */
@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        description = {
            "Runs mixed traffic (paced OpenAI and native streams, client aborts, slow readers under each",
            "backpressure strategy, WebSocket streams, resumable streams resumed and abandoned, periodic floods of",
            "resumable streams hung up after the headers) against a gateway whose 'bench' provider is the fake",
            "upstream, samples heap, RSS, threads, fds, active streams, retained bytes and refusals, and checks",
            "that after the traffic every figure is back at its baseline. Writes samples.csv, soak.svg and",
            "summary.txt into --out. bench/soak.sh starts the gateway and the upstream for it."
        })
final class BenchSoakCommand extends BenchCommand {
    BenchSoakCommand() {
        super("soak");
    }

    @Option(names = "--target", required = true, paramLabel = "URL", description = "The gateway's base URL.")
    String target;

    @Option(names = "--upstream", required = true, paramLabel = "URL", description = "The fake upstream's base URL.")
    String upstream;

    @Option(names = "--pid", required = true, paramLabel = "PID", description = "The gateway's process id.")
    long pid;

    @Option(names = "--duration", paramLabel = "D", description = "Mixed traffic (default ${DEFAULT-VALUE}).")
    String duration = "600s";

    @Option(names = "--sample", paramLabel = "D", description = "Sampling interval (default ${DEFAULT-VALUE}).")
    String sample = "10s";

    @Option(names = "--warmup", paramLabel = "D", description = "Warm-up traffic (default ${DEFAULT-VALUE}).")
    String warmup = "20s";

    @Option(
            names = "--drain",
            paramLabel = "D",
            description = "Longest wait for streams to end and retained bytes to drain (default ${DEFAULT-VALUE}).")
    String drain = "60s";

    @Option(
            names = "--flood-every",
            paramLabel = "D",
            description = "Interval between floods (default ${DEFAULT-VALUE}).")
    String floodEvery = "60s";

    @Option(names = "--flood-size", paramLabel = "N", description = "Streams per flood (default ${DEFAULT-VALUE}).")
    int floodSize = 200;

    @Option(
            names = "--scale",
            paramLabel = "X",
            description = "Multiplies every stream count (default ${DEFAULT-VALUE}).")
    double scale = 1.0;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The results folder.")
    Path out;

    @Override
    public Integer call() {
        SoakRun run;
        try {
            run = new SoakRun(
                    url("--target", target),
                    url("--upstream", upstream),
                    pid,
                    Durations.parse("--duration", duration),
                    positive("--sample", Durations.parse("--sample", sample)),
                    Durations.parse("--warmup", warmup),
                    Durations.parse("--drain", drain),
                    positive("--flood-every", Durations.parse("--flood-every", floodEvery)),
                    floodSize,
                    scale,
                    out);
            if (floodSize < 1) {
                throw new IllegalArgumentException("--flood-size must be at least 1, not " + floodSize);
            }
            if (!(scale > 0) || scale > 100) {
                throw new IllegalArgumentException("--scale must be in (0, 100], not " + scale);
            }
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw new IllegalArgumentException("--pid " + pid + ": no such process");
            }
        } catch (IllegalArgumentException e) {
            return badInput(e.getMessage());
        }
        try {
            SoakRun.Outcome outcome = run.run(System.out);
            Files.write(out.resolve("summary.txt"), outcome.lines(), StandardCharsets.UTF_8);
            outcome.lines().forEach(out()::println);
            out().println("chart: " + out.resolve("soak.svg") + "; samples: " + out.resolve("samples.csv"));
            out().flush();
            return outcome.pass() ? 0 : 1;
        } catch (IOException e) {
            return fail(1, "cannot write into " + out + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(1, "interrupted");
        }
    }

    private static URI url(String option, String text) {
        try {
            URI u = new URI(text);
            if (u.getHost() == null || !"http".equals(u.getScheme())) {
                throw new IllegalArgumentException(option + " must be an http://host:port URL, not '" + text + "'");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(option + " is not a URL: " + text);
        }
    }

    private static Duration positive(String option, Duration d) {
        if (d.isZero()) {
            throw new IllegalArgumentException(option + " must be longer than 0");
        }
        return d;
    }
}
