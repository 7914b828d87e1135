package io.aistream.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One WebSocket slot of the {@code ws} protocol, shared by up to K workers
 * ({@link LoadOptions#wsStreamsPerSocket()}; worker {@code i} uses slot {@code i / K} as its
 * {@code i % K}-th user). The socket is opened lazily by the first worker that needs it and opened
 * again by the next one after it closes; it is closed when its last worker is done.
 *
 * <p>Streams are named {@code <user>.<global stream index>}: unique on the socket, and the listener
 * finds a message's worker from the digits of its {@code "stream"} tag (a scan of the text, no JSON
 * tree, no map) and hands it over with its arrival time. A message for a stream its worker has
 * aborted or given up on is dropped; any other message that no worker is waiting for (untagged, or
 * for a finished stream) is dropped and counted as the failure reason {@code ws_unrouted}. When the
 * socket closes, every stream on it gets a {@link Msg#closed() closed} message, once.
 *
 * <p>Sends on a {@code java.net.http.WebSocket} must not overlap: they are serialized per socket.
 *
 * <p>A caveat of the JDK's WebSocket (seen on JDK 25): when the peer drops the TCP connection without
 * a close frame and the end of input arrives while the client has no outstanding demand (between
 * handing one message to the listener and asking for the next), its receiver fails with an
 * {@code InternalError} that may reach neither {@code onClose} nor {@code onError}. The socket's
 * streams then end at {@code --timeout} as {@code read_timeout} instead of {@code closed}; a
 * stream that gives up sends an abort, and if that send fails the socket is dropped, so its other
 * streams are told at once. Servers that close with a close frame (the gateway does) are not affected.
 */
final class WsMux {
    /** Names of a user's recent streams whose late messages are expected (aborted or given up on). */
    private static final int LATE = 4;

    private static final String TAG = "\"stream\":\"";

    private final LoadOptions o;
    private final HttpClient client;
    private final URI uri;
    private final Tally tally;
    private final int users;
    private final AtomicInteger remaining;
    private final ReentrantLock openLock = new ReentrantLock();
    private final AtomicReferenceArray<String> late;
    private volatile Conn conn;
    /** Connection attempts so far, and the last one's failure if it failed (both under openLock). */
    private volatile long attempts;

    private Exception lastFailure;

    /** A message for a stream, or with {@code text == null} the news that its socket closed. */
    record Msg(long nanos, String text, Route route) {
        boolean closed() {
            return text == null;
        }
    }

    /** One stream in flight: its name, its user index and where its messages go. */
    record Route(int user, String name, BlockingQueue<Msg> queue) {}

    WsMux(LoadOptions o, HttpClient client, URI uri, Tally tally, int users) {
        this.o = o;
        this.client = client;
        this.uri = uri;
        this.tally = tally;
        this.users = users;
        this.remaining = new AtomicInteger(users);
        this.late = new AtomicReferenceArray<>(users * LATE);
    }

    int users() {
        return users;
    }

    /**
     * The open socket, opening one first if there is none or it has closed. Workers that waited
     * while another's attempt failed fail with it rather than each waiting out a connect timeout.
     */
    Conn connection() throws Exception {
        Conn c = conn;
        if (c != null && c.isOpen()) {
            return c;
        }
        long seen = attempts;
        openLock.lock();
        try {
            c = conn;
            if (c != null && c.isOpen()) {
                return c;
            }
            if (attempts != seen && lastFailure != null) {
                throw lastFailure;
            }
            if (c != null) {
                c.abort();
            }
            conn = null;
            attempts++;
            Conn fresh = new Conn();
            try {
                fresh.ws = client.newWebSocketBuilder()
                        .connectTimeout(o.timeout())
                        .buildAsync(uri, fresh.new Listener())
                        .get(o.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                lastFailure = e;
                throw e;
            }
            lastFailure = null;
            tally.connects.increment();
            conn = fresh;
            return fresh;
        } finally {
            openLock.unlock();
        }
    }

    /** Late messages of this stream (aborted, or given up on) are expected: drop them quietly. */
    void expectLate(Route r) {
        int base = r.user() * LATE;
        for (int i = LATE - 1; i > 0; i--) {
            late.set(base + i, late.get(base + i - 1));
        }
        late.set(base, r.name());
    }

    /** A worker is done with the socket; the last one closes it. */
    void release() {
        if (remaining.decrementAndGet() == 0) {
            Conn c = conn;
            conn = null;
            if (c != null) {
                c.close();
            }
        }
    }

    /** One opened WebSocket and the streams running on it. */
    final class Conn {
        private volatile WebSocket ws;
        private volatile boolean closed;
        private final AtomicReferenceArray<Route> routes = new AtomicReferenceArray<>(users);
        private final ReentrantLock sendLock = new ReentrantLock();

        boolean isOpen() {
            WebSocket w = ws;
            return !closed && w != null && !w.isOutputClosed() && !w.isInputClosed();
        }

        /** Routes the stream's messages to its queue; if the socket has closed, says so there. */
        void register(Route r) {
            routes.set(r.user(), r);
            if (closed && routes.compareAndSet(r.user(), r, null)) {
                r.queue().add(new Msg(0, null, r));
            }
        }

        void unregister(Route r) {
            routes.compareAndSet(r.user(), r, null);
        }

        /** Sends one text message, waiting for it to go out; sends on the socket never overlap. */
        void send(String text) throws Exception {
            sendLock.lock();
            try {
                ws.sendText(text, true).get(o.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                sendLock.unlock();
            }
        }

        /** Flow control (slow readers, one stream per socket): one more message may come. */
        void request(long n) {
            ws.request(n);
        }

        /** Drops the connection at once; its streams learn that it closed. */
        void abort() {
            WebSocket w = ws;
            if (w != null) {
                w.abort();
            }
            closed();
        }

        private void close() {
            WebSocket w = ws;
            if (w != null && !closed) {
                sendLock.lock();
                try {
                    w.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // going away anyway
                } finally {
                    sendLock.unlock();
                }
            }
            abort();
        }

        /** Every stream still on the socket gets one closed message. */
        private void closed() {
            closed = true;
            for (int i = 0; i < users; i++) {
                Route r = routes.getAndSet(i, null);
                if (r != null) {
                    r.queue().add(new Msg(0, null, r));
                }
            }
        }

        /** Hands the message to the worker waiting for its stream; false if nobody is (it is dropped). */
        private boolean route(String text, long nanos) {
            int at = text.indexOf(TAG);
            if (at >= 0) {
                int p = at + TAG.length();
                int q = p;
                int user = 0;
                char ch;
                while (q < text.length() && q - p < 6 && (ch = text.charAt(q)) >= '0' && ch <= '9') {
                    user = user * 10 + (ch - '0');
                    q++;
                }
                int end = text.indexOf('"', q);
                if (q > p && q < text.length() && text.charAt(q) == '.' && user < users && end > q) {
                    Route r = routes.get(user);
                    if (r != null && matches(text, p, end, r.name())) {
                        r.queue().add(new Msg(nanos, text, r));
                        return true;
                    }
                    for (int i = 0; i < LATE; i++) {
                        String name = late.get(user * LATE + i);
                        if (name != null && matches(text, p, end, name)) {
                            return false;
                        }
                    }
                }
            }
            tally.failure("ws_unrouted", text.length() > 300 ? text.substring(0, 300) : text);
            return false;
        }

        private static boolean matches(String text, int from, int to, String name) {
            return name.length() == to - from && text.regionMatches(from, name, 0, name.length());
        }

        private final class Listener implements WebSocket.Listener {
            private StringBuilder partial;

            @Override
            public void onOpen(WebSocket webSocket) {
                ws = webSocket;
                webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                if (!last) {
                    if (partial == null) {
                        partial = new StringBuilder();
                    }
                    partial.append(data);
                    webSocket.request(1);
                    return null;
                }
                String text;
                if (partial != null) {
                    text = partial.append(data).toString();
                    partial = null;
                } else {
                    text = data.toString();
                }
                boolean delivered = route(text, System.nanoTime());
                // a slow reader asks for the next message itself, after its pause
                if (!o.slowReader() || !delivered) {
                    webSocket.request(1);
                }
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed();
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed();
            }
        }
    }
}
