package io.aistream.provider.spi;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP request a provider wants sent: always a POST of a JSON (or provider-specific) body.
 *
 * @param uri     the full endpoint URI
 * @param headers request headers (credentials included; never logged)
 * @param body    the request body bytes
 */
public record UpstreamRequest(URI uri, Map<String, List<String>> headers, byte[] body) {
    public UpstreamRequest {
        Objects.requireNonNull(uri, "uri");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** A string view of the request without header values, safe to log. */
    @Override
    public String toString() {
        return "UpstreamRequest[POST " + uri + ", headers=" + headers.keySet() + ", " + body.length + " bytes]";
    }
}
