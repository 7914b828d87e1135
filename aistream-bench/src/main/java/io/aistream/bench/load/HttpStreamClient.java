package io.aistream.bench.load;

import io.aistream.bench.http.ChunkedInputStream;
import io.aistream.bench.http.Http1;
import io.aistream.sse.SseDecoder;
import io.aistream.sse.SseLimitExceededException;
import io.aistream.sse.SseLimits;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One worker's HTTP/1.1 connection for SSE protocols (openai, native) on a blocking socket, used
 * for slow readers (the {@link NioSseEngine} serves the others): the
 * request goes out in one write, the response is read with blocking reads on the worker's virtual
 * thread and fed straight into an {@link SseDecoder}; the time of each read is the receive time of
 * every chunk in it. The connection is kept for the worker's next stream when the response ended
 * cleanly.
 */
final class HttpStreamClient implements AutoCloseable {
    static final SseLimits LIMITS = new SseLimits(1 << 20, 4 << 20);
    private final LoadOptions o;
    private final InetSocketAddress address;
    private final Tally tally;
    private final StreamTracker tracker;
    private final byte[] buf;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    HttpStreamClient(LoadOptions o, InetSocketAddress address, Tally tally) {
        this.o = o;
        this.address = address;
        this.tally = tally;
        this.tracker = new StreamTracker(tally, o.abortAfter());
        this.buf = new byte[o.slowReader() ? o.readBytes() : 8 * 1024];
    }

    /** Runs one stream (its tag, -1 for none; the whole HTTP request) to its end and counts its outcome. */
    void run(long tag, byte[] body) {
        tracker.tag = tag;
        tally.opened();
        try {
            runOnce(body);
        } finally {
            tally.closed();
        }
    }

    private void runOnce(byte[] body) {
        boolean reused = socket != null;
        Http1.Head head;
        long sent;
        try {
            if (socket == null) {
                connect();
            }
            sent = System.nanoTime();
            send(body);
            head = Http1.readHead(in);
            if (head == null && reused) { // the idle connection was closed by the server: once more, fresh
                closeSocket();
                connect();
                sent = System.nanoTime();
                send(body);
                head = Http1.readHead(in);
            }
            if (head == null) {
                throw new IOException("connection closed before a response");
            }
        } catch (SocketTimeoutException e) {
            fail(tally.errors, "timeout_before_response", e.getMessage());
            return;
        } catch (IOException e) {
            fail(tally.errors, socket == null ? "connect" : "io_before_response", e.toString());
            return;
        }
        int status = status(head);
        try {
            InputStream body0 = Http1.body(in, head, true);
            if (status != 200) {
                byte[] text = body0.readNBytes(4096);
                boolean framed = head.chunked() || head.contentLength() >= 0;
                if (framed) {
                    body0.transferTo(OutputStream.nullOutputStream());
                }
                fail(tally.errors, "http_" + status, new String(text, StandardCharsets.UTF_8));
                if (!framed || head.wantsClose()) {
                    closeSocket();
                }
                return;
            }
            tracker.begin(sent);
            SseDecoder decoder = new SseDecoder(tracker, LIMITS);
            int readLen = buf.length;
            long pauseMillis = o.slowReader() ? o.readPause().toMillis() : 0;
            int n;
            while ((n = body0.read(buf, 0, readLen)) >= 0) {
                tracker.receivedNanos = System.nanoTime();
                tally.bytes.add(n);
                decoder.feed(buf, 0, n);
                if (tracker.abortNow) {
                    tracker.abortSent();
                    tracker.aborted();
                    closeSocket();
                    return;
                }
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
            }
            decoder.end();
            boolean clean = body0 instanceof ChunkedInputStream c && c.finished() && !head.wantsClose();
            if (!clean) {
                closeSocket();
            }
            tracker.endedCleanly();
        } catch (SocketTimeoutException e) {
            closeSocket();
            tracker.broke("read_timeout", "no bytes for " + o.timeout().toMillis() + " ms");
        } catch (SseLimitExceededException e) {
            closeSocket();
            tracker.broke("sse_limit", e.getMessage());
        } catch (IOException e) {
            closeSocket();
            tracker.broke("io", e.toString());
        } catch (InterruptedException e) {
            closeSocket();
            tracker.broke("interrupted", null);
            Thread.currentThread().interrupt();
        }
    }

    private void fail(java.util.concurrent.atomic.LongAdder counter, String reason, String detail) {
        counter.increment();
        tally.failure(reason, detail);
    }

    static int status(Http1.Head head) {
        String[] parts = head.startLine().split(" ", 3);
        try {
            return parts.length >= 2 ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            if (o.slowReader()) {
                s.setReceiveBufferSize(Math.max(1024, o.readBytes() * 4));
            }
            int timeout = (int) Math.min(Integer.MAX_VALUE, o.timeout().toMillis());
            s.connect(address, timeout);
            s.setSoTimeout(timeout);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        tally.connects.increment();
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), o.slowReader() ? o.readBytes() : 8 * 1024);
        out = s.getOutputStream();
    }

    private void send(byte[] request) throws IOException {
        out.write(request);
    }

    private void closeSocket() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
            in = null;
            out = null;
        }
    }

    @Override
    public void close() {
        closeSocket();
    }
}
