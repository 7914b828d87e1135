package io.aistream.server.http;

import io.aistream.server.memory.OutOfMemory;
import io.aistream.server.resume.StoreUnavailableException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP-neutral front door, called by every binding for every exchange: the
 * {@link HostCheck} first (421 for a host the gateway does not answer to — DNS rebinding — on every
 * path, static files, preflights and WebSocket upgrades included), CORS (403 for a refused origin,
 * the preflight's 204), routing (404, and 405 with {@code Allow}), the one
 * authentication step (401 in the matched route's error shape), the route's {@link Endpoint}, and
 * the last line of defence — whatever goes wrong, the client gets the route's JSON error (or, once
 * a stream has begun, the end of the response), never a stack trace. A request the client framed
 * wrongly ({@link BadHttpRequestException}: broken chunked encoding, a body cut short, a bad
 * {@code %}-escape) is answered with its 4xx and logged at debug level in one line.
 *
 * <p>Paths no route serves may go to the binding's {@link Fallback} (static files): only
 * {@code GET}/{@code HEAD} outside {@code /v1/}.
 *
 * <p><b>Threading.</b> Immutable and thread-safe; {@link #dispatch} blocks the calling thread (a
 * virtual thread of the binding) for as long as the endpoint runs, a streaming response included.
 */
public final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    /** The binding's handler for what no route serves (static files). */
    @FunctionalInterface
    public interface Fallback {
        /** Fallback that serves nothing. */
        Fallback NONE = () -> false;

        /** Handles the exchange if it can; true if it took it (it then completes the exchange itself). */
        boolean handle() throws Exception;
    }

    private final List<Route> routes;
    private final ApiKeys keys;
    private final Cors cors;
    private final HostCheck hosts;
    private final boolean hostOwnsFront;

    /**
     * @param routes the routes, in matching order
     * @param keys   the one authentication step's keys
     * @param cors   the CORS allow-list
     * @param hosts  the host names the gateway answers to
     */
    public Dispatcher(List<Route> routes, ApiKeys keys, Cors cors, HostCheck hosts) {
        this(routes, keys, cors, hosts, false);
    }

    private Dispatcher(List<Route> routes, ApiKeys keys, Cors cors, HostCheck hosts, boolean hostOwnsFront) {
        this.routes = List.copyOf(routes);
        this.keys = keys;
        this.cors = cors;
        this.hosts = hosts;
        this.hostOwnsFront = hostOwnsFront;
    }

    /**
     * This dispatcher for a host application that owns the front door (a Spring app mounting the
     * routes): no {@link HostCheck} and no CORS handling here — the host's own filters (Spring
     * Security, its CORS configuration) have run before the exchange reaches the dispatcher. Routing,
     * the API keys (if any are configured) and error answers stay.
     */
    public Dispatcher behindHostApplication() {
        return new Dispatcher(routes, keys, cors, hosts, true);
    }

    /** Whether some route (whatever its method) matches {@code path}: a binding inside a host application hands over only those. */
    public boolean serves(String path) {
        for (Route r : routes) {
            if (r.match(path).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** The routes, in matching order. */
    public List<Route> routes() {
        return routes;
    }

    /**
     * Handles one exchange.
     *
     * @return true when the response is complete (the binding then finishes the exchange), false
     *         when the {@code fallback} took the exchange
     * @throws Exception when the response could not be completed (it had begun before a failure, or
     *                   writing the error answer failed): the binding aborts the exchange
     */
    public boolean dispatch(HttpExchange exchange, Fallback fallback) throws Exception {
        HttpRequest request = exchange.request();
        HttpResponse response = exchange.response();
        ErrorWriter errors = ErrorWriter.NATIVE;
        try {
            errors = errorsFor(request.path());
            Optional<ApiError> misdirected = hostOwnsFront ? Optional.empty() : hosts.check(request);
            if (misdirected.isPresent()) {
                throw misdirected.get().failure();
            }
            Cors.Decision origin = hostOwnsFront ? Cors.Decision.NO_ORIGIN : cors.check(request);
            if (origin == Cors.Decision.REFUSED) {
                throw ApiError.of(403, "origin_not_allowed", "this origin may not call the gateway")
                        .failure();
            }
            if (origin == Cors.Decision.ALLOWED) {
                Cors.allow(request, response);
            }
            if (!hostOwnsFront && Cors.isPreflight(request)) {
                Cors.preflight(request, response);
                Responses.noContent(response);
                return true;
            }
            String path = request.path();
            Route match = null;
            Map<String, String> params = Map.of();
            List<String> allowed = new ArrayList<>(2);
            for (Route r : routes) {
                Optional<Map<String, String>> p = r.match(path);
                if (p.isPresent()) {
                    allowed.add(r.method());
                    if (r.method().equals(request.method())) {
                        match = r;
                        params = p.get();
                        break;
                    }
                }
            }
            if (match == null) {
                if (!allowed.isEmpty()) {
                    response.setHeader("Allow", String.join(", ", allowed));
                    throw ApiError.of(
                                    405,
                                    "method_not_allowed",
                                    request.method() + " is not allowed on " + path + "; use "
                                            + String.join(" or ", allowed))
                            .failure();
                }
                // an encoded '/' never reaches the static files: a path there is a file system path
                if (!path.startsWith("/v1/")
                        && !path.contains(Route.ENCODED_SLASH)
                        && ("GET".equals(request.method()) || "HEAD".equals(request.method()))
                        && fallback.handle()) {
                    return false;
                }
                throw ApiError.of(404, "not_found", "no such endpoint: " + request.method() + " " + path)
                        .failure();
            }
            errors = match.errors();
            String principal = authenticate(match.access(), request);
            match.endpoint().handle(new Exchange(exchange, principal, params));
            return true;
        } catch (ApiError.Failure f) {
            answer(request, response, errors, f.error());
            return true;
        } catch (BadHttpRequestException e) {
            return badRequest(request, response, errors, e);
        } catch (StoreUnavailableException e) {
            if (response.committed()) {
                LOG.debug("{} {}: {}", request.method(), request.path(), e.getMessage());
                return true;
            }
            LOG.warn("{} {}: {}", request.method(), request.path(), e.getMessage());
            answer(
                    request,
                    response,
                    errors,
                    ApiError.of(503, StoreUnavailableException.CODE, "the stream store is unavailable; retry later")
                            .withHeader("Retry-After", "2"));
            return true;
        } catch (Throwable t) {
            OutOfMemory.report(t);
            if (!response.committed() && t instanceof RuntimeException r && writeOwn(request, response, errors, r)) {
                return true;
            }
            if (response.committed()) {
                LOG.debug("{} {} failed after the response began", request.method(), request.path(), t);
                throw t instanceof Exception e ? e : new IllegalStateException(t);
            }
            LOG.warn("{} {} failed", request.method(), request.path(), t);
            answer(request, response, errors, ApiError.of(500, "internal", "internal server error"));
            return true;
        }
    }

    /**
     * The error shape for any answer about {@code path}, also before routing (a refused host or
     * origin, 404, 405, a request the binding's HTTP parser refused): the shape of the first route
     * whose pattern fits the path (whatever its method), else of the route with the longest literal
     * prefix (the segments before its first placeholder) that the path continues on a segment
     * boundary — so {@code /v1/chat/completions/x} and {@code /v1/models/a/b/c} are answered in
     * OpenAI's shape — else the native shape.
     */
    public ErrorWriter errorsFor(String path) {
        ErrorWriter best = ErrorWriter.NATIVE;
        int bestLength = 0;
        for (Route r : routes) {
            if (r.match(path).isPresent()) {
                return r.errors();
            }
            String prefix = r.literalPrefix();
            if (prefix.length() > bestLength
                    && path.startsWith(prefix)
                    && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                best = r.errors();
                bestLength = prefix.length();
            }
        }
        return best;
    }

    /**
     * {@code error} written in the shape {@link #errorsFor} picks for {@code path}, into memory: for a
     * binding that answers a request its HTTP parser refused before an exchange existed.
     *
     * @param path the request's path as far as it is known; null or empty gives the native shape
     */
    public BufferedResponse renderError(String path, ApiError error) {
        BufferedResponse response = new BufferedResponse();
        try {
            (path == null || path.isEmpty() ? ErrorWriter.NATIVE : errorsFor(path)).write(response, error);
        } catch (IOException | RuntimeException e) {
            // a protocol's writer failed on a small in-memory answer: fall back to the native shape
            response = new BufferedResponse();
            try {
                ErrorWriter.NATIVE.write(response, error);
            } catch (IOException impossible) {
                throw new java.io.UncheckedIOException(impossible);
            }
        }
        return response;
    }

    /**
     * The one authentication step: the caller's principal, or the route's 401. Without API keys, the
     * user a host application authenticated ({@code user:<name>}) owns the streams, else
     * {@link ApiKeys#ANONYMOUS}.
     */
    private String authenticate(Access access, HttpRequest request) {
        if (!access.required() || !keys.required()) {
            return keys.required()
                    ? ApiKeys.ANONYMOUS
                    : request.userPrincipal().map(user -> "user:" + user).orElse(ApiKeys.ANONYMOUS);
        }
        return access.credentials()
                .presented(request)
                .flatMap(keys::authenticateToken)
                .orElseThrow(() -> access.unauthorized().failure());
    }

    /**
     * A request the client framed wrongly: its 4xx in the route's shape and one debug line, without a
     * stack trace (a client's mistake, however many, must not flood the log). When the answer cannot
     * be written (the client is gone) the failure goes back to the binding, which aborts the exchange.
     */
    private static boolean badRequest(
            HttpRequest request, HttpResponse response, ErrorWriter errors, BadHttpRequestException e)
            throws Exception {
        if (response.committed()) {
            LOG.debug(
                    "{} {} from {}: {} (after the response began)",
                    request.method(),
                    request.path(),
                    request.remoteAddress(),
                    e.getMessage());
            throw e;
        }
        try {
            errors.write(response, e.error());
        } catch (Exception x) {
            LOG.debug(
                    "{} {} from {}: {} (no answer: the client is gone)",
                    request.method(),
                    request.path(),
                    request.remoteAddress(),
                    e.getMessage());
            throw e;
        }
        LOG.debug(
                "{} {} from {}: answered {}: {}",
                request.method(),
                request.path(),
                request.remoteAddress(),
                e.status(),
                e.getMessage());
        return true;
    }

    private static boolean writeOwn(
            HttpRequest request, HttpResponse response, ErrorWriter errors, RuntimeException failure) throws Exception {
        try {
            return errors.writeOwn(response, failure);
        } catch (Exception e) {
            LOG.debug("could not send the error answer to {} {}", request.method(), request.path(), e);
            throw e;
        }
    }

    private static void answer(HttpRequest request, HttpResponse response, ErrorWriter errors, ApiError error)
            throws Exception {
        if (response.committed()) {
            throw new IllegalStateException(error.message());
        }
        try {
            errors.write(response, error);
        } catch (Exception e) {
            LOG.debug("could not send the error answer to {} {}", request.method(), request.path(), e);
            throw e;
        }
    }
}
