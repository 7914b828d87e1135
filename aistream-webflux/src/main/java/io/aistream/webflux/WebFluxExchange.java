package io.aistream.webflux;

import io.aistream.server.http.BadHttpRequestException;
import io.aistream.server.http.HttpExchange;
import io.aistream.server.http.HttpRequest;
import io.aistream.server.http.HttpResponse;
import io.aistream.server.http.WsHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * One WebFlux exchange as an {@link HttpExchange}, handled by one (virtual) thread. A WebSocket
 * upgrade goes through Spring's {@link WebSocketService}; the exchange then lasts as long as the socket.
 */
final class WebFluxExchange implements HttpExchange {
    private final ServerWebExchange exchange;
    private final WebFluxRequest request;
    private final WebFluxResponse response;
    private final ClientWatch watch;
    private final WebSocketService webSockets;
    private final Duration webSocketIdleTimeout;
    private CompletableFuture<Void> socketEnded;

    WebFluxExchange(
            ServerWebExchange exchange,
            WebFluxRequest request,
            Duration writeTimeout,
            WebSocketService webSockets,
            Duration webSocketIdleTimeout) {
        this.exchange = exchange;
        this.request = request;
        this.watch = new ClientWatch(exchange.getRequest());
        this.response = new WebFluxResponse(exchange.getResponse(), writeTimeout, watch);
        this.webSockets = webSockets;
        this.webSocketIdleTimeout = webSocketIdleTimeout;
    }

    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public HttpResponse response() {
        return response;
    }

    ClientWatch watch() {
        return watch;
    }

    WebFluxResponse webFluxResponse() {
        return response;
    }

    @Override
    public boolean upgradeToWebSocket(String subProtocol, Supplier<WsHandler> handler) throws Exception {
        if (exchange.getRequest().getMethod() != HttpMethod.GET
                || !"websocket".equalsIgnoreCase(request.header("Upgrade").orElse(""))) {
            return false;
        }
        request.queryParameter(""); // the query is decoded here too: a broken one is the client's 400
        CompletableFuture<Void> upgraded = new CompletableFuture<>();
        WebSocketHandler socket = new WebSocketHandler() {
            @Override
            public List<String> getSubProtocols() {
                return List.of(subProtocol);
            }

            @Override
            public Mono<Void> handle(WebSocketSession session) {
                upgraded.complete(null);
                return new SocketBridge(session, handler.get(), webSocketIdleTimeout).run();
            }
        };
        socketEnded = webSockets.handleRequest(exchange, socket).toFuture();
        socketEnded.whenComplete((ok, failure) -> upgraded.completeExceptionally(
                failure != null ? failure : new IllegalStateException("the WebSocket ended before it opened")));
        try {
            upgraded.get();
        } catch (ExecutionException e) {
            if (exchange.getResponse().isCommitted()) {
                throw e.getCause() instanceof Exception x ? x : e;
            }
            socketEnded = null;
            throw BadHttpRequestException.malformed("the WebSocket upgrade request is not valid: "
                    + e.getCause().getMessage());
        }
        return true;
    }

    /** Completes when the exchange is over: its response written, or its WebSocket closed. */
    CompletableFuture<Void> finish() throws Exception {
        if (socketEnded != null) {
            return socketEnded;
        }
        return response.finish();
    }
}
