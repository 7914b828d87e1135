package io.aistream.bench.upstream;

import io.aistream.bench.http.Bytes;
import io.aistream.bench.http.Http1;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.JsonNode;

/**
 * One WebSocket connection of the fake upstream, speaking the shape of aistream's native
 * WebSocket protocol: client messages {@code start} and {@code abort}, server messages are native
 * chunks with a {@code stream} tag. Each stream is emitted by a virtual thread of its own; writes
 * to the socket are serialized by a lock.
 */
final class WebSocketSession {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_MESSAGE = 1 << 20;

    private final FakeUpstream upstream;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<String, Running> streams = new ConcurrentHashMap<>();

    private record Running(Thread thread, AtomicBoolean cancelled) {}

    WebSocketSession(FakeUpstream upstream, Socket socket, InputStream in, OutputStream out) {
        this.upstream = upstream;
        this.socket = socket;
        this.in = in;
        this.out = out;
    }

    void run(Http1.Head head) throws IOException {
        String key = head.header("sec-websocket-key");
        String upgrade = head.header("upgrade");
        if (key == null || upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            FakeUpstream.sendJson(out, 400, null, FakeUpstream.error("expected a WebSocket upgrade"), true);
            return;
        }
        String accept;
        try {
            accept = Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-1")
                            .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] response = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        out.write(response);
        try {
            readLoop();
        } finally {
            for (Running r : streams.values()) {
                r.cancelled().set(true);
                LockSupport.unpark(r.thread());
            }
        }
    }

    private void readLoop() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                return;
            }
            int b1 = readByte();
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            long len = b1 & 0x7F;
            if (len == 126) {
                len = (readByte() << 8) | readByte();
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | readByte();
                }
            }
            if (len > MAX_MESSAGE || message.size() + len > MAX_MESSAGE) {
                sendFrame(0x88, new byte[] {0x03, (byte) 0xF1}); // 1009: message too big
                return;
            }
            byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
            byte[] payload = in.readNBytes((int) len);
            if (payload.length != len || (mask != null && mask.length != 4)) {
                throw new EOFException("connection closed inside a frame");
            }
            if (mask != null) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
            }
            switch (opcode) {
                case 0x8 -> {
                    sendFrame(0x88, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
                    return;
                }
                case 0x9 -> sendFrame(0x8A, payload);
                case 0xA -> {
                    // pong: nothing to do
                }
                case 0x0, 0x1, 0x2 -> {
                    message.write(payload);
                    if (fin) {
                        byte[] whole = message.toByteArray();
                        message.reset();
                        onMessage(whole);
                    }
                }
                default -> {
                    sendFrame(0x88, new byte[] {0x03, (byte) 0xEA}); // 1002: protocol error
                    return;
                }
            }
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed inside a frame header");
        }
        return b;
    }

    private void onMessage(byte[] text) throws IOException {
        JsonNode root = FakeUpstream.parse(text);
        if (root == null) {
            sendText(
                    "{\"type\":\"error\",\"error\":{\"code\":\"invalid_request\",\"message\":\"a message must be a JSON object\"}}");
            return;
        }
        String type = root.path("type").isString() ? root.path("type").stringValue() : "";
        String stream = root.path("stream").isString() ? root.path("stream").stringValue() : null;
        if (stream == null) {
            sendText(
                    "{\"type\":\"error\",\"error\":{\"code\":\"invalid_request\",\"message\":\"stream: is required\"}}");
            return;
        }
        String tag = new String(WireFormat.jsonString(stream), StandardCharsets.UTF_8);
        switch (type) {
            case "start" -> start(stream, tag, root.path("request"));
            case "abort" -> {
                Running r = streams.get(stream);
                if (r != null) {
                    r.cancelled().set(true);
                    LockSupport.unpark(r.thread());
                }
            }
            default ->
                sendText("{\"stream\":" + tag + ",\"type\":\"error\",\"error\":{\"code\":\"invalid_request\","
                        + "\"message\":\"type: must be start or abort\"}}");
        }
    }

    private void start(String stream, String tag, JsonNode request) throws IOException {
        StreamParams p;
        try {
            p = upstream.nativeParams(request);
        } catch (IllegalArgumentException e) {
            sendText("{\"stream\":" + tag
                    + ",\"seq\":0,\"type\":\"error\",\"error\":{\"code\":\"invalid_request\",\"message\":"
                    + new String(WireFormat.jsonString(e.getMessage()), StandardCharsets.UTF_8) + "}}");
            sendText("{\"stream\":" + tag + ",\"seq\":1,\"type\":\"done\",\"finishReason\":\"error\"}");
            return;
        }
        if (streams.containsKey(stream)) {
            sendText("{\"stream\":" + tag + ",\"type\":\"error\",\"error\":{\"code\":\"invalid_request\","
                    + "\"message\":\"stream: already running\"}}");
            return;
        }
        String model = request.path("model").isString() ? request.path("model").stringValue() : "m";
        AtomicBoolean cancelled = new AtomicBoolean();
        Thread t = Thread.ofVirtual().name("fake-upstream-ws-stream").unstarted(() -> {
            try {
                Fault f = p.fault();
                if (f.kind() == Fault.Kind.STATUS) {
                    upstream.counters().statusFaults.increment();
                    sendText("{\"stream\":" + tag
                            + ",\"seq\":0,\"type\":\"error\",\"error\":{\"code\":\"upstream_error\","
                            + "\"message\":\"scripted fault " + f + "\",\"retryable\":true,\"status\":" + f.status()
                            + "}}");
                    sendText("{\"stream\":" + tag + ",\"seq\":1,\"type\":\"done\",\"finishReason\":\"error\"}");
                    return;
                }
                upstream.emit(
                        new WsChannel(), new WireFormat.Native(System.nanoTime(), model, stream), p, cancelled::get);
                if (cancelled.get() && !socket.isClosed()) {
                    sendText("{\"stream\":" + tag + ",\"type\":\"done\",\"finishReason\":\"aborted\"}");
                }
            } catch (IOException e) {
                FakeUpstream.closeQuietly(socket);
            } finally {
                streams.remove(stream);
            }
        });
        streams.put(stream, new Running(t, cancelled));
        t.start();
    }

    private void sendText(String text) throws IOException {
        Bytes b = new Bytes(text.length() + 16);
        WsChannel ch = new WsChannel();
        int mark = ch.begin(b);
        b.utf8(text);
        ch.end(b, mark);
        ch.send(b);
    }

    private void sendFrame(int b0, byte[] payload) throws IOException {
        Bytes b = new Bytes(payload.length + 16);
        WsChannel ch = new WsChannel();
        ch.opcodeByte = b0;
        int mark = ch.begin(b);
        b.append(payload);
        ch.end(b, mark);
        ch.send(b);
    }

    /** Server frames: unmasked, one message per frame, written under the session's lock. */
    private final class WsChannel extends FakeUpstream.Channel {
        private int start;
        private int opcodeByte = 0x81;
        private boolean empty;

        @Override
        int begin(Bytes b) {
            return b.skip(10);
        }

        @Override
        void end(Bytes b, int mark) {
            int n = b.length() - mark - 10;
            empty = n == 0 && opcodeByte == 0x81;
            if (n <= 125) {
                start = mark + 8;
                b.setAt(start + 1, (byte) n);
            } else if (n <= 65535) {
                start = mark + 6;
                b.setAt(start + 1, (byte) 126);
                b.setAt(start + 2, (byte) (n >>> 8));
                b.setAt(start + 3, (byte) n);
            } else {
                start = mark;
                b.setAt(start + 1, (byte) 127);
                for (int i = 0; i < 8; i++) {
                    b.setAt(start + 2 + i, (byte) ((long) n >>> (56 - 8 * i)));
                }
            }
            b.setAt(start, (byte) opcodeByte);
        }

        @Override
        void send(Bytes b) throws IOException {
            if (empty) {
                return;
            }
            writeLock.lock();
            try {
                out.write(b.array(), start, b.length() - start);
            } finally {
                writeLock.unlock();
            }
        }

        @Override
        void cut() {
            FakeUpstream.closeQuietly(socket);
        }
    }
}
