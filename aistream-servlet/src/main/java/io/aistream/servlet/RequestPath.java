package io.aistream.servlet;

import io.aistream.server.http.Route;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The gateway's view of a request path: the raw request URI without the context path and the base
 * path, path parameters ({@code ;jsessionid=…}) dropped, each segment percent-decoded on its own so
 * that a {@code /} the client encoded stays inside its segment as {@link Route#ENCODED_SLASH}. The raw
 * URI is used because the container's decoded forms ({@code getServletPath}, {@code getPathInfo}) no
 * longer tell an encoded {@code /} from a separator.
 */
final class RequestPath {
    private RequestPath() {}

    /**
     * The path inside the gateway, {@code /} at least; null when the request is not under {@code basePath}.
     *
     * @param basePath "" or a path without a trailing {@code /} ({@code /ai})
     */
    static String of(HttpServletRequest request, String basePath) {
        String raw = request.getRequestURI();
        if (raw == null) {
            return null;
        }
        String context = request.getContextPath();
        if (context != null && !context.isEmpty() && raw.startsWith(context)) {
            raw = raw.substring(context.length());
        }
        if (!basePath.isEmpty()) {
            if (!raw.startsWith(basePath)
                    || (raw.length() > basePath.length() && raw.charAt(basePath.length()) != '/')) {
                return null;
            }
            raw = raw.substring(basePath.length());
        }
        return raw.isEmpty() ? "/" : decode(raw);
    }

    /** Decodes each segment of a raw path; escapes that are not valid stay as they are. */
    static String decode(String raw) {
        StringBuilder path = new StringBuilder(raw.length());
        int from = 0;
        while (from <= raw.length()) {
            int slash = raw.indexOf('/', from);
            int end = slash < 0 ? raw.length() : slash;
            String segment = raw.substring(from, end);
            int params = segment.indexOf(';');
            if (params >= 0) {
                segment = segment.substring(0, params);
            }
            path.append(decodeSegment(segment));
            if (slash < 0) {
                break;
            }
            path.append('/');
            from = slash + 1;
        }
        String decoded = path.toString();
        return decoded.startsWith("/") ? decoded : "/" + decoded;
    }

    private static String decodeSegment(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%'
                    && i + 2 < segment.length()
                    && hex(segment.charAt(i + 1)) >= 0
                    && hex(segment.charAt(i + 2)) >= 0) {
                int b = hex(segment.charAt(i + 1)) * 16 + hex(segment.charAt(i + 2));
                if (b == '/') {
                    bytes.writeBytes(Route.ENCODED_SLASH.getBytes(StandardCharsets.US_ASCII));
                } else {
                    bytes.write(b);
                }
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
