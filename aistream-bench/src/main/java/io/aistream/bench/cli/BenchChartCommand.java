package io.aistream.bench.cli;

import io.aistream.bench.chart.LatencyChart;
import io.aistream.bench.load.LoadReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aistream bench chart}: added latency percentiles vs concurrent streams, as a PNG. */
@Command(
        name = "chart",
        mixinStandardHelpOptions = true,
        description = {
            "Draws added latency per chunk (p50, p90, p99, max; log scale) against concurrent streams from",
            "'bench run --json' reports into a PNG. Reports with the same protocol, target, rate and reader mode",
            "form one series."
        })
final class BenchChartCommand extends BenchCommand {
    BenchChartCommand() {
        super("chart");
    }

    @Option(names = "--in", paramLabel = "FILE", arity = "1..*", required = true, description = "Report JSON files.")
    List<Path> in;

    @Option(names = "--out", paramLabel = "PNG", required = true, description = "The PNG to write.")
    Path out;

    @Option(names = "--title", paramLabel = "TEXT", description = "Chart title (default ${DEFAULT-VALUE}).")
    String title = "Added latency per chunk vs concurrent streams";

    @Override
    public Integer call() {
        List<LoadReport> reports = new ArrayList<>();
        for (Path p : in) {
            try {
                reports.add(LoadReport.fromJson(Files.readString(p)));
            } catch (IOException e) {
                return badInput("cannot read " + p + ": " + e.getMessage());
            } catch (RuntimeException e) {
                return badInput(p + " is not a 'bench run --json' report: " + firstLine(e.getMessage()));
            }
        }
        System.setProperty("java.awt.headless", "true");
        try {
            LatencyChart.write(reports, title, out);
        } catch (IOException e) {
            return fail(1, "cannot write " + out + ": " + e.getMessage());
        }
        out().println("wrote " + out + " (" + reports.size() + " reports)");
        return 0;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
