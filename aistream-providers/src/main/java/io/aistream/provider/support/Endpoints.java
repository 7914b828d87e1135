package io.aistream.provider.support;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Builds provider endpoints from a configured base URL. Stateless. */
public final class Endpoints {
    private Endpoints() {}

    /** The base URL as text, without its trailing slashes. */
    public static String trimmed(URI baseUrl) {
        String base = baseUrl.toString();
        int end = base.length();
        while (end > 0 && base.charAt(end - 1) == '/') {
            end--;
        }
        return base.substring(0, end);
    }

    /** {@code path} (starting with {@code /}) appended to the base URL without its trailing slashes. */
    public static URI append(URI baseUrl, String path) {
        return URI.create(trimmed(baseUrl) + path);
    }

    /**
     * Percent-encodes a path segment: everything but RFC 3986 unreserved characters (and the
     * characters of {@code alsoKept}, which a segment may hold as they are) becomes {@code %XX} of its
     * UTF-8 bytes, hex digits upper-case, as AWS and Google encode path labels.
     */
    public static String encodeSegment(String segment, String alsoKept) {
        StringBuilder out = new StringBuilder(segment.length() + 8);
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || (c < 0x80 && alsoKept.indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    /** {@link #encodeSegment(String, String)} keeping only the unreserved characters. */
    public static String encodeSegment(String segment) {
        return encodeSegment(segment, "");
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
