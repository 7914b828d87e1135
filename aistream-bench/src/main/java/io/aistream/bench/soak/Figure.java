package io.aistream.bench.soak;

import java.util.function.ToDoubleFunction;

/**
 * The figures a soak charts and checks, with how each is read from a {@link Sample}, its unit's
 * divisor for display and which chart panel it belongs to.
 */
enum Figure {
    HEAP("heap used", "MiB", 1 << 20, 0, Sample::heapBytes),
    RSS("RSS", "MiB", 1 << 20, 0, Sample::rssBytes),
    LIVE_THREADS("live platform threads", "", 1, 1, Sample::liveThreads),
    OS_THREADS("OS threads", "", 1, 1, Sample::osThreads),
    OPEN_FDS("open fds", "", 1, 2, Sample::openFds),
    ACTIVE_STREAMS("active streams", "", 1, 3, Sample::activeStreams),
    RETAINED_RESUME("retained: resume", "MiB", 1 << 20, 4, Sample::retainedResume),
    RETAINED_READ_AHEAD("retained: read-ahead", "MiB", 1 << 20, 4, Sample::retainedReadAhead),
    RETAINED_WEBSOCKET("retained: websocket", "MiB", 1 << 20, 4, Sample::retainedWebSocket),
    REFUSED("refused streams (total)", "", 1, 5, Sample::refused);

    /** Panel titles, by {@link #panel}. */
    static final String[] PANELS = {
        "memory (MiB)", "threads", "open file descriptors", "active streams", "retained bytes (MiB)", "refused streams"
    };

    final String label;
    final String unit;
    final double divisor;
    final int panel;
    private final ToDoubleFunction<Sample> read;

    Figure(String label, String unit, double divisor, int panel, ToDoubleFunction<Sample> read) {
        this.label = label;
        this.unit = unit;
        this.divisor = divisor;
        this.panel = panel;
        this.read = read;
    }

    /** The raw value (bytes or a count) in {@code s}; NaN when unknown. */
    double of(Sample s) {
        return read.applyAsDouble(s);
    }

    /** The value in display units (MiB for bytes). */
    double display(Sample s) {
        return of(s) / divisor;
    }
}
