package io.aistream.server.http;

import java.util.function.Supplier;

/**
 * One HTTP exchange as a binding hands it to the {@link Dispatcher}: the request, the response and
 * the way to turn the connection into a WebSocket. Implemented by each binding; one exchange is
 * handled by one (virtual) thread, which may block.
 */
public interface HttpExchange {
    HttpRequest request();

    HttpResponse response();

    /**
     * Upgrades the connection to a WebSocket whose events go to a handler from {@code handler}
     * (called once, when the upgrade is accepted), answering with {@code subProtocol} when the client
     * offered it. Blocks until the upgrade answer was sent.
     *
     * @return false when the request is not a WebSocket upgrade request (nothing was written)
     * @throws Exception when the upgrade failed
     */
    boolean upgradeToWebSocket(String subProtocol, Supplier<WsHandler> handler) throws Exception;
}
