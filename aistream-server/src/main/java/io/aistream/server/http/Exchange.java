package io.aistream.server.http;

import io.aistream.request.ChatRequestJson;
import io.aistream.request.InvalidRequestException;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

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

    /**
     * The request body, at most {@code maxBytes}, parsed as JSON and read by {@code reader}.
     *
     * @throws ApiError.Failure 415 when the {@code Content-Type} is not JSON (see {@link #readJsonBytes});
     *                          413 when the body is too long; 400 {@code invalid_request} (see
     *                          {@link ApiError#invalid(InvalidRequestException)}) when it is not JSON or
     *                          {@code reader} throws {@link InvalidRequestException}
     */
    public <T> T readJsonBody(int maxBytes, Function<JsonNode, T> reader) throws IOException {
        byte[] body = readJsonBytes(maxBytes);
        try {
            return reader.apply(ChatRequestJson.readTree(body));
        } catch (InvalidRequestException e) {
            throw ApiError.invalid(e).failure();
        }
    }

    /**
     * The bytes of a request body that must be JSON, at most {@code maxBytes}; every endpoint that reads
     * a JSON body reads it through here (or {@link #readJsonBody}).
     *
     * @throws ApiError.Failure 415 {@code unsupported_media_type} when the request declares a
     *                          {@code Content-Type} that is not JSON ({@code application/json} or
     *                          {@code application/*+json}, with any parameters), before anything is
     *                          read; 413 when the body is too long. A request without
     *                          {@code Content-Type} is read as JSON (browsers always send one, so this
     *                          only serves scripts that forget it)
     */
    public byte[] readJsonBytes(int maxBytes) throws IOException {
        Bodies.requireJson(request());
        return request().readBody(maxBytes);
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
