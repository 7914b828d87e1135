package io.aistream.server.http;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The CORS allow-list. A request with an {@code Origin} header is allowed when that origin is
 * listed (or the list holds {@code "*"}) or is the server's own origin; allowed responses get
 * {@code Access-Control-Allow-Origin: <origin>} (never {@code *}), {@code Vary: Origin} and expose
 * {@code X-Stream-Id}. A request from any other origin is refused outright (403), which also keeps
 * a web page from driving a loopback gateway through the browser of whoever runs it. Immutable.
 */
public final class Cors {
    static final String ALLOW_METHODS = "GET, POST, DELETE, OPTIONS";
    static final String ALLOW_HEADERS = "Authorization, Content-Type, Last-Event-ID";
    static final String EXPOSE_HEADERS = "X-Stream-Id";

    private final Set<String> origins;
    private final boolean any;

    public Cors(List<String> allowed) {
        this.any = allowed.contains("*");
        this.origins = allowed.stream().map(Cors::normalize).collect(Collectors.toUnmodifiableSet());
    }

    /** What to do with a request's origin. */
    public enum Decision {
        NO_ORIGIN,
        ALLOWED,
        REFUSED
    }

    public Decision check(HttpRequest request) {
        Optional<String> origin = request.header("Origin");
        if (origin.isEmpty()) {
            return Decision.NO_ORIGIN;
        }
        String normalized = normalize(origin.get());
        if (any || origins.contains(normalized) || normalized.equals(ownOrigin(request))) {
            return Decision.ALLOWED;
        }
        return Decision.REFUSED;
    }

    /** Adds the headers of an allowed cross-origin response. */
    static void allow(HttpRequest request, HttpResponse response) {
        response.setHeader(
                "Access-Control-Allow-Origin", request.header("Origin").orElseThrow());
        response.addHeader("Vary", "Origin");
        response.setHeader("Access-Control-Expose-Headers", EXPOSE_HEADERS);
    }

    /** Whether the request is a CORS preflight. */
    static boolean isPreflight(HttpRequest request) {
        return "OPTIONS".equals(request.method())
                && request.header("Access-Control-Request-Method").isPresent();
    }

    /** Adds the preflight answer's headers (the caller then sends 204). */
    static void preflight(HttpResponse response) {
        response.setHeader("Access-Control-Allow-Methods", ALLOW_METHODS);
        response.setHeader("Access-Control-Allow-Headers", ALLOW_HEADERS);
        response.setHeader("Access-Control-Max-Age", "600");
    }

    private static String ownOrigin(HttpRequest request) {
        String scheme = request.scheme();
        int port = request.port();
        boolean defaultPort =
                port <= 0 || (port == 80 && scheme.equals("http")) || (port == 443 && scheme.equals("https"));
        return normalize(scheme + "://" + request.host() + (defaultPort ? "" : ":" + port));
    }

    private static String normalize(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
