package io.aistream.bench.load;

import io.aistream.bench.http.ChunkedDecoder;
import io.aistream.bench.http.Http1;
import io.aistream.sse.SseDecoder;
import io.aistream.sse.SseLimitExceededException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator's SSE client for openai and native streams (slow readers excepted): a few
 * event-loop threads, each with a {@link Selector} over many non-blocking connections.
 *
 * <p>Why not a virtual thread per stream: a paced stream delivers one small chunk per wake-up, and
 * a blocking read on a virtual thread costs a read that finds nothing, a poller registration, a
 * park and an unpark per chunk (about 30 µs of CPU per chunk measured here). An event loop reads
 * every ready connection after one {@code epoll_wait}, so at load a chunk costs roughly one
 * {@code read} and its parsing — the generator stays well below the relay it measures.
 *
 * <p>Each slot (one of the C concurrent streams) runs its streams one after another on one
 * kept-alive connection; its state machine parses the response head, de-chunks the body
 * ({@link ChunkedDecoder}) and feeds the SSE decoder with the bytes of each read, all stamped with
 * that read's time.
 */
final class NioSseEngine {
    private static final int STARTING = 0;
    private static final int CONNECTING = 1;
    private static final int WRITING = 2;
    private static final int HEAD = 3;
    private static final int BODY = 4;
    private static final int FINISHED = 5;
    private static final int BETWEEN = 6;
    /** After a failed stream, a repeating slot waits this long before its next (no hot loop on a dead target). */
    private static final long RETRY_PAUSE_NANOS = 50_000_000L;

    private static final long TIMEOUT_CHECK_NANOS = 200_000_000L;

    private final LoadOptions o;
    private final InetSocketAddress address;
    private final Tally tally;
    private final RequestBodies bodies;
    private final AtomicLong streamIndex;
    private final long deadline;
    private final Loop[] loops;

    NioSseEngine(
            LoadOptions o,
            InetSocketAddress address,
            Tally tally,
            RequestBodies bodies,
            AtomicLong streamIndex,
            long deadline,
            int threads,
            long t0) {
        this.o = o;
        this.address = address;
        this.tally = tally;
        this.bodies = bodies;
        this.streamIndex = streamIndex;
        this.deadline = deadline;
        int n = Math.max(1, Math.min(threads, o.streams()));
        loops = new Loop[n];
        try {
            for (int i = 0; i < n; i++) {
                loops[i] = new Loop(Selector.open());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long ramp = o.ramp().toNanos();
        for (int j = 0; j < o.streams(); j++) {
            long startAt = t0 + (o.streams() == 1 ? 0 : ramp * j / o.streams());
            Loop loop = loops[j % n];
            loop.pending.add(new Slot(loop, startAt));
            loop.total++;
        }
    }

    /** Runs every slot to its end. */
    void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < loops.length; i++) {
            threads.add(Thread.ofPlatform().daemon().name("bench-io-" + i).start(loops[i]));
        }
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            for (Loop l : loops) {
                l.stop = true;
                l.selector.wakeup();
            }
            throw e;
        }
    }

    private final class Loop implements Runnable {
        final Selector selector;
        final PriorityQueue<Slot> pending = new PriorityQueue<>(Comparator.comparingLong((Slot s) -> s.nextAt));
        final List<Slot> slots = new ArrayList<>();
        final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        int total;
        int finished;
        volatile boolean stop;

        Loop(Selector selector) {
            this.selector = selector;
        }

        @Override
        public void run() {
            long lastCheck = System.nanoTime();
            try {
                while (finished < total && !stop) {
                    long now = System.nanoTime();
                    while (!pending.isEmpty() && pending.peek().nextAt <= now) {
                        Slot s = pending.poll();
                        if (!s.listed) {
                            s.listed = true;
                            slots.add(s);
                        }
                        s.next(now);
                    }
                    long waitMs = 200;
                    if (!pending.isEmpty()) {
                        waitMs = Math.max(1, Math.min(waitMs, (pending.peek().nextAt - now) / 1_000_000));
                    }
                    if (finished >= total) {
                        break;
                    }
                    selector.select(waitMs);
                    var keys = selector.selectedKeys();
                    if (!keys.isEmpty()) {
                        for (SelectionKey k : keys) {
                            ((Slot) k.attachment()).ready(k);
                        }
                        keys.clear();
                    }
                    now = System.nanoTime();
                    if (now - lastCheck > TIMEOUT_CHECK_NANOS) {
                        lastCheck = now;
                        for (Slot s : slots) {
                            s.checkTimeout(now);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                for (Slot s : slots) {
                    s.closeChannel();
                }
                try {
                    selector.close();
                } catch (IOException ignored) {
                    // done anyway
                }
            }
        }
    }

    /** One of the C concurrent streams: its connection and the state of its current stream. */
    private final class Slot implements ChunkedDecoder.Sink {
        final Loop loop;
        long nextAt;
        boolean listed;
        boolean failed;
        final StreamTracker tracker = new StreamTracker(tally, o.abortAfter());
        final ChunkedDecoder chunked = new ChunkedDecoder();
        SocketChannel channel;
        SelectionKey key;
        int state = STARTING;
        boolean reused;
        boolean retried;
        boolean open;
        ByteBuffer request;
        byte[] head = new byte[512];
        int headLen;
        int status;
        boolean isChunked;
        long remaining;
        boolean closeAfter;
        SseDecoder sse;
        ByteArrayOutputStream errorBody;
        long lastActivity;

        Slot(Loop loop, long startAt) {
            this.loop = loop;
            this.nextAt = startAt;
        }

        /** Starts the slot's next stream, or finishes the slot. */
        void next(long now) {
            if (state != STARTING && (deadline == 0 || now >= deadline)) {
                finish();
                return;
            }
            long idx = streamIndex.getAndIncrement();
            request = ByteBuffer.wrap(bodies.httpRequestFor(idx));
            tracker.tag = bodies.tag(idx);
            retried = false;
            failed = false;
            tally.opened();
            open = true;
            begin(now);
        }

        private void begin(long now) {
            lastActivity = now;
            if (channel == null) {
                connect();
            } else {
                reused = true;
                sendRequest();
            }
        }

        private void connect() {
            reused = false;
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                state = CONNECTING;
                if (channel.connect(address)) {
                    tally.connects.increment();
                    sendRequest();
                } else {
                    key = channel.register(loop.selector, SelectionKey.OP_CONNECT, this);
                }
            } catch (IOException e) {
                failBeforeResponse("connect", e.toString());
            }
        }

        private void sendRequest() {
            request.rewind();
            headLen = 0;
            chunked.reset();
            errorBody = null;
            sse = null;
            long sent = System.nanoTime();
            tracker.begin(sent);
            state = WRITING;
            write();
        }

        private void write() {
            try {
                channel.write(request);
                if (request.hasRemaining()) {
                    interest(SelectionKey.OP_WRITE);
                } else {
                    state = HEAD;
                    interest(SelectionKey.OP_READ);
                }
            } catch (IOException e) {
                retryOrFail("io_before_response", e.toString());
            }
        }

        private void interest(int ops) throws IOException {
            if (key == null) {
                key = channel.register(loop.selector, ops, this);
            } else {
                key.interestOps(ops);
            }
        }

        void ready(SelectionKey k) {
            if (!k.isValid()) {
                return;
            }
            try {
                if (state == CONNECTING && k.isConnectable()) {
                    try {
                        channel.finishConnect();
                    } catch (IOException e) {
                        failBeforeResponse("connect", e.toString());
                        return;
                    }
                    tally.connects.increment();
                    sendRequest();
                } else if (state == WRITING && k.isWritable()) {
                    write();
                } else if ((state == HEAD || state == BODY) && k.isReadable()) {
                    read();
                }
            } catch (RuntimeException e) {
                broke("io", e.toString());
            }
        }

        private void read() {
            ByteBuffer buf = loop.buf;
            buf.clear();
            int n;
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                if (state == HEAD && headLen == 0) {
                    retryOrFail("io_before_response", e.toString());
                } else {
                    broke("io", e.toString());
                }
                return;
            }
            long now = System.nanoTime();
            lastActivity = now;
            if (n < 0) {
                eof();
                return;
            }
            tracker.receivedNanos = now;
            tally.bytes.add(n);
            byte[] b = buf.array();
            try {
                int off = 0;
                if (state == HEAD) {
                    off = headBytes(b, n);
                    if (off < 0) {
                        return;
                    }
                }
                body(b, off, n - off);
                if (tracker.abortNow && state == BODY) {
                    tracker.abortSent();
                    tracker.aborted();
                    endStream(true);
                }
            } catch (SseLimitExceededException e) {
                broke("sse_limit", e.getMessage());
            } catch (IOException e) {
                broke("bad_framing", e.getMessage());
            }
        }

        /** Collects head bytes; returns where the body starts in {@code b}, or -1 if the head is incomplete. */
        private int headBytes(byte[] b, int n) throws IOException {
            int from = Math.max(0, headLen - 3);
            if (headLen + n > head.length) {
                if (headLen + n > Http1.MAX_HEAD_BYTES) {
                    throw new IOException("response head larger than " + Http1.MAX_HEAD_BYTES + " bytes");
                }
                head = Arrays.copyOf(head, Math.max(head.length * 2, headLen + n));
            }
            System.arraycopy(b, 0, head, headLen, n);
            int end = headLen + n;
            for (int i = from; i + 3 < end; i++) {
                if (head[i] == '\r' && head[i + 1] == '\n' && head[i + 2] == '\r' && head[i + 3] == '\n') {
                    int headEnd = i + 4;
                    int bodyStartInB = headEnd - headLen;
                    headLen = end;
                    parseHead(headEnd);
                    return bodyStartInB;
                }
            }
            headLen = end;
            return -1;
        }

        private void parseHead(int length) throws IOException {
            Http1.Head h = Http1.readHead(new ByteArrayInputStream(head, 0, length));
            if (h == null) {
                throw new IOException("empty response head");
            }
            status = HttpStreamClient.status(h);
            isChunked = h.chunked();
            remaining = isChunked ? -1 : h.contentLength();
            closeAfter = h.wantsClose() || (!isChunked && remaining < 0);
            state = BODY;
            if (status == 200) {
                sse = new SseDecoder(tracker, HttpStreamClient.LIMITS);
            } else {
                errorBody = new ByteArrayOutputStream();
            }
            if (!isChunked && remaining == 0) {
                bodyEnded();
            }
        }

        private void body(byte[] b, int off, int len) throws IOException {
            if (state != BODY || len == 0) {
                return;
            }
            if (isChunked) {
                chunked.feed(b, off, len, this);
                if (chunked.done()) {
                    bodyEnded();
                }
            } else if (remaining >= 0) {
                int n = (int) Math.min(len, remaining);
                data(b, off, n);
                remaining -= n;
                if (remaining == 0) {
                    bodyEnded();
                }
            } else {
                data(b, off, len);
            }
        }

        @Override
        public void data(byte[] b, int off, int len) {
            if (sse != null) {
                sse.feed(b, off, len);
            } else if (errorBody != null && errorBody.size() < 4096) {
                errorBody.write(b, off, Math.min(len, 4096 - errorBody.size()));
            }
        }

        private void bodyEnded() {
            if (status == 200) {
                tracker.endedCleanly();
            } else {
                tally.errors.increment();
                tally.failure("http_" + status, errorBody == null ? null : errorBody.toString(StandardCharsets.UTF_8));
            }
            endStream(closeAfter);
        }

        private void eof() {
            if (state == HEAD && headLen == 0) {
                retryOrFail("io_before_response", "connection closed before a response");
            } else if (state == BODY && !isChunked && remaining < 0) {
                bodyEnded(); // a body delimited by the connection's end
            } else if (state == BODY && status != 200) {
                bodyEnded();
            } else {
                broke(state == HEAD ? "io_before_response" : "io", "connection closed inside the response");
            }
        }

        /** A reused connection may have been closed while idle: try once more on a fresh one. */
        private void retryOrFail(String reason, String detail) {
            if (reused && !retried) {
                retried = true;
                closeChannel();
                connect();
                return;
            }
            failBeforeResponse(reason, detail);
        }

        private void failBeforeResponse(String reason, String detail) {
            failed = true;
            tally.errors.increment();
            tally.failure(reason, detail);
            endStream(true);
        }

        private void broke(String reason, String detail) {
            if (state == HEAD || state == CONNECTING || state == WRITING) {
                failBeforeResponse(reason, detail);
                return;
            }
            tracker.broke(reason, detail);
            endStream(true);
        }

        private void endStream(boolean close) {
            if (open) {
                open = false;
                tally.closed();
            }
            if (close) {
                closeChannel();
            }
            state = BETWEEN;
            long now = System.nanoTime();
            if (failed && deadline != 0 && now < deadline) {
                nextAt = now + RETRY_PAUSE_NANOS;
                loop.pending.add(this);
            } else {
                next(now);
            }
        }

        void checkTimeout(long now) {
            if ((state == CONNECTING || state == WRITING || state == HEAD || state == BODY)
                    && now - lastActivity > o.timeout().toNanos()) {
                broke(
                        state == BODY ? "read_timeout" : "timeout_before_response",
                        "nothing for " + o.timeout().toMillis() + " ms");
            }
        }

        private void finish() {
            state = FINISHED;
            closeChannel();
            loop.finished++;
        }

        void closeChannel() {
            if (key != null) {
                key.cancel();
                key = null;
            }
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                channel = null;
            }
        }
    }
}
