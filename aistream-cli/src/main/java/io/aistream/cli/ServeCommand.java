package io.aistream.cli;

import io.aistream.provider.registry.ProviderRegistry;
import io.aistream.provider.spi.InvalidConfigException;
import io.aistream.server.AistreamServer;
import io.aistream.server.config.ServerConfig;
import io.aistream.server.config.ServerSettings;
import io.aistream.server.resume.StoreUnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
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
            "Runs the aistream gateway. Endpoints:",
            "  POST /v1/stream                     native SSE stream",
            "  GET|DELETE /v1/streams/{id}         resume (Last-Event-ID) | abort a stream",
            "  GET /v1/ws                          WebSocket: many streams on one connection",
            "  POST /v1/chat/completions           OpenAI Chat Completions (streaming or not)",
            "  POST /v1/responses                  OpenAI Responses",
            "  GET|DELETE /v1/responses/{id}       a kept response: retrieve | delete",
            "  POST /v1/responses/{id}/cancel      stop a background response",
            "  POST /v1/messages                   Anthropic Messages",
            "  POST /v1/messages/count_tokens      Anthropic token count",
            "  GET /v1/models, /v1/models/{id}     the models, in OpenAI's shape",
            "  POST /v1/ui/chat                    Vercel AI SDK UI message stream (useChat)",
            "  GET|DELETE /v1/ui/chat/{id}/stream  resume | stop a useChat stream",
            "  GET /health, GET /metrics           health; Prometheus metrics",
            "  GET /                               the demo page",
            "Serves the built-in 'simulated' provider (models echo, lorem, reasoning, tools).",
            "Without API keys (AISTREAM_API_KEYS or the config file) it listens on loopback only and answers",
            "only to loopback Host names (localhost, 127.0.0.1, [::1]). With keys (16+ characters each) the",
            "simulated provider is capped per request (config: simulated.maxLength, maxTokensPerSecond).",
            "Several nodes share streams through Redis: AISTREAM_REDIS_URL=redis://host:6379/0 (or the config",
            "file's redis.url), each node named by AISTREAM_NODE_ID or nodeId (see README, \"Several nodes\").",
            "Stops gracefully on SIGTERM / Ctrl-C."
        })
final class ServeCommand implements Callable<Integer>, Main.TerminalAware {
    /** For tests: called with the running server once it listens. */
    static volatile Consumer<AistreamServer> onStarted = server -> {};

    private static final String NETTY_LEAK_DETECTION = "io.netty.leakDetection.level";

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

    @Option(
            names = "--cors-origin",
            paramLabel = "ORIGIN",
            description = "An origin browsers may call from, e.g. https://app.example.com (repeatable; wins over "
                    + "AISTREAM_CORS_ORIGINS, comma-separated, which wins over the config file's corsOrigins).")
    List<String> corsOrigins = new ArrayList<>();

    private Main.Terminal terminal;

    @Override
    public void terminal(Main.Terminal t) {
        this.terminal = t;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        ServerSettings settings;
        try {
            settings = ServeSettings.load(
                    Optional.ofNullable(config),
                    Optional.ofNullable(host),
                    Optional.ofNullable(port),
                    corsOrigins,
                    environment);
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
        // serve owns its process: Netty (under the Redis client of a cluster node) need not sample its buffers for
        // leaks, which costs a stack trace per sampled buffer (4 % of a node's CPU under load); -D overrides it
        if (System.getProperty(NETTY_LEAK_DETECTION) == null) {
            System.setProperty(NETTY_LEAK_DETECTION, "disabled");
        }
        AistreamServer server;
        try {
            server = AistreamServer.start(serverConfig);
        } catch (StoreUnavailableException e) {
            terminal.err().println("aistream serve: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
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
        URI reachable = reachable(server);
        if (registry.provider("simulated").isPresent()) {
            out.println("try: " + tryCommand(reachable, server.authenticationRequired()));
        }
        out.println("demo: open " + reachable + " in a browser");
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

    /**
     * The gateway's URI as a client on this machine reaches it: a wildcard address ({@code 0.0.0.0},
     * {@code ::}) is no destination, so it becomes the loopback address (which the wildcard covers).
     */
    static URI reachable(AistreamServer server) {
        String host = server.host();
        boolean wildcard;
        try {
            wildcard = InetAddress.getByName(host).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            wildcard = false;
        }
        return wildcard ? URI.create("http://127.0.0.1:" + server.port() + "/") : server.uri();
    }

    /**
     * The {@code curl} line printed at start: streams from the simulated echo model; with keys it sends
     * a placeholder for the key ({@code $AISTREAM_API_KEY}, for the user to set), never a key itself.
     */
    static String tryCommand(URI base, boolean keysRequired) {
        return "curl -N -X POST " + base + "v1/stream -H 'content-type: application/json' "
                + (keysRequired ? "-H \"Authorization: Bearer $AISTREAM_API_KEY\" " : "")
                + "-d '{\"provider\":\"simulated\",\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'"
                + (keysRequired ? "   (set AISTREAM_API_KEY to one of your keys first)" : "");
    }
}
