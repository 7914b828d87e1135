/**
 * The {@code aistream} command line. Modules outside the shipped jar (the benchmarks) add subcommands
 * through {@link io.aistream.cli.spi.SubcommandProvider}.
 */
module io.aistream.cli {
    requires io.aistream.core;
    requires io.aistream.providers;
    requires io.aistream.server;
    requires info.picocli;
    requires jdk.management;

    exports io.aistream.cli.spi;

    opens io.aistream.cli to
            info.picocli;

    uses io.aistream.cli.spi.SubcommandProvider;
}
