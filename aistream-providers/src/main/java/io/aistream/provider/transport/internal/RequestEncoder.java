package io.aistream.provider.transport.internal;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.provider.spi.UpstreamRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Encodes a provider's POST as HTTP/1.1 bytes, checking every header on the way.
 *
 * <p>The head is: request line (raw path and raw query of the URI), {@code Host}, the provider's
 * headers in their order, {@code User-Agent} and {@code Accept-Encoding: identity} unless given, and
 * {@code Content-Length}. Header names must be HTTP tokens; values may not hold CR, LF, NUL or other
 * control characters (HTAB aside) nor characters beyond ISO-8859-1. The headers the transport sets
 * itself — {@code Host}, {@code Content-Length}, {@code Transfer-Encoding}, {@code Connection},
 * {@code Expect}, {@code Upgrade} — may not be given. A refusal names the header, never its value.
 */
final class RequestEncoder {
    /** Head and body go out in one write up to this size. */
    static final int ONE_WRITE_LIMIT = 64 * 1024;

    private static final Set<String> RESERVED =
            Set.of("host", "content-length", "transfer-encoding", "connection", "expect", "upgrade");

    private RequestEncoder() {}

    /**
     * The bytes to write: {@code head} (with the body appended when small) and {@code body}
     * ({@code null} when already appended).
     */
    record Encoded(byte[] head, byte[] body) {}

    /**
     * Encodes {@code request}.
     *
     * @throws AIStreamException ({@link ErrorCode#INTERNAL}) if a header cannot be sent
     */
    static Encoded encode(UpstreamRequest request, Endpoint endpoint, String userAgent, String provider) {
        StringBuilder head = new StringBuilder(256);
        head.append("POST ").append(requestTarget(request.uri())).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(endpoint.hostHeader()).append("\r\n");
        boolean userAgentGiven = false;
        boolean acceptEncodingGiven = false;
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            String name = header.getKey();
            checkName(name, provider);
            String lower = name.toLowerCase(Locale.ROOT);
            if (RESERVED.contains(lower)) {
                throw refused(
                        provider, "the request header '" + name + "' is set by the transport and may not be given");
            }
            userAgentGiven |= lower.equals("user-agent");
            acceptEncodingGiven |= lower.equals("accept-encoding");
            for (String value : header.getValue()) {
                checkValue(name, value, provider);
                head.append(name).append(": ").append(value).append("\r\n");
            }
        }
        if (!userAgentGiven) {
            head.append("User-Agent: ").append(userAgent).append("\r\n");
        }
        if (!acceptEncodingGiven) {
            head.append("Accept-Encoding: identity\r\n");
        }
        byte[] body = request.body();
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (headBytes.length + body.length > ONE_WRITE_LIMIT) {
            return new Encoded(headBytes, body);
        }
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return new Encoded(all, null);
    }

    /** Raw path (or {@code /}) and raw query: exactly as the provider encoded them. */
    static String requestTarget(URI uri) {
        String path = uri.getRawPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        String query = uri.getRawQuery();
        return query == null ? path : path + "?" + query;
    }

    private static void checkName(String name, String provider) {
        if (name.isEmpty()) {
            throw refused(provider, "a request header has an empty name");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                throw refused(
                        provider,
                        "the request header name '" + printable(name)
                                + "' has a character not allowed in an HTTP header name");
            }
        }
    }

    private static void checkValue(String name, String value, String provider) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                // the value is never echoed: it may be a credential
                throw refused(
                        provider,
                        "the value of the request header '" + name + "' has a character not allowed"
                                + " in HTTP (CR, LF, NUL, another control character, or beyond ISO-8859-1)");
            }
        }
    }

    /** RFC 9110 tchar. */
    static boolean isTokenChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** {@code s} with control and non-ASCII characters escaped, for messages. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    private static AIStreamException refused(String provider, String what) {
        return new AIStreamException(ErrorCode.INTERNAL, provider + ": " + what);
    }
}
