package io.aistream.bench.cli;

import io.aistream.cli.spi.SubcommandProvider;
import java.util.List;

/**
 * Adds {@code bench upstream}, {@code bench run}, {@code bench chart} and {@code bench soak} to the {@code aistream} command
 * when this module is on its class path (found by {@link java.util.ServiceLoader}). Stateless.
 */
public final class BenchSubcommands implements SubcommandProvider {
    /** For {@link java.util.ServiceLoader}. */
    public BenchSubcommands() {}

    @Override
    public String parent() {
        return "bench";
    }

    @Override
    public List<Object> subcommands() {
        return List.of(
                new BenchUpstreamCommand(), new BenchRunCommand(), new BenchChartCommand(), new BenchSoakCommand());
    }
}
