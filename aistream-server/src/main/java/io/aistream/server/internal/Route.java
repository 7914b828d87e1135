package io.aistream.server.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A method and a path pattern ({@code /v1/streams/{id}}) bound to an {@link Endpoint}.
 *
 * @param method        the HTTP method
 * @param pattern       literal segments and {@code {name}} placeholders (one segment each)
 * @param authenticated whether a bearer key is required (when keys are configured)
 * @param endpoint      what handles it
 */
record Route(String method, String pattern, boolean authenticated, Endpoint endpoint) {
    private static List<String> segments(String path) {
        return List.of(path.substring(1).split("/", -1));
    }

    /** The path parameters if {@code path} fits the pattern. */
    Optional<Map<String, String>> match(String path) {
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
                params.put(w.substring(1, w.length() - 1), g);
            } else if (!w.equals(g)) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }
}
