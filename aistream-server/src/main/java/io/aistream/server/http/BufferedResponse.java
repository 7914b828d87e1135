package io.aistream.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A response held in memory, for a binding that must answer an error outside an exchange the
 * {@link Dispatcher} handles (a request its HTTP parser refused): {@link Dispatcher#renderError}
 * writes the route's error shape into it, and the binding copies status, headers and body to the
 * wire its own way (without blocking, where that matters). Holds at most {@value #MAX_BYTES} bytes
 * of body: an error answer is small, and a writer that goes beyond fails with an {@link IOException}.
 * Not thread-safe: one thread writes it, then reads it.
 */
public final class BufferedResponse implements HttpResponse {
    /** The bound of the body. */
    public static final int MAX_BYTES = 64 * 1024;

    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final OutputStream body = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (bytes.size() + len > MAX_BYTES) {
                throw new IOException("an error answer of more than " + MAX_BYTES + " bytes");
            }
            bytes.write(b, off, len);
        }
    };
    private int status = 200;

    /** An empty response: status 200, no headers, no body. */
    public BufferedResponse() {}

    @Override
    public void status(int status) {
        this.status = status;
    }

    /** The status set, 200 when none was. */
    public int status() {
        return status;
    }

    @Override
    public void setHeader(String name, String value) {
        headers.removeIf(h -> h.getKey().equalsIgnoreCase(name));
        headers.add(Map.entry(name, value));
    }

    @Override
    public void addHeader(String name, String value) {
        headers.add(Map.entry(name, value));
    }

    /** The headers set, in order; a name may repeat. */
    public List<Map.Entry<String, String>> headers() {
        return Collections.unmodifiableList(headers);
    }

    /** The body written so far. */
    public byte[] bytes() {
        return bytes.toByteArray();
    }

    /** Never: nothing of it is on the wire. */
    @Override
    public boolean committed() {
        return false;
    }

    @Override
    public OutputStream body() {
        return body;
    }

    @Override
    public void write(byte[] content) throws IOException {
        body.write(content, 0, content.length);
    }

    /** Nothing to watch: the response is not on a connection. */
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
}
