package io.aistream.servlet.ws;

import io.aistream.server.http.ApiError;
import io.aistream.server.http.WsHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A request's upgrade through the container's Jakarta WebSocket 2.1 {@link ServerContainer} (the
 * servlet context attribute {@code jakarta.websocket.server.ServerContainer}). The upgrade is
 * completed by the container once the servlet's {@code service} returns, so it runs on the container's
 * thread and never in async mode. The dispatcher has checked the origin already, so the endpoint
 * configuration accepts every origin; it offers only {@code subProtocol}.
 */
public final class WebSocketUpgrade {
    /** The servlet context attribute holding the container's {@link ServerContainer}. */
    public static final String CONTAINER_ATTRIBUTE = "jakarta.websocket.server.ServerContainer";

    private WebSocketUpgrade() {}

    /** Whether the request asks for a WebSocket upgrade ({@code GET} with {@code Upgrade: websocket}). */
    public static boolean requested(HttpServletRequest request) {
        String upgrade = request.getHeader("Upgrade");
        return "GET".equals(request.getMethod()) && upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    /**
     * Upgrades the request (on the container's thread) to a socket whose events go to a handler from
     * {@code handler}; the container sends the 101 once {@code service} returns.
     *
     * @return false when the request is not an upgrade request
     * @throws IOException when the container refused the upgrade
     */
    public static boolean upgrade(
            HttpServletRequest request,
            HttpServletResponse response,
            String path,
            String subProtocol,
            Supplier<WsHandler> handler,
            int maxMessageBytes,
            Duration idleTimeout)
            throws IOException {
        if (!requested(request) || request.getHeader("Sec-WebSocket-Key") == null) {
            return false;
        }
        if (!(request.getServletContext().getAttribute(CONTAINER_ATTRIBUTE) instanceof ServerContainer container)) {
            throw ApiError.of(501, "websocket_unavailable", "this server has no WebSocket container")
                    .failure();
        }
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(GatewayEndpoint.class, path)
                .subprotocols(List.of(subProtocol))
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public boolean checkOrigin(String originHeaderValue) {
                        return true; // the dispatcher's CORS check has run
                    }

                    @Override
                    public <T> T getEndpointInstance(Class<T> type) {
                        return type.cast(new GatewayEndpoint(handler.get(), maxMessageBytes, idleTimeout));
                    }
                })
                .build();
        try {
            container.upgradeHttpToWebSocket(request, response, config, Map.of());
        } catch (DeploymentException e) {
            throw new IOException("the WebSocket upgrade failed", e);
        }
        return true;
    }
}
