package io.aistream.servlet;

import io.aistream.server.http.HttpExchange;
import io.aistream.server.http.HttpRequest;
import io.aistream.server.http.HttpResponse;
import io.aistream.server.http.WsHandler;
import io.aistream.servlet.ws.WebSocketUpgrade;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One Servlet exchange as the gateway's {@link HttpExchange}. Also the exchange's {@link AsyncListener}:
 * the container's {@code onError} (a failed connection during async) is the client going away.
 * Upgrades are possible only on an exchange handled synchronously on the container's thread
 * ({@code webSockets} not null); elsewhere {@link #upgradeToWebSocket} answers false.
 */
final class ServletExchange implements HttpExchange, AsyncListener {
    /** What an upgrade needs: the socket limits of the gateway. */
    record WebSockets(int maxMessageBytes, Duration idleTimeout) {}

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final ServletHttpRequest httpRequest;
    private final ServletHttpResponse httpResponse;
    private final ClientWatch watch = new ClientWatch();
    private final WebSockets webSockets;

    ServletExchange(HttpServletRequest request, HttpServletResponse response, String path, WebSockets webSockets) {
        this.request = request;
        this.response = response;
        this.httpRequest = new ServletHttpRequest(request, path);
        this.httpResponse = new ServletHttpResponse(request, response, watch);
        this.webSockets = webSockets;
    }

    @Override
    public HttpRequest request() {
        return httpRequest;
    }

    @Override
    public HttpResponse response() {
        return httpResponse;
    }

    /** Does not block until the 101 was sent: the container sends it once the servlet's {@code service} returns. */
    @Override
    public boolean upgradeToWebSocket(String subProtocol, Supplier<WsHandler> handler) throws Exception {
        if (webSockets == null) {
            return false;
        }
        httpRequest.queryParameter(""); // a broken query is the client's 400, found before the upgrade
        return WebSocketUpgrade.upgrade(
                request,
                response,
                httpRequest.path(),
                subProtocol,
                handler,
                webSockets.maxMessageBytes(),
                webSockets.idleTimeout());
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onTimeout(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {
        watch.clientGone();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}
}
