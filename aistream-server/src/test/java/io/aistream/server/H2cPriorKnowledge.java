package io.aistream.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bare HTTP/2 client over cleartext with prior knowledge, just enough to send one GET with a
 * chosen {@code :authority} (which the JDK client will not let a test choose) and read the response's
 * DATA. Headers go as HPACK literals without indexing or Huffman coding; the response's header block
 * is skipped (the tests read the JSON body, which names the error code).
 */
final class H2cPriorKnowledge {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int GOAWAY = 0x7;

    private H2cPriorKnowledge() {}

    /** GET {@code path} with {@code :authority} = {@code authority}; the body of the response on stream 1. */
    static String get(int port, String authority, String path) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":method", "GET");
        headers.put(":scheme", "http");
        headers.put(":authority", authority);
        headers.put(":path", path);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(PREFACE);
            frame(out, SETTINGS, 0, 0, new byte[0]);
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            for (Map.Entry<String, String> h : headers.entrySet()) {
                block.write(0x00); // literal header field without indexing, new name
                literal(block, h.getKey());
                literal(block, h.getValue());
            }
            frame(out, HEADERS, 0x1 | 0x4, 1, block.toByteArray()); // END_STREAM | END_HEADERS
            out.flush();

            DataInputStream in = new DataInputStream(socket.getInputStream());
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fff_ffff;
                byte[] payload = in.readNBytes(length);
                if (type == SETTINGS && (flags & 0x1) == 0) {
                    frame(out, SETTINGS, 0x1, 0, new byte[0]); // ACK
                    out.flush();
                } else if (type == GOAWAY || (type == RST_STREAM && stream == 1)) {
                    throw new IOException("the server reset the exchange (frame type " + type + ")");
                } else if (stream == 1 && type == DATA) {
                    body.write(payload);
                }
                if (stream == 1 && (type == DATA || type == HEADERS) && (flags & 0x1) != 0) {
                    return body.toString(StandardCharsets.UTF_8);
                }
            }
        }
    }

    private static void literal(ByteArrayOutputStream block, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length >= 127) {
            throw new IllegalArgumentException("too long for this client: " + s);
        }
        block.write(bytes.length); // no Huffman coding
        block.writeBytes(bytes);
    }

    private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        out.write(new byte[] {
            (byte) (payload.length >>> 16),
            (byte) (payload.length >>> 8),
            (byte) payload.length,
            (byte) type,
            (byte) flags,
            (byte) (stream >>> 24),
            (byte) (stream >>> 16),
            (byte) (stream >>> 8),
            (byte) stream
        });
        out.write(payload);
    }
}
