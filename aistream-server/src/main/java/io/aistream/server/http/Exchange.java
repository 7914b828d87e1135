package io.aistream.server.http;

import java.util.Map;

/**
 * One request on its way through an {@link Endpoint}, after routing and authentication.
 *
 * @param http       the binding's exchange
 * @param principal  the authenticated caller ({@code key:…}, or {@code anonymous} without keys)
 * @param pathParams values of the route's {@code {name}} segments
 */
public record Exchange(HttpExchange http, String principal, Map<String, String> pathParams) {
    public Exchange {
        pathParams = Map.copyOf(pathParams);
    }

    public HttpRequest request() {
        return http.request();
    }

    public HttpResponse response() {
        return http.response();
    }

    /** The value of a {@code {name}} segment of the matched pattern. */
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the route has no path parameter " + name);
        }
        return value;
    }
}
