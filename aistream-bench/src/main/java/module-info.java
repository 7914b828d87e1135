/** JMH benchmarks of aistream's hot paths; run from the shaded benchmarks.jar (see BENCHMARKS.md). */
open module io.aistream.bench {
    requires io.aistream.core;
    requires io.aistream.providers;
    requires software.amazon.awssdk.eventstream;
    requires jmh.core;
}
