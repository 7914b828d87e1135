package io.aistream.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every cause the gateway aborts a stream with is pre-registered on /metrics (a new one cannot be forgotten). */
class AbortCausesTest {
    private static final Pattern ABORT = Pattern.compile("\\.abort\\(\"([a-z_]+)\"\\)");

    @Test
    void everyAbortCauseInTheSourcesIsRegistered() throws IOException {
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = ABORT.matcher(Files.readString(f));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).contains("client_abort", "delete");
        assertThat(GatewayMetrics.ABORT_CAUSES).containsAll(used);
    }
}
