package io.aistream.server.internal;

import io.aistream.server.ServerConfig;
import io.aistream.server.WebSocketConfig;
import io.aistream.server.internal.ws.WsListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * {@code GET /v1/ws}: authenticates the upgrade request, then hands the connection to Jetty's
 * WebSocket container with a {@link WsSocket} as the endpoint.
 *
 * <p><b>Authentication</b> (when API keys are configured), in this order: the
 * {@code Authorization: Bearer <key>} header; the {@code access_token=<key>} query parameter; the
 * sub-protocol {@code bearer.<key>}, offered together with {@code aistream.v1} (browsers cannot set
 * headers on a WebSocket; the server answers with {@code aistream.v1}, never echoing the key).
 * Without a valid key: 401 before the upgrade. The {@code Origin} check against the CORS allow-list
 * is {@link GatewayHandler}'s (403 before the upgrade).
 */
final class WsEndpoint {
    static final String PROTOCOL = "aistream.v1";
    static final String BEARER_PREFIX = "bearer.";

    /** Test probe: told of every socket that opens. Package-private, null in production. */
    static volatile Consumer<WsSocket> openedProbe;

    private final StreamService streams;
    private final GatewayMetrics metrics;
    private final WebSocketConfig config;
    private final ApiKeys keys;
    private final WsNames names;
    private final ServerWebSocketContainer container;
    private final Set<WsSocket> sockets = ConcurrentHashMap.newKeySet();

    private WsEndpoint(Server server, StreamService streams, GatewayMetrics metrics, ServerConfig config) {
        this.streams = streams;
        this.metrics = metrics;
        this.config = config.webSocket();
        this.keys = new ApiKeys(config.apiKeys());
        this.names = new WsNames(streams.store());
        this.container = ServerWebSocketContainer.ensure(server);
        container.setMaxTextMessageSize(this.config.maxMessageBytes());
        container.setMaxBinaryMessageSize(this.config.maxMessageBytes());
        container.setIdleTimeout(WsSocket.idleTimeout(this.config));
    }

    /** The route of {@code GET /v1/ws} (authenticated here, not by {@link GatewayHandler}: keys may come three ways). */
    static Route route(Server server, StreamService streams, GatewayMetrics metrics, ServerConfig config) {
        WsEndpoint endpoint = new WsEndpoint(server, streams, metrics, config);
        return new Route("GET", "/v1/ws", false, endpoint::upgrade);
    }

    void upgrade(Exchange ex) throws Exception {
        Request request = ex.request();
        List<String> offered = subProtocols(request);
        Optional<String> bearer = offered.stream().filter(p -> p.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length()))
                .findFirst();
        if (bearer.isPresent() && !offered.contains(PROTOCOL)) {
            throw ApiError.invalid("Sec-WebSocket-Protocol", "offer the " + PROTOCOL
                    + " sub-protocol along with bearer.<key>, so the server can answer without echoing the key").failure();
        }
        String principal = authenticate(request, bearer);
        if (streams.draining()) {
            throw ApiError.of(503, "shutting_down", "the gateway is shutting down").withHeader("Retry-After", "5").failure();
        }
        Callback.Completable done = new Callback.Completable();
        boolean upgrading = container.upgrade((rq, rs, cb) -> {
            if (rq.hasSubProtocol(PROTOCOL)) {
                rs.setAcceptedSubProtocol(PROTOCOL);
            }
            return new WsListener(new WsSocket(this, streams, metrics, names, config, principal));
        }, request, ex.response(), done);
        if (!upgrading) {
            throw new ApiError(426, "upgrade_required", "GET /v1/ws is a WebSocket endpoint: send a WebSocket upgrade request",
                    Optional.empty(), Map.of("Upgrade", "websocket", "Connection", "Upgrade")).failure();
        }
        try {
            done.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    private String authenticate(Request request, Optional<String> bearer) {
        if (!keys.required()) {
            return ApiKeys.ANONYMOUS;
        }
        Optional<String> principal;
        if (request.getHeaders().get(HttpHeader.AUTHORIZATION) != null) {
            principal = keys.authenticate(request);
        } else {
            String token = Request.extractQueryParameters(request).getValue("access_token");
            if (token == null && bearer.isPresent()) {
                token = bearer.get().substring(BEARER_PREFIX.length());
            }
            principal = token == null || token.isBlank() ? Optional.empty() : keys.authenticateToken(token.strip());
        }
        return principal.orElseThrow(() -> ApiError.of(401, "unauthorized", "a valid API key is required: "
                + "Authorization: Bearer <key>, ?access_token=<key>, or the sub-protocols " + PROTOCOL + " and bearer.<key>")
                .withHeader("WWW-Authenticate", "Bearer").failure());
    }

    private static List<String> subProtocols(Request request) {
        List<String> all = new ArrayList<>(2);
        for (String value : request.getHeaders().getValuesList("Sec-WebSocket-Protocol")) {
            for (String p : value.split(",")) {
                if (!p.isBlank()) {
                    all.add(p.strip());
                }
            }
        }
        return all;
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
