package io.aistream.server.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The gateway's defence against DNS rebinding: which {@code Host} values it answers to. A web page on
 * {@code rebind.attacker.example} whose name an attacker re-points at 127.0.0.1 reaches a loopback
 * gateway from the victim's browser, but the browser still sends {@code Host: rebind.attacker.example}
 * — so a request naming a host the gateway does not answer to is refused with 421 (Misdirected
 * Request) before anything else happens (CORS, routing, authentication, static files, WebSocket
 * upgrades).
 *
 * <p>The host is the one the request names: the {@code Host} header, or HTTP/2's {@code :authority}
 * (which the binding presents as {@link HttpRequest#host()}); the port is ignored. Names are compared
 * case-insensitively and exactly — {@code localhost.} (trailing dot) is not {@code localhost}.
 * <ul>
 *   <li>Loopback hosts are always served: {@code localhost}, an IPv4 literal in {@code 127.0.0.0/8}
 *       and {@code [::1]} (in any spelling). A browser only sends these when the page itself is on a
 *       loopback origin, so they cannot carry a rebinding.</li>
 *   <li>Without API keys nothing else is served (the gateway is a loopback development server).</li>
 *   <li>With an explicit allow-list ({@code allowedHosts}), its names are served too: exact names, IP
 *       literals ({@code [2001:db8::1]}) and {@code *.example.com} (any name below {@code example.com},
 *       not {@code example.com} itself).</li>
 *   <li>With API keys and no allow-list, every host is served (the keys guard the API; {@code /health}
 *       and the static files stay reachable under any name).</li>
 *   <li>A request that names no host at all (HTTP/1.0 without {@code Host}; browsers always send one)
 *       is judged by the host the binding fills in — Jetty: the local address it arrived on, so it is
 *       served on a loopback gateway.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class HostCheck {
    /** The code of the 421 answer. */
    public static final String CODE = "host_not_allowed";

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern NAME =
            Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-f:.]+");
    private static final int MAX_ECHOED = 100;

    private final List<String> allowed;
    private final boolean anyHost;

    /**
     * @param allowedHosts  normalized entries (see {@link #normalize(String)}); empty = the default for
     *                      {@code keysRequired}
     * @param keysRequired  whether callers must present an API key; without keys and without an
     *                      allow-list only loopback hosts are served
     */
    public HostCheck(List<String> allowedHosts, boolean keysRequired) {
        this.allowed = List.copyOf(allowedHosts);
        this.anyHost = keysRequired && allowed.isEmpty();
    }

    /** Only loopback hosts (the default without API keys). */
    public static HostCheck loopbackOnly() {
        return new HostCheck(List.of(), false);
    }

    /** The 421 answer for a request whose host this gateway does not serve, or empty when it serves it. */
    public Optional<ApiError> check(HttpRequest request) {
        if (anyHost) {
            return Optional.empty();
        }
        String host = request.host().toLowerCase(Locale.ROOT);
        if (isLoopbackHost(host) || listed(host)) {
            return Optional.empty();
        }
        return Optional.of(ApiError.of(421, CODE, refusal(request)));
    }

    /** Whether a host (lower case, no port) is on the explicit allow-list. */
    boolean listed(String host) {
        for (String entry : allowed) {
            if (entry.startsWith("*.") ? host.endsWith(entry.substring(1)) : host.equals(entry)) {
                return true;
            }
        }
        return false;
    }

    /** Whether an explicit allow-list is configured. */
    boolean hasList() {
        return !allowed.isEmpty();
    }

    private String refusal(HttpRequest request) {
        // what the request named (Host, or HTTP/2's :authority), as the binding parsed it
        String named = request.host() + (request.port() > 0 ? ":" + request.port() : "");
        if (named.length() > MAX_ECHOED) {
            named = named.substring(0, MAX_ECHOED) + "…";
        }
        String served = allowed.isEmpty()
                ? "localhost, 127.0.0.1 and [::1] (any port; without API keys the gateway serves only loopback"
                        + " names)"
                : String.join(", ", allowed) + " and localhost, 127.0.0.1, [::1] (any port)";
        return "this gateway does not serve the host '" + named + "'; it answers to " + served;
    }

    /**
     * Whether a host (lower case, IPv6 in brackets, no port) is a loopback one: {@code localhost}, an
     * IPv4 literal in {@code 127.0.0.0/8} or the IPv6 loopback literal. Never resolves a name.
     */
    static boolean isLoopbackHost(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        if (IPV4.matcher(host).matches()) {
            return host.startsWith("127.") && validIpv4(host);
        }
        if (host.length() > 2 && host.startsWith("[") && host.endsWith("]")) {
            String literal = host.substring(1, host.length() - 1);
            if (!literal.contains(":") || !IPV6_CHARS.matcher(literal).matches()) {
                return false;
            }
            try {
                return InetAddress.getByName(literal).isLoopbackAddress(); // a literal: no lookup
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    private static boolean validIpv4(String host) {
        for (String octet : host.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * One {@code allowedHosts} entry, normalized: lower case, an IPv6 literal in brackets.
     *
     * @throws IllegalArgumentException naming the entry when it is not a host name, an IP literal or
     *                                  {@code *.name} (a URL, a port, {@code *} alone, …)
     */
    public static String normalize(String entry) {
        String e = entry.strip().toLowerCase(Locale.ROOT);
        String why = null;
        if (e.isEmpty()) {
            why = "must not be blank";
        } else if (e.contains("/")) {
            why = "must be a host name, not a URL (no scheme, no path)";
        } else if (e.equals("*")) {
            why = "'*' is not an entry: leave allowedHosts empty to accept any host (with API keys)";
        } else if (e.startsWith("[") || e.chars().filter(c -> c == ':').count() > 1) {
            String literal = e.startsWith("[") && e.endsWith("]") ? e.substring(1, e.length() - 1) : e;
            if (!literal.contains(":") || !IPV6_CHARS.matcher(literal).matches()) {
                why = "is not an IPv6 literal";
            } else {
                e = "[" + literal + "]";
            }
        } else if (e.contains(":")) {
            why = "must not name a port (every port of an allowed host is accepted)";
        } else {
            String name = e.startsWith("*.") ? e.substring(2) : e;
            if (!NAME.matcher(name).matches()) {
                why = "must be a host name, an IP literal or *.domain";
            }
        }
        if (why != null) {
            throw new IllegalArgumentException("allowedHosts entry '" + entry.strip() + "' " + why);
        }
        return e;
    }

    /** Every entry {@link #normalize(String) normalized}, in order. */
    public static List<String> normalizeAll(List<String> entries) {
        List<String> out = new ArrayList<>(entries.size());
        for (String e : entries) {
            out.add(normalize(e));
        }
        return List.copyOf(out);
    }
}
