package io.aistream.cli;

import io.aistream.provider.registry.ProviderRegistry;
import io.aistream.provider.spi.InvalidConfigException;
import io.aistream.server.AistreamServer;
import io.aistream.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code aistream serve}: runs the gateway until SIGTERM or Ctrl-C, then stops gracefully (running
 * streams may finish for the grace period, the rest end with done/aborted).
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the aistream gateway: POST /v1/stream (native SSE), GET/DELETE /v1/streams/{id} (resume, abort),",
            "GET /health, GET /metrics, and the demo page at /. Serves the built-in 'simulated' provider (models echo,",
            "lorem, reasoning, tools).",
            "Without API keys (AISTREAM_API_KEYS or the config file) it listens on loopback only and answers",
            "only to loopback Host names (localhost, 127.0.0.1, [::1]). With keys (16+ characters each) the",
            "simulated provider is capped per request (config: simulated.maxLength, maxTokensPerSecond).",
            "Stops gracefully on SIGTERM / Ctrl-C."
        })
final class ServeCommand implements Callable<Integer>, Main.TerminalAware {
    /** For tests: called with the running server once it listens. */
    static volatile Consumer<AistreamServer> onStarted = server -> {};
    /** For tests: the environment. */
    static volatile Map<String, String> environment = System.getenv();

    @Option(names = "--host", paramLabel = "HOST", description = "Interface to listen on (default 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default 8080; 0 = any free port).")
    Integer port;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "JSON settings: keys, CORS origins, limits, keep-alive (see README).")
    Path config;

    private Main.Terminal terminal;

    @Override
    public void terminal(Main.Terminal t) {
        this.terminal = t;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        ServeSettings settings;
        try {
            settings = ServeSettings.load(
                    Optional.ofNullable(config), Optional.ofNullable(host), Optional.ofNullable(port), environment);
        } catch (ServeSettings.BadSettings e) {
            terminal.err().println("aistream serve: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        ServerConfig.Builder builder = settings.config();
        ProviderRegistry registry;
        ServerConfig serverConfig;
        try {
            // a gateway with keys serves strangers: cap what one request may ask of the simulated provider
            boolean keysRequired = builder.build().authenticationRequired();
            ProviderRegistry.Builder providers = ProviderRegistry.builder()
                    .environment(environment)
                    .simulatedTokensPerSecond(settings.simulatedPace())
                    .simulatedCapped(keysRequired);
            settings.file().ifPresent(root -> providers.config(root, ServeSettings.SERVER_KEYS));
            registry = providers.build();
            builder.providers(registry.asProviders());
            serverConfig = builder.build();
        } catch (IllegalArgumentException | InvalidConfigException e) {
            terminal.err().println("aistream serve: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        OutOfMemoryExit.install(terminal.err());
        AistreamServer server;
        try {
            server = AistreamServer.start(serverConfig);
        } catch (IOException e) {
            terminal.err()
                    .println("aistream serve: cannot listen on " + serverConfig.host() + ":" + serverConfig.port()
                            + ": " + e.getMessage());
            return 1;
        }
        Thread hook = new Thread(
                () -> {
                    terminal.out()
                            .println("aistream: stopping (running streams get up to "
                                    + settings.shutdownGrace().toSeconds() + " s)");
                    server.stop(settings.shutdownGrace());
                },
                "aistream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        var out = terminal.out();
        out.println("aistream gateway listening on " + server.uri());
        for (String name : registry.providerNames()) {
            List<String> models = registry.provider(name).orElseThrow().models();
            out.println("provider: " + name + (models.isEmpty() ? "" : " (models: " + String.join(", ", models) + ")"));
        }
        registry.aliases().forEach((alias, target) -> out.println("alias: " + alias + " -> " + target));
        registry.chains().forEach((chain, targets) -> out.println("chain: " + chain + " -> " + targets));
        out.println(
                server.authenticationRequired()
                        ? "auth: bearer API key required"
                        : "auth: none — listening on loopback only (set AISTREAM_API_KEYS to require keys and listen elsewhere)");
        if (registry.provider("simulated").isPresent()) {
            out.println(
                    "try: curl -N -X POST " + server.uri() + "v1/stream -H 'content-type: application/json' "
                            + "-d '{\"provider\":\"simulated\",\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'");
        }
        out.println("demo: open " + server.uri() + " in a browser");
        out.flush();
        onStarted.accept(server);
        server.join();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook stopped the server
        }
        return 0;
    }
}
