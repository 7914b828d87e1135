package io.aistream.server.anthropic;

import io.aistream.server.http.ClientGone;
import io.aistream.server.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An in-memory {@link HttpResponse}: status, headers and body bytes, for encoder tests. Not thread-safe. */
final class CapturedResponse implements HttpResponse {
    final Map<String, String> headers = new LinkedHashMap<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    int status;

    @Override
    public void status(int value) {
        status = value;
    }

    @Override
    public void setHeader(String name, String value) {
        headers.put(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        headers.merge(name, value, (a, b) -> a + ", " + b);
    }

    @Override
    public boolean committed() {
        return body.size() > 0;
    }

    @Override
    public ByteArrayOutputStream body() {
        return body;
    }

    @Override
    public void write(byte[] bytes) {
        body.writeBytes(bytes);
    }

    @Override
    public ClientGone watchClient(Runnable onGone) {
        return new ClientGone() {
            @Override
            public boolean disconnected() {
                return false;
            }

            @Override
            public void close() {}
        };
    }

    String text() {
        return body.toString(StandardCharsets.UTF_8);
    }
}
