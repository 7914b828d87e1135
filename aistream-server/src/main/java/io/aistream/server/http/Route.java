package io.aistream.server.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A method and a path pattern ({@code /v1/streams/{id}}) bound to an {@link Endpoint}.
 *
 * @param method   the HTTP method
 * @param pattern  literal segments and {@code {name}} placeholders (one segment each)
 * @param access   who may call it (checked by the {@link Dispatcher})
 * @param errors   the shape its errors are answered in
 * @param endpoint what handles it
 */
public record Route(String method, String pattern, Access access, ErrorWriter errors, Endpoint endpoint) {
    /**
     * How a binding presents a {@code /} that the client encoded ({@code %2F}) inside a path segment,
     * so that it never separates segments: an encoded slash cannot route a request to another route.
     * {@link #match} decodes it in path parameters ({@code /v1/models/simulated%2Fecho} gives the id
     * {@code simulated/echo}).
     */
    public static final String ENCODED_SLASH = "%2F";

    /** A route with the native error shape. */
    public Route(String method, String pattern, Access access, Endpoint endpoint) {
        this(method, pattern, access, ErrorWriter.NATIVE, endpoint);
    }

    /** The pattern's literal segments before its first placeholder, e.g. {@code /v1/streams} for {@code /v1/streams/{id}}. */
    public String literalPrefix() {
        int placeholder = pattern.indexOf("/{");
        return placeholder < 0 ? pattern : pattern.substring(0, placeholder);
    }

    private static List<String> segments(String path) {
        return List.of(path.substring(1).split("/", -1));
    }

    /** The path parameters if {@code path} fits the pattern. */
    public Optional<Map<String, String>> match(String path) {
        if (!path.startsWith("/")) {
            return Optional.empty();
        }
        List<String> want = segments(pattern);
        List<String> got = segments(path);
        if (want.size() != got.size()) {
            return Optional.empty();
        }
        Map<String, String> params = new HashMap<>(2);
        for (int i = 0; i < want.size(); i++) {
            String w = want.get(i);
            String g = got.get(i);
            if (w.startsWith("{") && w.endsWith("}")) {
                if (g.isEmpty()) {
                    return Optional.empty();
                }
                params.put(w.substring(1, w.length() - 1), g.replace(ENCODED_SLASH, "/"));
            } else if (!w.equals(g)) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }
}
