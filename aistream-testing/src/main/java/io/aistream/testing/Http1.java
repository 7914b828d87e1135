package io.aistream.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The server's side of HTTP/1.1 framing: reading requests, writing chunks. */
final class Http1 {
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_HEADERS = 200;
    static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private Http1() {}

    /**
     * Reads one request: head, then a {@code Content-Length} or chunked body.
     *
     * @return the request, or null if the stream ended before a request began
     * @throws IOException if the stream fails or ends inside a request, or the request is malformed
     */
    static RecordedRequest readRequest(InputStream in) throws IOException {
        String requestLine = readLine(in);
        for (int blank = 0; requestLine != null && requestLine.isEmpty() && blank < 8; blank++) {
            requestLine = readLine(in); // RFC 9112 2.2: ignore empty lines before the request line
        }
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ", 3);
        if (parts.length < 2) {
            throw new IOException("malformed request line '" + requestLine + "'");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = readLine(in); ; line = readLine(in)) {
            if (line == null) {
                throw new EOFException("the request head ended early");
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed request header '" + line + "'");
            }
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
            if (headers.size() > MAX_HEADERS) {
                throw new IOException("too many request headers");
            }
        }
        byte[] body;
        List<String> encoding = headers.getOrDefault("transfer-encoding", List.of());
        if (encoding.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
            body = readChunkedBody(in);
        } else {
            int length = Integer.parseInt(
                    headers.getOrDefault("content-length", List.of("0")).getFirst());
            body = in.readNBytes(length);
            if (body.length < length) {
                throw new EOFException("the request body ended after " + body.length + " of " + length + " bytes");
            }
        }
        return new RecordedRequest(parts[0], parts[1], headers, body, System.nanoTime());
    }

    private static byte[] readChunkedBody(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new EOFException("the chunked request body ended early");
            }
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); trailer = readLine(in)) {
                    // trailers are not recorded
                }
                return body.toByteArray();
            }
            byte[] data = in.readNBytes(size);
            if (data.length < size) {
                throw new EOFException("the chunked request body ended inside a chunk");
            }
            body.write(data);
            readLine(in); // the CRLF after the chunk data
        }
    }

    /** One line without its CRLF (or LF); null at the end of the stream before any byte of a line. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            if (line.size() > MAX_LINE) {
                throw new IOException("request line longer than " + MAX_LINE + " bytes");
            }
        }
        if (line.size() == 0) {
            return null;
        }
        throw new EOFException("the stream ended inside a line");
    }

    /** {@code data} as one HTTP chunk: hex size, CRLF, data, CRLF. */
    static byte[] chunk(byte[] data) {
        byte[] head = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + data.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(data, 0, out, head.length, data.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    /** The reason phrase for a status line; any text is valid, so unknown codes get a neutral one. */
    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
    }
}
