package io.aistream.testing;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request a {@link FakeUpstream} received: request line, headers, the whole body, and when it
 * was read. Immutable.
 *
 * @param method     the method, e.g. {@code POST}
 * @param target     the request target as sent (path and query, not decoded)
 * @param headers    header values by lower-case name, in the order received (repeated headers keep every value)
 * @param body       the body bytes (de-chunked if the client sent it chunked); empty if none
 * @param receivedAt the {@link System#nanoTime()} at which the whole request had been read
 */
public record RecordedRequest(
        String method, String target, Map<String, List<String>> headers, byte[] body, long receivedAt) {

    /** Copies its arguments; header names are made lower-case. */
    public RecordedRequest {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> copy.merge(
                name.toLowerCase(Locale.ROOT),
                List.copyOf(values),
                (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList()));
        headers = java.util.Collections.unmodifiableMap(copy);
        body = body.clone();
    }

    /** The body (a copy). */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The first value of a header (name case-insensitive). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** Every value of a header (name case-insensitive), in the order received; empty if absent. */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** The target without its query. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        String text = bodyText();
        return method + " " + target + " " + headers + " "
                + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }
}
