/** The {@code aistream} command line. */
module io.aistream.cli {
    requires io.aistream.core;
    requires io.aistream.providers;
    requires io.aistream.server;
    requires io.aistream.bench;
    requires info.picocli;

    opens io.aistream.cli to info.picocli;
}
