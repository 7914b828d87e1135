package io.aistream.bench.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The little of HTTP/1.1 the fake upstream and the load generator need: reading a message head and
 * a body framed by Content-Length, chunked encoding or the end of the connection.
 */
public final class Http1 {
    /** Largest message head accepted. */
    public static final int MAX_HEAD_BYTES = 64 * 1024;

    private Http1() {}

    /**
     * A message head: the start line and the header fields (names lower-cased; a repeated field
     * keeps its last value).
     */
    public record Head(String startLine, Map<String, String> headers) {
        public String header(String lowerCaseName) {
            return headers.get(lowerCaseName);
        }

        /** Whether the Connection header asks to close (or HTTP/1.0 without keep-alive). */
        public boolean wantsClose() {
            String c = header("connection");
            if (c != null && c.toLowerCase(Locale.ROOT).contains("close")) {
                return true;
            }
            return startLine.contains("HTTP/1.0")
                    && (c == null || !c.toLowerCase(Locale.ROOT).contains("keep-alive"));
        }

        public boolean chunked() {
            String te = header("transfer-encoding");
            return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
        }

        /** Content-Length, or -1 when absent. */
        public long contentLength() throws IOException {
            String cl = header("content-length");
            if (cl == null) {
                return -1;
            }
            try {
                long n = Long.parseLong(cl.trim());
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length: " + cl);
            }
        }
    }

    /**
     * Reads a head; returns null if the stream ends cleanly before its first byte.
     *
     * @throws IOException on a malformed or oversized head, or an end inside it
     */
    public static Head readHead(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        String startLine = null;
        Map<String, String> headers = new HashMap<>();
        int total = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (startLine == null && line.size() == 0) {
                    return null;
                }
                throw new EOFException("connection closed inside a message head");
            }
            if (++total > MAX_HEAD_BYTES) {
                throw new IOException("message head larger than " + MAX_HEAD_BYTES + " bytes");
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            int len = line.size();
            byte[] raw = line.toByteArray();
            line.reset();
            if (len > 0 && raw[len - 1] == '\r') {
                len--;
            }
            String text = new String(raw, 0, len, StandardCharsets.ISO_8859_1);
            if (startLine == null) {
                if (text.isEmpty()) {
                    continue; // tolerate a stray CRLF between messages
                }
                startLine = text;
            } else if (text.isEmpty()) {
                return new Head(startLine, headers);
            } else {
                int colon = text.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed header line: " + text);
                }
                headers.put(
                        text.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        text.substring(colon + 1).trim());
            }
        }
    }

    /**
     * The body of a message with {@code head}, as a stream that ends where the body ends.
     *
     * @param untilCloseAllowed whether a body without length may run to the end of the connection
     *                          (responses: yes; requests: no — they then have no body)
     */
    public static InputStream body(InputStream in, Head head, boolean untilCloseAllowed) throws IOException {
        if (head.chunked()) {
            return new ChunkedInputStream(in);
        }
        long length = head.contentLength();
        if (length >= 0) {
            return new LengthInputStream(in, length);
        }
        return untilCloseAllowed ? in : InputStream.nullInputStream();
    }

    /** Reads a whole body of at most {@code max} bytes. */
    public static byte[] readAll(InputStream body, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = body.read(buf)) >= 0) {
            if (out.size() + n > max) {
                throw new IOException("body larger than " + max + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** A body of known length; does not close the underlying stream. */
    static final class LengthInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        LengthInputStream(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException("connection closed with " + remaining + " body bytes missing");
            }
            remaining -= n;
            return n;
        }
    }
}
