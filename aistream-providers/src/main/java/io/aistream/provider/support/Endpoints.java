package io.aistream.provider.support;

import java.net.URI;

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
}
