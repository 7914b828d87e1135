package io.aistream.server.http;

import io.aistream.json.Jackson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Writing whole (non-streaming) responses, blocking the calling (virtual) thread. */
public final class Responses {
    /** The mapper for the gateway's JSON answers and request trees. */
    public static final JsonMapper JSON = Jackson.mapper();

    public static final String JSON_TYPE = "application/json; charset=utf-8";

    private Responses() {}

    public static void json(HttpResponse response, int status, ObjectNode body) throws IOException {
        send(response, status, JSON_TYPE, JSON.writeValueAsBytes(body));
    }

    /** Writes {@code error} in the native shape, with its extra headers. */
    public static void error(HttpResponse response, ApiError error) throws IOException {
        for (Map.Entry<String, String> h : error.headers().entrySet()) {
            response.setHeader(h.getKey(), h.getValue());
        }
        json(response, error.status(), errorBody(error));
    }

    /** {@code {"error":{"code":…,"message":…,"field":…}}}. */
    public static ObjectNode errorBody(ApiError error) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode e = root.putObject("error");
        e.put("code", error.code());
        e.put("message", error.message());
        error.field().ifPresent(f -> e.put("field", f));
        return root;
    }

    public static void text(HttpResponse response, int status, String contentType, String body) throws IOException {
        send(response, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public static void noContent(HttpResponse response) throws IOException {
        response.status(204);
        response.write(new byte[0]);
    }

    public static void send(HttpResponse response, int status, String contentType, byte[] body) throws IOException {
        response.status(status);
        response.setHeader("Content-Type", contentType);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Length", Integer.toString(body.length));
        response.write(body);
    }
}
