package io.aistream.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, byte for byte as a test writes it: nothing is fixed up, so broken
 * requests stay broken. Each call uses a connection of its own.
 */
final class Raw {
    private Raw() {}

    /** A whole response. */
    record Response(int status, Map<String, String> headers, String body) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    /** Sends {@code request} as it is and reads the whole response (until its length, last chunk or close). */
    static Response exchange(int port, String request, Duration timeout) throws IOException {
        try (Socket s = connect(port, timeout)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            return read(s.getInputStream(), true);
        }
    }

    static Response get(int port, String path, Map<String, String> headers, Duration timeout) throws IOException {
        return exchange(port, head("GET", path, headers, 0) + "\r\n", timeout);
    }

    static Response postJson(int port, String path, String json, Duration timeout) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return exchange(
                port,
                head("POST", path, Map.of("Content-Type", "application/json"), body.length) + "\r\n" + json,
                timeout);
    }

    /**
     * Posts {@code json}, reads the status line and headers, and hangs up (the body of a 200 is never
     * read; an error's body is read).
     */
    static Response postAndHangUp(int port, String path, String json, Duration timeout) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try (Socket s = connect(port, timeout)) {
            OutputStream out = s.getOutputStream();
            out.write((head("POST", path, Map.of("Content-Type", "application/json"), body.length) + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            return read(s.getInputStream(), false);
        }
    }

    static Socket connect(int port, Duration timeout) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
        s.setSoTimeout((int) timeout.toMillis());
        return s;
    }

    static String head(String method, String path, Map<String, String> headers, int contentLength) {
        StringBuilder sb = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        if (headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Host"))) {
            sb.append("Host: 127.0.0.1\r\n");
        }
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        if (contentLength > 0) {
            sb.append("Content-Length: ").append(contentLength).append("\r\n");
        }
        sb.append("Connection: close\r\n");
        return sb.toString();
    }

    /** Reads a response; the body of a 2xx only if {@code readOkBody}. */
    static Response read(InputStream in, boolean readOkBody) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("the connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.merge(
                    l.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    l.substring(colon + 1).strip(),
                    (a, b) -> a + ", " + b);
        }
        if (status < 300 && !readOkBody) {
            return new Response(status, headers, "");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String length = headers.get("content-length");
        if (length != null) {
            body.write(in.readNBytes(Integer.parseInt(length)));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).split(";")[0].strip(), 16);
                    size > 0;
                    size = Integer.parseInt(line(in).split(";")[0].strip(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        } else if (status != 204 && status != 304) {
            in.transferTo(body);
        }
        return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }
}
