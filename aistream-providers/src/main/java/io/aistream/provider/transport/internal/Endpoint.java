package io.aistream.provider.transport.internal;

import java.net.URI;
import java.util.Locale;

/**
 * Where a request goes: scheme, host and port — the key of the keep-alive pool.
 *
 * @param secure {@code https}
 * @param host   the host as the URI spells it, lower-cased (an IPv6 literal keeps its brackets)
 * @param port   the port, the scheme's default when the URI names none
 */
record Endpoint(boolean secure, String host, int port) {

    /**
     * The endpoint of {@code uri}.
     *
     * @throws IllegalArgumentException if the scheme is not http or https, or there is no host
     */
    static Endpoint of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = switch (scheme) {
            case "https" -> true;
            case "http" -> false;
            default -> throw new IllegalArgumentException("unsupported URI scheme '" + scheme + "' (http or https)");
        };
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("the URI has no host");
        }
        int port = uri.getPort() < 0 ? defaultPort(secure) : uri.getPort();
        return new Endpoint(secure, host.toLowerCase(Locale.ROOT), port);
    }

    private static int defaultPort(boolean secure) {
        return secure ? 443 : 80;
    }

    /** The {@code Host} header: the host, and the port unless it is the scheme's default. */
    String hostHeader() {
        return port == defaultPort(secure) ? host : host + ":" + port;
    }

    /** The host to resolve and connect to (an IPv6 literal without its brackets). */
    String socketHost() {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Whether the host is an IP literal (no SNI is sent for those). */
    boolean isIpLiteral() {
        String h = socketHost();
        if (h.indexOf(':') >= 0) {
            return true;
        }
        int dots = 0;
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dots == 3;
    }

    @Override
    public String toString() {
        return (secure ? "https://" : "http://") + host + ":" + port;
    }
}
