package io.aistream.webflux;

import io.aistream.server.assembly.GatewayRoutes;
import io.aistream.server.config.ConnectionConfig;
import io.aistream.server.config.ServerConfig;
import io.aistream.server.config.WebSocketConfig;
import io.aistream.server.http.BadHttpRequestException;
import io.aistream.server.http.BufferedResponse;
import io.aistream.server.http.Dispatcher;
import io.aistream.server.http.ExchangeTask;
import io.aistream.server.http.Route;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * The gateway's routes on Spring WebFlux, on any reactive server (Reactor Netty gets the most: a
 * closed connection is seen at once, WebSocket frames are read one by one and bounded).
 *
 * <pre>{@code
 * WebFluxGateway gateway = new WebFluxGateway(GatewayRoutes.create(config), "/ai");
 * // in a WebFilter or a RouterFunction: if (gateway.serves(request)) return gateway.handle(exchange);
 * }</pre>
 *
 * <p>Each exchange runs the gateway's {@link Dispatcher} on a virtual thread of its own (the
 * dispatcher blocks: it reads the body and writes the stream event by event); the {@code Mono}
 * completes when the response is written, or — for a WebSocket — when the socket is closed. A
 * response the dispatcher could not complete (the client left mid-stream) ends with an error, so
 * the server closes the connection; that is logged at debug level.
 *
 * <p>Thread-safe. The caller owns the {@link GatewayRoutes} (and closes it).
 */
public final class WebFluxGateway {
    private static final Logger LOG = LoggerFactory.getLogger(WebFluxGateway.class);
    private static final AtomicLong THREADS = new AtomicLong();
    /** The frame limit below which the gateway answers an oversized message itself (as the Jetty binding's frames). */
    private static final int MIN_FRAME_BYTES = 64 * 1024;

    private final GatewayRoutes routes;
    private final Dispatcher dispatcher;
    private final PathContainer basePath;
    private final Settings settings;

    /**
     * @param routes   every route of the gateway ({@link GatewayRoutes#dispatcher()})
     * @param basePath where the routes sit within the application: {@code ""} or a path such as
     *                 {@code "/ai"} (no trailing {@code /})
     */
    public WebFluxGateway(GatewayRoutes routes, String basePath) {
        this.routes = Objects.requireNonNull(routes, "routes");
        this.dispatcher = routes.dispatcher();
        Objects.requireNonNull(basePath, "basePath");
        if (!basePath.isEmpty() && (!basePath.startsWith("/") || basePath.endsWith("/"))) {
            throw new IllegalArgumentException(
                    "basePath must be empty or start with '/' and not end with it: " + basePath);
        }
        this.basePath = PathContainer.parsePath(basePath);
        ServerConfig config = routes.config();
        this.settings = new Settings(
                config.connections(),
                config.idleTimeout(),
                config.webSocket().maxMessageBytes(),
                routes.webSocketIdleTimeout());
    }

    /** The routes this gateway serves. */
    public GatewayRoutes routes() {
        return routes;
    }

    /**
     * Whether some route (any method) matches this request's path (within the application's context
     * path, after the base path). A path that cannot be decoded counts as served when it lies under
     * {@code /v1/}, so that the gateway answers it (400).
     */
    public boolean serves(ServerHttpRequest request) {
        Optional<PathContainer> within = withinBase(request);
        if (within.isEmpty()) {
            return false;
        }
        String path;
        try {
            path = UriDecoding.path(within.get());
        } catch (BadHttpRequestException e) {
            return within.get().value().startsWith("/v1/");
        }
        for (Route route : dispatcher.routes()) {
            if (route.match(path).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Handles one exchange: the dispatcher runs on a virtual thread (it blocks).
     *
     * @return completes when the response is done (or the WebSocket closed)
     */
    public Mono<Void> handle(ServerWebExchange exchange) {
        return principal(exchange)
                .flatMap(principal -> Mono.create(sink -> {
                    PathContainer within = withinBase(exchange.getRequest())
                            .orElse(exchange.getRequest().getPath().pathWithinApplication());
                    start(sink, exchange, within, principal, settings, dispatcher::dispatch);
                }));
    }

    /**
     * Runs a host application's task against this exchange the same way as a route: on a virtual
     * thread, with the response in streaming mode (for controller return values). The exchange has
     * the gateway's default limits (body rate, write timeout) and WebSocket settings.
     *
     * @return completes when the response is done; fails with the task's exception when the task
     *         failed before anything was written (the application's error handling answers it)
     */
    public static Mono<Void> stream(ServerWebExchange exchange, ExchangeTask task) {
        Objects.requireNonNull(task, "task");
        return principal(exchange)
                .flatMap(principal -> Mono.create(sink -> start(
                        sink,
                        exchange,
                        exchange.getRequest().getPath().pathWithinApplication(),
                        principal,
                        Settings.DEFAULTS,
                        (ex, fallback) -> {
                            task.run(ex);
                            return true;
                        })));
    }

    /** The dispatcher's (or a task's) call on an exchange. */
    @FunctionalInterface
    private interface Work {
        boolean run(WebFluxExchange exchange, Dispatcher.Fallback fallback) throws Exception;
    }

    private static void start(
            MonoSink<Void> sink,
            ServerWebExchange exchange,
            PathContainer path,
            Optional<String> principal,
            Settings settings,
            Work work) {
        Thread.ofVirtual()
                .name("aistream-webflux-" + THREADS.incrementAndGet())
                .start(() -> run(sink, exchange, path, principal, settings, work));
    }

    private static void run(
            MonoSink<Void> sink,
            ServerWebExchange exchange,
            PathContainer rawPath,
            Optional<String> principal,
            Settings settings,
            Work work) {
        String path;
        try {
            path = UriDecoding.path(rawPath);
        } catch (BadHttpRequestException e) {
            answerUndecodable(sink, exchange, e);
            return;
        }
        WebFluxExchange ex = new WebFluxExchange(
                exchange,
                new WebFluxRequest(exchange.getRequest(), path, settings.limits(), principal),
                settings.writeTimeout(),
                settings.webSockets(),
                settings.webSocketIdleTimeout());
        sink.onCancel(() -> ex.watch().gone()); // the server gave up the exchange: its client is gone
        CompletableFuture<Void> end;
        try {
            work.run(ex, Dispatcher.Fallback.NONE);
            end = ex.finish();
        } catch (Throwable t) {
            LOG.debug(
                    "{} {}: the response could not be completed: {}",
                    exchange.getRequest().getMethod(),
                    path,
                    t.toString());
            CompletableFuture<Void> aborted = ex.webFluxResponse().abort(t);
            if (aborted == null && !ex.response().committed()) {
                ex.watch().end();
                sink.error(t);
                return;
            }
            end = aborted == null ? CompletableFuture.completedFuture(null) : aborted;
        }
        end.whenComplete((ok, failure) -> {
            ex.watch().end();
            if (failure != null) {
                LOG.debug(
                        "{} {}: the response ended early: {}",
                        exchange.getRequest().getMethod(),
                        path,
                        failure.toString());
            }
            sink.success(); // a failed write has closed the connection already
        });
    }

    /** A path with an invalid escape: the dispatcher's 400 in the native shape, without routing. */
    private static void answerUndecodable(MonoSink<Void> sink, ServerWebExchange exchange, BadHttpRequestException e) {
        BufferedResponse answer = new BufferedResponse();
        answer.status(e.status());
        try {
            io.aistream.server.http.ErrorWriter.NATIVE.write(answer, e.error());
        } catch (java.io.IOException impossible) {
            sink.error(impossible);
            return;
        }
        var response = exchange.getResponse();
        response.setStatusCode(org.springframework.http.HttpStatusCode.valueOf(answer.status()));
        for (Map.Entry<String, String> h : answer.headers()) {
            response.getHeaders().add(h.getKey(), h.getValue());
        }
        byte[] bytes = answer.bytes();
        response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(bytes)))
                .subscribe(null, sink::error, sink::success);
    }

    private Optional<PathContainer> withinBase(ServerHttpRequest request) {
        PathContainer path = request.getPath().pathWithinApplication();
        int n = basePath.elements().size();
        if (n == 0) {
            return Optional.of(path);
        }
        if (path.elements().size() < n) {
            return Optional.empty();
        }
        for (int i = 0; i < n; i++) {
            if (!path.elements()
                    .get(i)
                    .value()
                    .equals(basePath.elements().get(i).value())) {
                return Optional.empty();
            }
        }
        if (path.elements().size() == n) {
            return Optional.of(PathContainer.parsePath("/"));
        }
        return Optional.of(path.subPath(n));
    }

    private static Mono<Optional<String>> principal(ServerWebExchange exchange) {
        return exchange.getPrincipal()
                .map(p -> Optional.ofNullable(p.getName()))
                .onErrorResume(e -> Mono.empty())
                .defaultIfEmpty(Optional.empty());
    }

    /** What an exchange needs from the gateway's configuration; Spring's handshake made on first use. */
    private static final class Settings {
        static final Settings DEFAULTS = new Settings(
                ConnectionConfig.defaults(),
                Duration.ofMinutes(2),
                WebSocketConfig.defaults().maxMessageBytes(),
                null);

        private final ConnectionConfig limits;
        private final Duration writeTimeout;
        private final int maxMessageBytes;
        private final Duration webSocketIdleTimeout;
        private WebSocketService webSockets;

        Settings(ConnectionConfig limits, Duration writeTimeout, int maxMessageBytes, Duration webSocketIdleTimeout) {
            this.limits = limits;
            this.writeTimeout = writeTimeout;
            this.maxMessageBytes = maxMessageBytes;
            this.webSocketIdleTimeout = webSocketIdleTimeout;
        }

        ConnectionConfig limits() {
            return limits;
        }

        Duration writeTimeout() {
            return writeTimeout;
        }

        Duration webSocketIdleTimeout() {
            return webSocketIdleTimeout;
        }

        /**
         * Spring's handshake: on Reactor Netty with a frame limit of the larger of 64 KiB and the
         * message limit (a longer message in smaller frames is bounded by the gateway's WebSocket
         * protocol, which answers it before closing with 1009); elsewhere Spring's strategy for the
         * server. Made on first use: Spring's default strategy needs a server it knows.
         */
        synchronized WebSocketService webSockets() {
            if (webSockets == null) {
                RequestUpgradeStrategy netty = NettyFrames.upgradeStrategy(Math.max(MIN_FRAME_BYTES, maxMessageBytes));
                webSockets = netty != null ? new HandshakeWebSocketService(netty) : new HandshakeWebSocketService();
            }
            return webSockets;
        }
    }
}
