package io.aistream.servlet;

import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The response body as the gateway writes it: blocking writes on the exchange's virtual thread to the
 * container's {@link ServletOutputStream} in async mode (no write listener: the stream then blocks
 * the calling thread, which here is a virtual one, and holds no container thread). Each
 * {@link #flush()} pushes the buffered bytes to the connection. Any failure (the client left, the
 * container gave up on the exchange) is an {@link IOException} and tells the {@link ClientWatch}.
 *
 * <p>Why blocking writes and not {@code setWriteListener}: the gateway's writer is already a blocking
 * thread of its own, so a non-blocking façade would only add a hand-off and a wait on every event; a
 * blocking write parks the virtual thread exactly as long as the socket is full.
 */
final class ResponseBody extends OutputStream {
    private final ServletOutputStream out;
    private final ClientWatch watch;

    ResponseBody(ServletOutputStream out, ClientWatch watch) {
        this.out = out;
        this.watch = watch;
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        try {
            out.write(bytes, offset, length);
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    private IOException failed(Exception e) {
        watch.clientGone();
        return e instanceof IOException io ? io : new IOException("the response can no longer be written", e);
    }
}
