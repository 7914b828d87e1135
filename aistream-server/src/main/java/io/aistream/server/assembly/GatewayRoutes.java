package io.aistream.server.assembly;

import io.aistream.server.aisdk.UiChatEndpoints;
import io.aistream.server.config.ServerConfig;
import io.aistream.server.http.ApiKeys;
import io.aistream.server.http.Cors;
import io.aistream.server.http.Dispatcher;
import io.aistream.server.http.HostCheck;
import io.aistream.server.http.Route;
import io.aistream.server.http.Routes;
import io.aistream.server.metrics.GatewayMetrics;
import io.aistream.server.nativeapi.StreamEndpoints;
import io.aistream.server.openai.OpenAiEndpoint;
import io.aistream.server.ops.InfoEndpoints;
import io.aistream.server.resume.ResumeStore;
import io.aistream.server.streams.StreamLimits;
import io.aistream.server.streams.StreamService;
import io.aistream.server.ws.WsEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the gateway serves, HTTP-neutral: builds the stream service (with the configured resume
 * store, limits and metrics), every protocol's {@link Routes}, the one {@link ApiKeys} and the
 * {@link Dispatcher} over them, from a {@link ServerConfig}. A binding (the Jetty server of
 * {@link io.aistream.server.AistreamServer}, or a Servlet/WebFlux host) feeds its exchanges to
 * {@link #dispatcher()}, applies the WebSocket limits ({@link #webSocketIdleTimeout()},
 * {@code config().webSocket().maxMessageBytes()}) to its sockets, and stops the gateway with
 * {@link #drain} then {@link #close}.
 *
 * <p>Thread-safe. {@link #close()} closes the resume store; the caller owns this object.
 */
public final class GatewayRoutes implements AutoCloseable {
    private final ServerConfig config;
    private final ResumeStore store;
    private final StreamService streams;
    private final Dispatcher dispatcher;

    private GatewayRoutes(ServerConfig config) {
        this.config = config;
        GatewayMetrics metrics = new GatewayMetrics(config.providers().keySet());
        this.store = config.resumeStore()
                .orElseGet(() -> ResumeStore.inMemory(
                        config.resumeMaxChunks(), config.resumeMaxBytes(), config.resumeTtl(), config.timeSource()));
        this.streams = new StreamService(
                config.providers(),
                store,
                new StreamLimits(config.maxStreamsPerKey(), config.maxStreams()),
                metrics,
                config.timeSource());
        List<Routes> protocols = List.of(
                new StreamEndpoints(
                        streams, metrics, config.maxBodyBytes(), config.retryMillis(), config.keepAliveInterval()),
                new OpenAiEndpoint(streams, config.maxBodyBytes(), config.keepAliveInterval()),
                new WsEndpoint(streams, metrics, config.webSocket()),
                new InfoEndpoints(streams, metrics),
                new UiChatEndpoints(streams, metrics, config.maxBodyBytes(), config.keepAliveInterval()));
        List<Route> routes = new ArrayList<>();
        protocols.forEach(p -> routes.addAll(p.routes()));
        HostCheck hosts = new HostCheck(config.allowedHosts(), config.authenticationRequired());
        this.dispatcher =
                new Dispatcher(routes, new ApiKeys(config.apiKeys()), new Cors(config.corsOrigins(), hosts), hosts);
    }

    /** Builds the gateway's routes and services; nothing runs until a binding dispatches to it. */
    public static GatewayRoutes create(ServerConfig config) {
        return new GatewayRoutes(config);
    }

    /** The one dispatcher every exchange goes through. */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** The configuration the gateway runs with. */
    public ServerConfig config() {
        return config;
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
     * answers to be written.
     *
     * @return how many streams had to be aborted
     */
    public int drain(Duration deadline) throws InterruptedException {
        return streams.drain(deadline);
    }

    /** Aborts whatever still runs (last resort of a stop). */
    public void abortAll() {
        streams.abortAll();
    }

    /** Closes the resume store. */
    @Override
    public void close() {
        store.close();
    }
}
