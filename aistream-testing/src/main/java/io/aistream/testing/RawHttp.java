package io.aistream.testing;

import io.aistream.sse.SseEvent;
import io.aistream.sse.SseReader;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A deliberately raw HTTP/1.1 client over a plain socket, so tests see the exact bytes (status line,
 * headers, each chunk of a chunked body) and can cut the connection at any moment.
 */
public final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final List<String> headerLines = new ArrayList<>();
    private InputStream body;
    private final List<byte[]> httpChunks = new ArrayList<>();

    private RawHttp(int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public static RawHttp connect(int port) throws IOException {
        return new RawHttp(port);
    }

    /** Sends a request and reads the status line and headers. */
    public static RawHttp request(int port, String method, String path, Map<String, String> extraHeaders, String body)
            throws IOException {
        RawHttp http = connect(port);
        http.send(method, path, extraHeaders, body);
        http.readHead();
        return http;
    }

    public static RawHttp postJson(int port, String path, String json) throws IOException {
        return request(port, "POST", path, Map.of("Content-Type", "application/json"), json);
    }

    public void send(String method, String path, Map<String, String> extraHeaders, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: 127.0.0.1:").append(socket.getPort()).append("\r\n");
        for (Map.Entry<String, String> h : extraHeaders.entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    public void readHead() throws IOException {
        String statusLine = line();
        headerLines.add(statusLine);
        status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String l = line(); !l.isEmpty(); l = line()) {
            headerLines.add(l);
            int colon = l.indexOf(':');
            headers.put(
                    l.substring(0, colon).toLowerCase(Locale.ROOT),
                    l.substring(colon + 1).strip());
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = new ChunkedBody();
        } else {
            long length = Long.parseLong(headers.getOrDefault("content-length", "0"));
            body = new LimitedBody(length);
        }
    }

    public int status() {
        return status;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The status line and header lines exactly as received. */
    public List<String> headLines() {
        return headerLines;
    }

    /** The (de-chunked) body stream. */
    public InputStream body() {
        return body;
    }

    /** The whole body as text. */
    public String bodyText() throws IOException {
        return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The payloads of the HTTP chunks read so far (a chunked body only). */
    public List<byte[]> httpChunks() {
        return httpChunks;
    }

    /** Reads the next HTTP chunk of a chunked body as text (blocking); null at the end. */
    public String nextHttpChunk() throws IOException {
        ChunkedBody chunked = (ChunkedBody) body;
        int before = httpChunks.size();
        if (chunked.pos < chunked.current.length) {
            throw new IllegalStateException("part of the current chunk is unread");
        }
        if (chunked.eof || !chunked.nextChunk()) {
            return null;
        }
        chunked.pos = chunked.current.length;
        return new String(httpChunks.get(before), StandardCharsets.UTF_8);
    }

    /** An SSE reader over the body. */
    public SseReader sse() {
        return new SseReader(body);
    }

    /** Reads SSE events until {@code count} were read or the stream ended. */
    public List<SseEvent> events(SseReader reader, int count) {
        List<SseEvent> events = new ArrayList<>();
        while (events.size() < count) {
            Optional<SseEvent> e = reader.next();
            if (e.isEmpty()) {
                break;
            }
            events.add(e.get());
        }
        return events;
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed mid-line: " + buf);
            }
            if (b == '\n' && prev == '\r') {
                byte[] bytes = buf.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            buf.write(b);
            prev = b;
        }
    }

    private final class ChunkedBody extends InputStream {
        private byte[] current = new byte[0];
        private int pos;
        private boolean eof;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (pos == current.length) {
                if (eof || !nextChunk()) {
                    return -1;
                }
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        private boolean nextChunk() throws IOException {
            String sizeLine;
            try {
                sizeLine = line();
                if (sizeLine.isEmpty() && !httpChunks.isEmpty()) {
                    // the CRLF that ends the previous chunk's data (servers send it with the next chunk)
                    sizeLine = line();
                }
            } catch (EOFException e) {
                eof = true;
                return false;
            }
            int size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
            if (size == 0) {
                for (String l = line(); !l.isEmpty(); l = line()) {
                    // trailers
                }
                eof = true;
                return false;
            }
            current = in.readNBytes(size);
            if (current.length != size) {
                throw new EOFException("chunk cut short");
            }
            pos = 0;
            httpChunks.add(current);
            return true;
        }
    }

    private final class LimitedBody extends InputStream {
        private long left;

        LimitedBody(long length) {
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
