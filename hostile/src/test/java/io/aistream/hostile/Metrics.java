package io.aistream.hostile;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** One scrape of the gateway's {@code /metrics}: series (name with labels, as written) → value. */
record Metrics(Map<String, Double> series) {
    static Metrics scrape(int port) throws IOException {
        Raw.Response r = Raw.get(port, "/metrics", Map.of(), Duration.ofSeconds(10));
        if (r.status() != 200) {
            throw new IOException("/metrics answered " + r.status());
        }
        Map<String, Double> series = new LinkedHashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return new Metrics(series);
    }

    /** One series' value, 0 if absent. */
    double get(String nameWithLabels) {
        return series.getOrDefault(nameWithLabels, 0.0);
    }

    /** The sum of every series whose name (with labels) starts with {@code prefix}. */
    double sum(String prefix) {
        return series.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    /** Heap in use now, bytes. */
    double heapUsed() {
        return sum("jvm_memory_used_bytes{area=\"heap\"");
    }

    /** Bytes the gateway's memory budget counts now. */
    double retained() {
        return sum("aistream_memory_retained_bytes{");
    }
}
