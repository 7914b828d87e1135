package io.aistream.server.ws;

import io.aistream.server.config.WebSocketConfig;
import io.aistream.server.http.Access;
import io.aistream.server.http.ApiError;
import io.aistream.server.http.ApiKeys;
import io.aistream.server.http.Exchange;
import io.aistream.server.http.HttpRequest;
import io.aistream.server.http.Route;
import io.aistream.server.http.Routes;
import io.aistream.server.metrics.GatewayMetrics;
import io.aistream.server.streams.StreamService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * {@code GET /v1/ws}: checks the upgrade request, then has the binding upgrade the connection with a
 * {@link WsSocket} as its handler.
 *
 * <p><b>Authentication</b> (when API keys are configured; the dispatcher's one step, with this
 * route's {@link Access}), in this order: the {@code Authorization: Bearer <key>} header; the
 * {@code access_token=<key>} query parameter; the sub-protocol {@code bearer.<key>}, offered together
 * with {@code aistream.v1} (browsers cannot set headers on a WebSocket; the server answers with
 * {@code aistream.v1}, never echoing the key). Without a valid key: 401 before the upgrade. The
 * {@code Origin} check against the CORS allow-list is the dispatcher's (403 before the upgrade).
 *
 * <p>The binding applies {@link #idleTimeout} to its sockets; each socket bounds its client's messages
 * to {@link WebSocketConfig#maxMessageBytes()} itself (the binding hands it message pieces), so that
 * an oversized one is answered with a typed {@code message_too_large} error before the 1009 close.
 * {@link #goAway} ends every socket with 1001 on a graceful stop. Thread-safe.
 */
public final class WsEndpoint implements Routes {
    static final String PROTOCOL = "aistream.v1";
    static final String BEARER_PREFIX = "bearer.";

    /** The 401 of {@code /v1/ws}, naming the three ways to present a key. */
    private static final ApiError UNAUTHORIZED = ApiError.of(
                    401,
                    "unauthorized",
                    "a valid API key is required: "
                            + "Authorization: Bearer <key>, ?access_token=<key>, or the sub-protocols " + PROTOCOL
                            + " and bearer.<key>")
            .withHeader("WWW-Authenticate", "Bearer");

    /** Test probe: told of every socket that opens. Package-private, null in production. */
    static volatile Consumer<WsSocket> openedProbe;

    private final StreamService streams;
    private final GatewayMetrics metrics;
    private final WebSocketConfig config;
    private final WsNames names;
    private final Set<WsSocket> sockets = ConcurrentHashMap.newKeySet();

    public WsEndpoint(StreamService streams, GatewayMetrics metrics, WebSocketConfig config) {
        this.streams = streams;
        this.metrics = metrics;
        this.config = config;
        this.names = new WsNames(streams.store());
    }

    /** How long a socket may stay silent: the pings' interval times the missed pongs allowed, plus two. */
    public static Duration idleTimeout(WebSocketConfig config) {
        return WsSocket.idleTimeout(config);
    }

    @Override
    public List<Route> routes() {
        return List.of(
                new Route("GET", "/v1/ws", new Access(true, WsEndpoint::presentedKey, UNAUTHORIZED), this::upgrade));
    }

    void upgrade(Exchange ex) throws Exception {
        bearerProtocol(ex.request()); // checked here too: without keys the dispatcher does not look
        if (streams.draining()) {
            throw ApiError.of(503, "shutting_down", "the gateway is shutting down")
                    .withHeader("Retry-After", "5")
                    .failure();
        }
        String principal = ex.principal();
        boolean upgraded = ex.http()
                .upgradeToWebSocket(PROTOCOL, () -> new WsSocket(this, streams, metrics, names, config, principal));
        if (!upgraded) {
            throw new ApiError(
                            426,
                            "upgrade_required",
                            "GET /v1/ws is a WebSocket endpoint: send a WebSocket upgrade request",
                            Optional.empty(),
                            Map.of("Upgrade", "websocket", "Connection", "Upgrade"))
                    .failure();
        }
    }

    /** The key of an upgrade request: the bearer header, else {@code access_token}, else the {@code bearer.} sub-protocol. */
    private static Optional<String> presentedKey(HttpRequest request) {
        Optional<String> bearer = bearerProtocol(request);
        if (request.header("Authorization").isPresent()) {
            return ApiKeys.bearerToken(request);
        }
        String token = request.queryParameter("access_token").orElse(null);
        if (token == null && bearer.isPresent()) {
            token = bearer.get().substring(BEARER_PREFIX.length());
        }
        return token == null || token.isBlank() ? Optional.empty() : Optional.of(token.strip());
    }

    /**
     * The {@code bearer.<key>} sub-protocol offered, if any.
     *
     * @throws ApiError.Failure 400 when it is offered without {@code aistream.v1}
     */
    private static Optional<String> bearerProtocol(HttpRequest request) {
        List<String> offered = subProtocols(request);
        Optional<String> bearer = offered.stream()
                .filter(p -> p.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length()))
                .findFirst();
        if (bearer.isPresent() && !offered.contains(PROTOCOL)) {
            throw ApiError.invalid(
                            "Sec-WebSocket-Protocol",
                            "offer the " + PROTOCOL
                                    + " sub-protocol along with bearer.<key>, so the server can answer without echoing the key")
                    .failure();
        }
        return bearer;
    }

    private static List<String> subProtocols(HttpRequest request) {
        List<String> all = new ArrayList<>(2);
        for (String value : request.headers("Sec-WebSocket-Protocol")) {
            for (String p : value.split(",")) {
                if (!p.isBlank()) {
                    all.add(p.strip());
                }
            }
        }
        return all;
    }

    /**
     * The graceful end of every socket, once the streams are drained: each gets what it has queued
     * (its streams' {@code done}), then close 1001 (Going Away); waits until they have closed, at
     * most {@code wait}, so the binding's stop does not cut them first. Returns how many were still
     * open when the wait ended.
     */
    public int goAway(Duration wait) throws InterruptedException {
        List<WsSocket> open = List.copyOf(sockets);
        open.forEach(WsSocket::goAway);
        long deadline = System.nanoTime() + wait.toNanos();
        int left = 0;
        for (WsSocket socket : open) {
            if (!socket.awaitClosed(Math.max(0, deadline - System.nanoTime()))) {
                left++;
            }
        }
        return left;
    }

    void opened(WsSocket socket) {
        sockets.add(socket);
        Consumer<WsSocket> probe = openedProbe;
        if (probe != null) {
            probe.accept(socket);
        }
    }

    void closed(WsSocket socket) {
        sockets.remove(socket);
    }

    int openSockets() {
        return sockets.size();
    }
}
