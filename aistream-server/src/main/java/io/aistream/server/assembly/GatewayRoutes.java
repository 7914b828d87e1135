package io.aistream.server.assembly;

import io.aistream.server.aisdk.UiChatEndpoints;
import io.aistream.server.anthropic.MessagesEndpoint;
import io.aistream.server.cluster.RedisStreamCluster;
import io.aistream.server.config.ClusterConfig;
import io.aistream.server.config.MemoryConfig;
import io.aistream.server.config.ServerConfig;
import io.aistream.server.http.ApiKeys;
import io.aistream.server.http.Cors;
import io.aistream.server.http.Dispatcher;
import io.aistream.server.http.HostCheck;
import io.aistream.server.http.Route;
import io.aistream.server.http.Routes;
import io.aistream.server.memory.MemoryBudget;
import io.aistream.server.metrics.GatewayMetrics;
import io.aistream.server.nativeapi.StreamEndpoints;
import io.aistream.server.openai.OpenAiEndpoint;
import io.aistream.server.openai.ResponsesEndpoint;
import io.aistream.server.ops.InfoEndpoints;
import io.aistream.server.resume.ResumeStore;
import io.aistream.server.streams.StreamCluster;
import io.aistream.server.streams.StreamLimits;
import io.aistream.server.streams.StreamService;
import io.aistream.server.ws.WsEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the gateway serves, HTTP-neutral: builds the stream service (with the configured resume
 * store, limits and metrics), every protocol's {@link Routes}, the one {@link ApiKeys} and the
 * {@link Dispatcher} over them, from a {@link ServerConfig}. A binding (the Jetty server of
 * {@link io.aistream.server.AistreamServer}, or a Servlet/WebFlux host) feeds its exchanges to
 * {@link #dispatcher()}, applies the WebSocket idle timeout ({@link #webSocketIdleTimeout()}) to its
 * sockets and hands them text in pieces (the sockets bound message sizes themselves), and stops the gateway with
 * {@link #drain} then {@link #close}.
 *
 * <p>Thread-safe. {@link #close()} closes the resume store (and drops the kept Responses API responses); the
 * caller owns this object.
 */
public final class GatewayRoutes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayRoutes.class);

    /** How long a drain waits for the WebSocket clients to answer the server's close. */
    public static final Duration WEBSOCKET_CLOSE_WAIT = Duration.ofSeconds(2);

    private final ServerConfig config;
    private final ResumeStore store;
    private final StreamCluster cluster;
    private final MemoryBudget budget;
    private final StreamService streams;
    private final Dispatcher dispatcher;
    private final WsEndpoint webSockets;
    private final ResponsesEndpoint responses;

    /**
     * The endpoint groups a host can mount: {@code native} ({@code /v1/stream}, {@code /v1/streams/{id}}),
     * {@code openai} (Chat Completions and models), {@code responses} (OpenAI Responses),
     * {@code anthropic} (Messages), {@code aisdk} (the UI message stream), {@code ws} ({@code /v1/ws}),
     * {@code info} ({@code /health}, {@code /metrics}).
     */
    public static final List<String> ENDPOINT_GROUPS =
            List.of("native", "openai", "responses", "anthropic", "aisdk", "ws", "info");

    private GatewayRoutes(Builder options) {
        ServerConfig config = options.config;
        this.config = config;
        GatewayMetrics metrics = options.meterRegistry == null
                ? new GatewayMetrics(config.providers().keySet())
                : new GatewayMetrics(config.providers().keySet(), options.meterRegistry, false);

        long budgetBytes = config.memory().resolveBudget(Runtime.getRuntime().maxMemory());
        this.budget = new MemoryBudget(
                budgetBytes, config.memory().resolvePerKey(budgetBytes, config.authenticationRequired()));
        metrics.memory(budget);
        if (config.cluster().isPresent()) {
            RedisStreamCluster redis = RedisStreamCluster.connect(
                    config.cluster().get(), config.resumeMaxChunks(), config.resumeMaxBytes(), config.resumeTtl());
            this.cluster = redis;
            this.store = redis.resumeStore();
        } else {
            this.cluster = StreamCluster.single(ClusterConfig.defaultNodeId());
            this.store = config.resumeStore()
                    .orElseGet(() -> ResumeStore.inMemory(
                            config.resumeMaxChunks(),
                            config.resumeMaxBytes(),
                            config.resumeTtl(),
                            config.timeSource(),
                            budget));
        }
        // logged once Redis answered: a node that cannot reach it says that one thing and exits
        LOG.info(
                "memory budget: {} MiB for stream buffers ({}), {} MiB per key; resumable streams are refused"
                        + " above {}%, all new streams above {}%",
                budgetBytes >> 20,
                config.memory().budgetBytes() > 0
                        ? "configured"
                        : Math.round(MemoryConfig.DEFAULT_HEAP_SHARE * 100) + " % of the "
                                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB maximum heap",
                budget.perKeyLimit() >> 20,
                MemoryBudget.RESUMABLE_SHARE_PERCENT,
                MemoryBudget.STREAM_SHARE_PERCENT);
        this.streams = new StreamService(
                config.providers(),
                store,
                new StreamLimits(config.maxStreamsPerKey(), config.maxStreams()),
                budget,
                metrics,
                config.timeSource(),
                cluster);
        this.webSockets = new WsEndpoint(streams, metrics, config.webSocket());
        this.responses = new ResponsesEndpoint(
                streams,
                config.maxBodyBytes(),
                config.keepAliveInterval(),
                config.storedResponses(),
                config.authenticationRequired());
        Map<String, Routes> protocols = new LinkedHashMap<>();
        protocols.put(
                "native",
                new StreamEndpoints(
                        streams, metrics, config.maxBodyBytes(), config.retryMillis(), config.keepAliveInterval()));
        protocols.put("openai", new OpenAiEndpoint(streams, config.maxBodyBytes(), config.keepAliveInterval()));
        protocols.put("responses", responses);
        protocols.put("anthropic", new MessagesEndpoint(streams, config.maxBodyBytes(), config.keepAliveInterval()));
        protocols.put("ws", webSockets);
        protocols.put("info", new InfoEndpoints(streams, metrics));
        protocols.put(
                "aisdk", new UiChatEndpoints(streams, metrics, config.maxBodyBytes(), config.keepAliveInterval()));
        List<Route> routes = new ArrayList<>();
        protocols.forEach((group, p) -> {
            if (options.endpoints.contains(group)) {
                routes.addAll(p.routes());
            }
        });
        HostCheck hosts = new HostCheck(config.allowedHosts(), config.authenticationRequired());
        Dispatcher all =
                new Dispatcher(routes, new ApiKeys(config.apiKeys()), new Cors(config.corsOrigins(), hosts), hosts);
        this.dispatcher = options.hostApplication ? all.behindHostApplication() : all;
    }

    /**
     * Builds the gateway's routes and services, every endpoint group; nothing runs until a binding
     * dispatches to it. With a {@link ServerConfig#cluster()}, connects to its Redis first.
     *
     * @throws io.aistream.server.resume.StoreUnavailableException when the cluster's Redis cannot be reached
     */
    public static GatewayRoutes create(ServerConfig config) {
        return builder(config).build();
    }

    /** A builder for a gateway mounted in a host application (some endpoint groups, the host's meter registry). */
    public static Builder builder(ServerConfig config) {
        return new Builder(config);
    }

    /** Options of a {@link GatewayRoutes}; not thread-safe. */
    public static final class Builder {
        private final ServerConfig config;
        private Set<String> endpoints = Set.copyOf(ENDPOINT_GROUPS);
        private MeterRegistry meterRegistry;
        private boolean hostApplication;

        private Builder(ServerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * The endpoint groups to serve (of {@link #ENDPOINT_GROUPS}); all by default.
         *
         * @throws IllegalArgumentException naming an unknown group and the known ones
         */
        public Builder endpoints(Collection<String> groups) {
            for (String g : groups) {
                if (!ENDPOINT_GROUPS.contains(g)) {
                    throw new IllegalArgumentException(
                            "unknown endpoint group '" + g + "' (known: " + String.join(", ", ENDPOINT_GROUPS) + ")");
                }
            }
            this.endpoints = Set.copyOf(groups);
            return this;
        }

        /**
         * Registers the gateway's meters in the host's registry (same names; no JVM meters, the host has
         * its own) instead of a Prometheus registry of the gateway's own.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * The host application owns the front door: no host check and no CORS here (see
         * {@link Dispatcher#behindHostApplication()}).
         */
        public Builder behindHostApplication() {
            this.hostApplication = true;
            return this;
        }

        /**
         * Builds it; with a {@link ServerConfig#cluster()}, connects to its Redis first.
         *
         * @throws io.aistream.server.resume.StoreUnavailableException when the cluster's Redis cannot be reached
         */
        public GatewayRoutes build() {
            return new GatewayRoutes(this);
        }
    }

    /** The one dispatcher every exchange goes through. */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** The configuration the gateway runs with. */
    public ServerConfig config() {
        return config;
    }

    /** The resume store streams are kept in (the cluster's Redis store on a node of a cluster). */
    public ResumeStore resumeStore() {
        return store;
    }

    /** The memory budget of everything the gateway retains per stream. */
    public MemoryBudget memoryBudget() {
        return budget;
    }

    /** Streams running now. */
    public int activeStreams() {
        return streams.activeStreams();
    }

    /** How long a WebSocket may stay silent before the binding drops it. */
    public Duration webSocketIdleTimeout() {
        return WsEndpoint.idleTimeout(config.webSocket());
    }

    /**
     * The graceful part of a stop: refuses new streams, lets running ones finish until the deadline,
     * then aborts the rest (their listeners get done(aborted) and [DONE]) and waits briefly for those
     * answers to be written. Then every WebSocket gets, after its queued messages (those done chunks),
     * a close frame 1001 (Going Away), and the drain waits (at most {@link #WEBSOCKET_CLOSE_WAIT})
     * for the sockets to close, so that the binding's stop does not cut them with 1006.
     *
     * @return how many streams had to be aborted
     */
    public int drain(Duration deadline) throws InterruptedException {
        int aborted = streams.drain(deadline);
        webSockets.goAway(WEBSOCKET_CLOSE_WAIT);
        return aborted;
    }

    /** Aborts whatever still runs (last resort of a stop). */
    public void abortAll() {
        streams.abortAll();
    }

    /** This node's id ({@link ClusterConfig#nodeId()}, or a generated one for a node on its own). */
    public String nodeId() {
        return cluster.nodeId();
    }

    /** Closes the resume store and the cluster's connections, and forgets the kept Responses API responses. */
    @Override
    public void close() {
        try {
            store.close();
            responses.close();
        } finally {
            cluster.close();
        }
    }
}
