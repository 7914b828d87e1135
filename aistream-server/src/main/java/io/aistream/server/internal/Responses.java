package io.aistream.server.internal;

import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.core.json.JsonFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Writing whole (non-streaming) responses, blocking the calling (virtual) thread. */
final class Responses {
    static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedBoundedPool()).build()).build();
    static final String JSON_TYPE = "application/json; charset=utf-8";

    private Responses() {
    }

    static void json(Response response, int status, ObjectNode body) throws IOException {
        send(response, status, JSON_TYPE, JSON.writeValueAsBytes(body));
    }

    static void error(Response response, ApiError error) throws IOException {
        for (Map.Entry<String, String> h : error.headers().entrySet()) {
            response.getHeaders().put(h.getKey(), h.getValue());
        }
        json(response, error.status(), errorBody(error));
    }

    static ObjectNode errorBody(ApiError error) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode e = root.putObject("error");
        e.put("code", error.code());
        e.put("message", error.message());
        error.field().ifPresent(f -> e.put("field", f));
        return root;
    }

    static void text(Response response, int status, String contentType, String body) throws IOException {
        send(response, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    static void noContent(Response response) throws IOException {
        response.setStatus(204);
        write(response, ByteBuffer.allocate(0));
    }

    static void send(Response response, int status, String contentType, byte[] body) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
        write(response, ByteBuffer.wrap(body));
    }

    private static void write(Response response, ByteBuffer body) throws IOException {
        Callback.Completable done = new Callback.Completable();
        response.write(true, body, done);
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing the response", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }
}
