package io.aistream.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.node.ObjectNode;

/**
 * One worker's WebSocket ({@code java.net.http.WebSocket}) for the {@code ws} protocol: each stream
 * is a {@code start} message with a fresh stream id; messages are timed on arrival in the listener
 * and handed to the worker's virtual thread, which follows the stream. The socket is reused for the
 * worker's next stream. A slow reader asks for the next message only after its pause.
 */
final class WsStreamClient implements AutoCloseable {
    private static final Msg CLOSED = new Msg(0, null);
    private final LoadOptions o;
    private final HttpClient client;
    private final URI uri;
    private final Tally tally;
    private final StreamTracker tracker;
    private final LinkedBlockingQueue<Msg> queue = new LinkedBlockingQueue<>();
    private WebSocket ws;

    private record Msg(long nanos, String text) {
    }

    WsStreamClient(LoadOptions o, HttpClient client, URI uri, Tally tally) {
        this.o = o;
        this.client = client;
        this.uri = uri;
        this.tally = tally;
        this.tracker = new StreamTracker(tally, o.abortAfter());
    }

    void run(String streamId, ObjectNode request) {
        tally.opened();
        try {
            runOnce(streamId, request);
        } finally {
            tally.closed();
        }
    }

    private void runOnce(String streamId, ObjectNode request) {
        long timeoutMs = o.timeout().toMillis();
        try {
            if (ws == null || ws.isOutputClosed() || ws.isInputClosed()) {
                queue.clear();
                ws = client.newWebSocketBuilder().connectTimeout(o.timeout()).buildAsync(uri, new Listener())
                        .get(timeoutMs, TimeUnit.MILLISECONDS);
                tally.connects.increment();
            }
        } catch (Exception e) {
            ws = null;
            fail(tally.errors, "connect", e.toString());
            return;
        }
        ObjectNode start = RequestBodies.JSON.createObjectNode();
        start.put("type", "start");
        start.put("stream", streamId);
        start.set("request", request);
        String text = RequestBodies.JSON.writeValueAsString(start);
        long sent = System.nanoTime();
        tracker.begin(sent);
        try {
            ws.sendText(text, true).get(timeoutMs, TimeUnit.MILLISECONDS);
            long pauseMillis = o.slowReader() ? o.readPause().toMillis() : 0;
            boolean abortSent = false;
            while (true) {
                Msg m = queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
                if (m == null) {
                    drop();
                    broke("read_timeout", "no message for " + timeoutMs + " ms");
                    return;
                }
                if (m == CLOSED) {
                    ws = null;
                    broke("closed", "the WebSocket closed before the stream's terminal");
                    return;
                }
                tracker.receivedNanos = m.nanos();
                tally.bytes.add(m.text().length());
                tracker.onMessage(m.text());
                if (tracker.abortNow && !abortSent) {
                    abortSent = true;
                    ws.sendText("{\"type\":\"abort\",\"stream\":\"" + streamId + "\"}", true)
                            .get(timeoutMs, TimeUnit.MILLISECONDS);
                }
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                    ws.request(1);
                }
                if (tracker.terminal) {
                    if (abortSent) {
                        tracker.aborted();
                        return;
                    }
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drop();
            broke("interrupted", null);
            return;
        } catch (Exception e) {
            drop();
            broke("io", e.toString());
            return;
        }
        if (tracker.errorEvent) {
            fail(tally.errors, "error_event", tracker.errorText);
        } else {
            tally.completed.increment();
        }
    }

    private void broke(String reason, String detail) {
        if (tracker.errorEvent) {
            fail(tally.errors, "error_event", tracker.errorText);
        } else {
            fail(tally.truncated, reason, detail);
        }
    }

    private void fail(LongAdder counter, String reason, String detail) {
        counter.increment();
        tally.failure(reason, detail);
    }

    private void drop() {
        if (ws != null) {
            ws.abort();
            ws = null;
        }
    }

    @Override
    public void close() {
        if (ws != null) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // going away anyway
            }
            ws.abort();
            ws = null;
        }
    }

    private final class Listener implements WebSocket.Listener {
        private StringBuilder partial;

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (!last) {
                if (partial == null) {
                    partial = new StringBuilder();
                }
                partial.append(data);
            } else {
                String text;
                if (partial != null) {
                    text = partial.append(data).toString();
                    partial = null;
                } else {
                    text = data.toString();
                }
                queue.add(new Msg(System.nanoTime(), text));
            }
            if (!last || !o.slowReader()) {
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
            queue.add(CLOSED);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            queue.add(CLOSED);
        }
    }
}
