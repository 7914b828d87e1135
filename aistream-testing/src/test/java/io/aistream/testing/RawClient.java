package io.aistream.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A client over a plain socket that sees every byte the fake upstream writes. */
final class RawClient implements AutoCloseable {
    final Socket socket;
    final InputStream in;

    RawClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(20_000); // a guard only: a test that hangs fails instead
        in = new BufferedInputStream(socket.getInputStream());
    }

    /** Sends a request with a Content-Length body (empty body: none). */
    RawClient send(String method, String target, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (b.length > 0 ? "Content-Length: " + b.length + "\r\n" : "") + "\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().write(b);
        socket.getOutputStream().flush();
        return this;
    }

    RawClient sendBytes(String raw) throws IOException {
        socket.getOutputStream().write(raw.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return this;
    }

    /** The response head up to and including the blank line. */
    String head() throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the head ended early: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** One line without its CRLF. */
    String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the line ended early: " + line);
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** The chunks of a chunked body up to and including the last (empty) one. */
    List<String> chunks() throws IOException {
        List<String> chunks = new ArrayList<>();
        while (true) {
            int size = Integer.parseInt(line(), 16);
            if (size == 0) {
                if (!line().isEmpty()) {
                    throw new IOException("trailers were not expected");
                }
                return chunks;
            }
            chunks.add(new String(in.readNBytes(size), StandardCharsets.UTF_8));
            if (!line().isEmpty()) {
                throw new IOException("no CRLF after a chunk");
            }
        }
    }

    /** Exactly {@code n} bytes, as UTF-8. */
    String bytes(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new IOException("got " + b.length + " of " + n + " bytes");
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Everything until the server closes the connection. */
    String rest() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
