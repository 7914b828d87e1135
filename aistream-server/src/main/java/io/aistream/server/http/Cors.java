package io.aistream.server.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The CORS allow-list. A request with an {@code Origin} header is allowed when
 * <ul>
 *   <li>that origin is listed in {@code corsOrigins} (or the list holds {@code "*"});</li>
 *   <li>it is a loopback origin of the port the request arrived on — {@code http://127.0.0.1:<port>},
 *       {@code http://localhost:<port>}, {@code http://[::1]:<port>} — which is the gateway's own
 *       demo page on a loopback connection; or</li>
 *   <li>an explicit {@code allowedHosts} list is configured and the origin's host is on it (any scheme
 *       and port).</li>
 * </ul>
 * Same-origin is never derived from the request's {@code Host}: with DNS rebinding, {@code Origin}
 * and {@code Host} both name the attacker's site. Allowed responses get
 * {@code Access-Control-Allow-Origin: <origin>} (never {@code *}), {@code Vary: Origin} and expose
 * {@code X-Stream-Id}. A request from any other origin is refused outright (403), which also keeps
 * a web page from driving a loopback gateway through the browser of whoever runs it; each refused
 * origin is logged once, at info level, with how to allow it ({@link RefusedOrigins}: bounded).
 * Thread-safe.
 */
public final class Cors {
    static final String ALLOW_METHODS = "GET, POST, DELETE, OPTIONS";
    /** Anthropic's browser clients send their key and version headers: the Messages endpoint takes them. */
    static final String ALLOW_HEADERS = "Authorization, Content-Type, Last-Event-ID, x-api-key, anthropic-version,"
            + " anthropic-beta, anthropic-dangerous-direct-browser-access";

    static final String EXPOSE_HEADERS = "X-Stream-Id";
    static final int MAX_REQUESTED_HEADERS = 2048;
    private static final java.util.regex.Pattern HEADER_NAMES =
            java.util.regex.Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+(\\s*,\\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*");

    private final Set<String> origins;
    private final boolean any;
    private final HostCheck hosts;
    private final RefusedOrigins refused = new RefusedOrigins();

    /** An allow-list of {@code allowed} origins, without an {@code allowedHosts} list. */
    public Cors(List<String> allowed) {
        this(allowed, HostCheck.loopbackOnly());
    }

    /**
     * @param allowed the {@code corsOrigins}
     * @param hosts   the gateway's host check, whose explicit {@code allowedHosts} (if any) are
     *                allowed origins too
     */
    public Cors(List<String> allowed, HostCheck hosts) {
        this.any = allowed.contains("*");
        this.origins = allowed.stream().map(Cors::normalize).collect(Collectors.toUnmodifiableSet());
        this.hosts = hosts;
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
        if (any || origins.contains(normalized) || ownOrAllowed(normalized, request.localPort())) {
            return Decision.ALLOWED;
        }
        refused.refused(normalized);
        return Decision.REFUSED;
    }

    /** Whether an origin is a loopback origin of {@code localPort} or has an explicitly allowed host. */
    private boolean ownOrAllowed(String origin, int localPort) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return false; // "null" (opaque origins) and garbage
        }
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (host == null
                || uri.getRawUserInfo() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || !("http".equals(scheme) || "https".equals(scheme))) {
            return false;
        }
        if (hosts.hasList() && hosts.listed(host)) {
            return true;
        }
        int port = uri.getPort() < 0 ? ("https".equals(scheme) ? 443 : 80) : uri.getPort();
        return "http".equals(scheme) && localPort > 0 && port == localPort && HostCheck.isLoopbackHost(host);
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

    /**
     * Adds the preflight answer's headers (the caller then sends 204). The headers allowed are the
     * gateway's own plus those the browser asks for ({@code Access-Control-Request-Headers}): the
     * official SDKs send headers of their own ({@code x-stainless-*}, {@code anthropic-version},
     * {@code x-api-key}, …), and the origin is already allowed, so naming them adds no exposure. A
     * request-headers value that is not a list of header names (or longer than
     * {@value #MAX_REQUESTED_HEADERS} characters) is not echoed.
     */
    static void preflight(HttpRequest request, HttpResponse response) {
        response.setHeader("Access-Control-Allow-Methods", ALLOW_METHODS);
        String requested = request.header("Access-Control-Request-Headers")
                .map(String::strip)
                .orElse("");
        boolean echo = !requested.isEmpty()
                && requested.length() <= MAX_REQUESTED_HEADERS
                && HEADER_NAMES.matcher(requested).matches();
        response.setHeader("Access-Control-Allow-Headers", echo ? ALLOW_HEADERS + ", " + requested : ALLOW_HEADERS);
        response.addHeader("Vary", "Access-Control-Request-Headers");
        response.setHeader("Access-Control-Max-Age", "600");
    }

    private static String normalize(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
