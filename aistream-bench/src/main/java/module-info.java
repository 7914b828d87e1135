/**
 * aistream's benchmarks: JMH benchmarks of the hot paths (run from the shaded benchmarks.jar), a
 * fake streaming upstream, a streaming load generator and its chart (see BENCHMARKS.md and bench/README.md),
 * and the {@code aistream bench} subcommands that run them. The CLI does not depend on this module: it
 * finds the subcommands through its {@code SubcommandProvider} service when this module is on the class
 * path, so JMH stays out of the shipped {@code aistream.jar}.
 */
open module io.aistream.bench {
    requires io.aistream.core;
    requires io.aistream.providers;
    requires io.aistream.cli;
    requires info.picocli;
    requires software.amazon.awssdk.eventstream;
    requires jmh.core;
    requires java.net.http;
    requires java.desktop;

    exports io.aistream.bench.upstream;
    exports io.aistream.bench.load;
    exports io.aistream.bench.metrics;
    exports io.aistream.bench.chart;

    provides io.aistream.cli.spi.SubcommandProvider with
            io.aistream.bench.cli.BenchSubcommands;
}
