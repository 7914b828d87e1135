package io.aistream.server.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one Jetty handler: CORS, authentication, routing to an {@link Endpoint}, static files
 * for everything else, and the last line of defence — whatever goes wrong, the client gets a JSON
 * error (or, once a stream has begun, the end of the response), never a stack trace.
 *
 * <p>New endpoints (WebSocket, OpenAI-compatible, AI SDK) are added as further {@link Route}s.
 * Runs on virtual threads (Jetty's pool has a virtual-thread executor and this handler blocks).
 */
final class GatewayHandler extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);

    private final List<Route> routes;
    private final ApiKeys keys;
    private final Cors cors;

    /**
     * @param routes      the endpoints
     * @param keys        bearer keys
     * @param cors        the origin allow-list
     * @param staticFiles the handler for paths no route serves (may be null)
     */
    GatewayHandler(List<Route> routes, ApiKeys keys, Cors cors, Handler staticFiles) {
        super(staticFiles);
        this.routes = List.copyOf(routes);
        this.keys = keys;
        this.cors = cors;
    }

    /** Blocking: Jetty must run it on a (virtual) thread of its own, never on a selector thread. */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        try {
            route(request, response, callback);
        } catch (ApiError.Failure f) {
            answer(request, response, callback, f.error());
        } catch (Throwable t) {
            if (response.isCommitted()) {
                LOG.debug("{} {} failed after the response began", request.getMethod(), path(request), t);
                callback.failed(t);
            } else {
                LOG.warn("{} {} failed", request.getMethod(), path(request), t);
                answer(request, response, callback, ApiError.of(500, "internal", "internal server error"));
            }
        }
        return true;
    }

    private void route(Request request, Response response, Callback callback) throws Exception {
        String path = path(request);
        Cors.Decision origin = cors.check(request);
        if (origin == Cors.Decision.REFUSED) {
            throw ApiError.of(403, "origin_not_allowed", "this origin may not call the gateway").failure();
        }
        if (origin == Cors.Decision.ALLOWED) {
            Cors.allow(request, response);
        }
        if (Cors.isPreflight(request)) {
            Cors.preflight(response);
            Responses.noContent(response);
            callback.succeeded();
            return;
        }
        Route match = null;
        Map<String, String> params = Map.of();
        List<String> allowed = new ArrayList<>(2);
        for (Route r : routes) {
            Optional<Map<String, String>> p = r.match(path);
            if (p.isPresent()) {
                allowed.add(r.method());
                if (r.method().equals(request.getMethod())) {
                    match = r;
                    params = p.get();
                    break;
                }
            }
        }
        if (match == null) {
            if (!allowed.isEmpty()) {
                response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", allowed));
                throw ApiError.of(405, "method_not_allowed", request.getMethod() + " is not allowed on " + path
                        + "; use " + String.join(" or ", allowed)).failure();
            }
            if (!path.startsWith("/v1/") && getHandler() != null
                    && ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))
                    && super.handle(request, response, callback)) {
                return;
            }
            throw ApiError.of(404, "not_found", "no such endpoint: " + request.getMethod() + " " + path).failure();
        }
        String principal = ApiKeys.ANONYMOUS;
        if (match.authenticated() && keys.required()) {
            principal = keys.authenticate(request).orElseThrow(() -> ApiError.of(401, "unauthorized",
                    "a valid API key is required: Authorization: Bearer <key>")
                    .withHeader("WWW-Authenticate", "Bearer").failure());
        }
        match.endpoint().handle(new Exchange(request, response, principal, params));
        callback.succeeded();
    }

    private static void answer(Request request, Response response, Callback callback, ApiError error) {
        if (response.isCommitted()) {
            callback.failed(new IllegalStateException(error.message()));
            return;
        }
        try {
            Responses.error(response, error);
            callback.succeeded();
        } catch (Throwable t) {
            LOG.debug("could not send the error answer to {} {}", request.getMethod(), path(request), t);
            callback.failed(t);
        }
    }

    static String path(Request request) {
        String path = Request.getPathInContext(request);
        return path == null || path.isEmpty() ? "/" : path;
    }
}
