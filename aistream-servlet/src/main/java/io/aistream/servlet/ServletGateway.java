package io.aistream.servlet;

import io.aistream.server.assembly.GatewayRoutes;
import io.aistream.server.http.Dispatcher;
import io.aistream.server.http.ExchangeTask;
import io.aistream.server.http.Route;
import io.aistream.servlet.ws.WebSocketUpgrade;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's routes on a Servlet 6 container. Thread-safe; one instance serves every request.
 *
 * <p><b>Threads.</b> A WebSocket upgrade request ({@code GET} with {@code Upgrade: websocket}) is
 * dispatched on the calling container thread: the container completes the upgrade only once
 * {@code service} returns, and the work before it is a few checks. Every other exchange goes into
 * async mode ({@code startAsync}, no async timeout: a stream ends when it ends, bounded by the
 * gateway's own limits) and runs on a virtual thread of its own, which blocks on reads and writes; the
 * container thread returns at once, so no container thread is held for the life of a stream. The
 * {@link AsyncContext} is completed when the dispatcher returns.
 *
 * <p><b>Failures.</b> When the dispatcher throws (the response had begun and could not be completed,
 * or its error answer could not be written), the exchange is completed without writing more: the
 * Servlet API has no portable abort, so a client whose connection is still open sees the response end
 * where it stopped (an SSE stream then lacks its final {@code done} event, which the gateway's
 * clients treat as a cut stream). Logged at debug level.
 *
 * <p>Requests no route serves get the dispatcher's 404 in the native JSON shape; host applications
 * that route themselves ask {@link #serves} first.
 */
public final class ServletGateway {
    private static final Logger LOG = LoggerFactory.getLogger(ServletGateway.class);

    private final GatewayRoutes routes;
    private final Dispatcher dispatcher;
    private final String basePath;
    private final ServletExchange.WebSockets webSockets;

    /**
     * @param routes   the gateway's routes (the caller owns and closes them)
     * @param basePath where the routes are mounted inside the servlet context: {@code ""} or a path
     *                 like {@code /ai} (no trailing {@code /})
     */
    public ServletGateway(GatewayRoutes routes, String basePath) {
        this.routes = Objects.requireNonNull(routes, "routes");
        this.dispatcher = routes.dispatcher();
        this.basePath = normalize(basePath);
        this.webSockets = new ServletExchange.WebSockets(
                routes.config().webSocket().maxMessageBytes(), routes.webSocketIdleTimeout());
    }

    private static String normalize(String basePath) {
        if (basePath == null || basePath.isEmpty() || "/".equals(basePath)) {
            return "";
        }
        if (!basePath.startsWith("/") || basePath.endsWith("/")) {
            throw new IllegalArgumentException("a base path starts with / and does not end with one: " + basePath);
        }
        return basePath;
    }

    /** The routes this gateway serves. */
    public GatewayRoutes routes() {
        return routes;
    }

    /** The base path ({@code ""} or like {@code /ai}). */
    public String basePath() {
        return basePath;
    }

    /** Whether some route (any method) matches this request's path, after the context path and base path. */
    public boolean serves(HttpServletRequest request) {
        String path = RequestPath.of(request, basePath);
        if (path == null) {
            return false;
        }
        for (Route route : dispatcher.routes()) {
            if (route.match(path).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Handles one exchange: WebSocket upgrades synchronously on the calling thread, everything else in
     * async mode on a virtual thread (startAsync, async timeout off), completing the AsyncContext when the
     * Dispatcher returns. A request outside the base path is answered as the path the container gave.
     */
    public void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = RequestPath.of(request, basePath);
        if (path == null) {
            path = RequestPath.of(request, "");
        }
        if (WebSocketUpgrade.requested(request)) {
            ServletExchange exchange = new ServletExchange(request, response, path, webSockets);
            try {
                dispatcher.dispatch(exchange, Dispatcher.Fallback.NONE);
            } catch (Exception e) {
                LOG.debug("{} {}: the exchange could not be completed", request.getMethod(), path, e);
            }
            return;
        }
        ServletExchange exchange = new ServletExchange(request, response, path, null);
        run(request, response, exchange, () -> dispatcher.dispatch(exchange, Dispatcher.Fallback.NONE));
    }

    /**
     * Runs a host application's task against this request/response the same way as {@link #service}
     * (async mode, a virtual thread, the response ended when the task returns) — for controller
     * return values. The task's exchange cannot upgrade to a WebSocket; its request path is the path
     * inside the servlet context.
     */
    public static void stream(HttpServletRequest request, HttpServletResponse response, ExchangeTask task) {
        Objects.requireNonNull(task, "task");
        ServletExchange exchange = new ServletExchange(request, response, RequestPath.of(request, ""), null);
        run(request, response, exchange, () -> {
            task.run(exchange);
            return true;
        });
    }

    private interface Work {
        boolean run() throws Exception;
    }

    private static void run(
            HttpServletRequest request, HttpServletResponse response, ServletExchange exchange, Work work) {
        AsyncContext async =
                request.isAsyncStarted() ? request.getAsyncContext() : request.startAsync(request, response);
        async.setTimeout(0);
        async.addListener(exchange);
        String method = request.getMethod();
        String path = exchange.request().path();
        Thread.ofVirtual().name("aistream-servlet").start(() -> {
            try {
                work.run();
                endBody(response);
            } catch (Throwable t) {
                LOG.debug("{} {}: the response could not be completed", method, path, t);
            } finally {
                complete(async);
            }
        });
    }

    /** Closes the body stream (the last chunk) so the container finishes the response before complete(). */
    private static void endBody(HttpServletResponse response) {
        try {
            response.flushBuffer();
        } catch (IOException | RuntimeException e) {
            // the client left after the last byte was handed over: nothing more to do
        }
    }

    private static void complete(AsyncContext async) {
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // already completed by the container after an error
        }
    }
}
