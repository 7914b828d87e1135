package io.aistream.servlet;

import io.aistream.server.http.BadHttpRequestException;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/**
 * The container's request body stream, with its read failures (a broken chunked body, a connection cut
 * before the declared length) turned into the client's 400: the container reports them as
 * {@link IOException}s or runtime exceptions of its own, and a body that ends before its
 * {@code Content-Length} is cut short whatever the container says. Blocking; one reader.
 */
final class RequestBody extends InputStream {
    private final HttpServletRequest request;
    private final InputStream in;
    private final long declared;
    private long read;

    RequestBody(HttpServletRequest request, InputStream in, long declared) {
        this.request = request;
        this.in = in;
        this.declared = declared;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n;
        try {
            n = in.read(buffer, offset, length);
        } catch (BadHttpRequestException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Tomcat records a failed read as the request's error exception and would render it (an
            // HTML page with a stack trace) instead of the gateway's answer: the failure is ours to answer
            request.removeAttribute(RequestDispatcher.ERROR_EXCEPTION);
            throw new BadHttpRequestException(
                    400, "the request body could not be read (broken framing, or cut short)", false);
        }
        if (n < 0) {
            if (declared >= 0 && read < declared) {
                throw new BadHttpRequestException(
                        400, "the request body ended after " + read + " of its " + declared + " bytes", true);
            }
            return -1;
        }
        read += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        try {
            in.close();
        } catch (RuntimeException e) {
            // a container that refuses to close a body it already failed: nothing left to release
        }
    }
}
