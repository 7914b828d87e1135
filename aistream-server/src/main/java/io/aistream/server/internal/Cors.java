package io.aistream.server.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * The CORS allow-list. A request with an {@code Origin} header is allowed when that origin is
 * listed (or the list holds {@code "*"}) or is the server's own origin; allowed responses get
 * {@code Access-Control-Allow-Origin: <origin>} (never {@code *}), {@code Vary: Origin} and expose
 * {@code X-Stream-Id}. A request from any other origin is refused outright (403), which also keeps
 * a web page from driving a loopback gateway through the browser of whoever runs it.
 */
final class Cors {
    static final String ALLOW_METHODS = "GET, POST, DELETE, OPTIONS";
    static final String ALLOW_HEADERS = "Authorization, Content-Type, Last-Event-ID";
    static final String EXPOSE_HEADERS = "X-Stream-Id";

    private final Set<String> origins;
    private final boolean any;

    Cors(List<String> allowed) {
        this.any = allowed.contains("*");
        this.origins = allowed.stream().map(Cors::normalize).collect(Collectors.toUnmodifiableSet());
    }

    /** What to do with a request's origin. */
    enum Decision { NO_ORIGIN, ALLOWED, REFUSED }

    Decision check(Request request) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null) {
            return Decision.NO_ORIGIN;
        }
        String normalized = normalize(origin);
        if (any || origins.contains(normalized) || normalized.equals(ownOrigin(request))) {
            return Decision.ALLOWED;
        }
        return Decision.REFUSED;
    }

    /** Adds the headers of an allowed cross-origin response. */
    static void allow(Request request, Response response) {
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, request.getHeaders().get(HttpHeader.ORIGIN));
        response.getHeaders().add(HttpHeader.VARY, "Origin");
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE_HEADERS);
    }

    /** Whether the request is a CORS preflight. */
    static boolean isPreflight(Request request) {
        return "OPTIONS".equals(request.getMethod())
                && request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD) != null;
    }

    /** Adds the preflight answer's headers (the caller then sends 204). */
    static void preflight(Response response) {
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS);
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS);
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "600");
    }

    private static String ownOrigin(Request request) {
        HttpURI uri = request.getHttpURI();
        String scheme = uri.getScheme() == null ? "http" : uri.getScheme();
        int port = uri.getPort();
        boolean defaultPort = port <= 0 || (port == 80 && scheme.equals("http")) || (port == 443 && scheme.equals("https"));
        return normalize(scheme + "://" + uri.getHost() + (defaultPort ? "" : ":" + port));
    }

    private static String normalize(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
