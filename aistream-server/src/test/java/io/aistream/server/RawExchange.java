package io.aistream.server;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request written byte for byte on a fresh socket, with whatever {@code Host} line (or none) and
 * HTTP version the test chooses, sent with {@code Connection: close} unless the test gives a
 * {@code Connection} header; the response body is read by its {@code Content-Length}, else to the
 * end. For tests about what the gateway does with the request line and headers themselves.
 *
 * @param status  the status code
 * @param headers header names in lower case, first value
 * @param body    the raw body (chunk framing included when chunked)
 */
record RawExchange(int status, Map<String, String> headers, String body) {
    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    /** A native request body for the simulated provider's echo model (it ends by itself). */
    static final String NATIVE_ECHO = "{\"provider\":\"simulated\",\"model\":\"echo\"," + HI + "}";

    /** An OpenAI request body for the simulated provider's echo model. */
    static final String OPENAI_ECHO = "{\"model\":\"simulated/echo\"," + HI + "}";

    /** A UI chat request body for the simulated provider's echo model. */
    static final String UI_ECHO = "{\"messages\":[{\"id\":\"u1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\","
            + "\"text\":\"hi\"}]}],\"trigger\":\"submit-message\",\"provider\":\"simulated\",\"model\":\"echo\","
            + "\"resumable\":false}";

    /**
     * Sends {@code requestLine}, then {@code headerLines} (each without CRLF; a {@code Host} line only if
     * the test gives one), {@code Connection: close}, a {@code Content-Length} when there is a body, and
     * the body.
     */
    static RawExchange send(int port, String requestLine, Map<String, String> headerLines, String body)
            throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(requestLine).append("\r\n");
        headerLines.forEach(
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (headerLines.keySet().stream().noneMatch(n -> n.equalsIgnoreCase("Connection"))) {
            head.append("Connection: close\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
            while (!headBytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("the connection closed in the response head: " + headBytes);
                }
                headBytes.write(b);
            }
            RawExchange response = parse(headBytes.toString(StandardCharsets.ISO_8859_1));
            // a Content-Length body is read by length (the connection may stay open), anything else to the end
            byte[] rest = response.header("Content-Length")
                    .map(n -> readN(in, Integer.parseInt(n)))
                    .orElseGet(() -> readAll(in));
            return new RawExchange(response.status(), response.headers(), new String(rest, StandardCharsets.UTF_8));
        }
    }

    /** {@code method path HTTP/1.1} with the given headers (a {@code Host} among them, or not). */
    static RawExchange http11(int port, String method, String path, Map<String, String> headers, String body)
            throws IOException {
        return send(port, method + " " + path + " HTTP/1.1", headers, body);
    }

    private static byte[] readN(InputStream in, int n) {
        try {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RawExchange parse(String all) {
        int end = all.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IllegalStateException("no complete response head: " + all);
        }
        String[] lines = all.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.putIfAbsent(
                    lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).strip());
        }
        return new RawExchange(status, headers, all.substring(end + 4));
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
}
