/**
 * aistream's benchmarks: JMH benchmarks of the hot paths (run from the shaded benchmarks.jar), a
 * fake streaming upstream, a streaming load generator and its chart (see BENCHMARKS.md and bench/README.md).
 */
open module io.aistream.bench {
    requires io.aistream.core;
    requires io.aistream.providers;
    requires software.amazon.awssdk.eventstream;
    requires jmh.core;
    requires java.net.http;
    requires java.desktop;

    exports io.aistream.bench.upstream;
    exports io.aistream.bench.load;
    exports io.aistream.bench.metrics;
    exports io.aistream.bench.chart;
}
