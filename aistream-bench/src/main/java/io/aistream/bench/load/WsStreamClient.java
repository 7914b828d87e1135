package io.aistream.bench.load;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.node.ObjectNode;

/**
 * One worker of the {@code ws} protocol: each stream is a {@code start} message with a fresh stream
 * name on the worker's {@link WsMux} socket (its own, or shared with other workers); the socket's
 * listener times each message on arrival and hands it to this worker's virtual thread, which follows
 * the stream. A slow reader (one worker per socket only) asks for the next message only after its
 * pause.
 */
final class WsStreamClient implements AutoCloseable {
    private final LoadOptions o;
    private final WsMux mux;
    private final int user;
    private final Tally tally;
    private final StreamTracker tracker;
    private final LinkedBlockingQueue<WsMux.Msg> queue = new LinkedBlockingQueue<>();

    /** The {@code user}-th worker of {@code mux}. */
    WsStreamClient(LoadOptions o, WsMux mux, int user, Tally tally) {
        this.o = o;
        this.mux = mux;
        this.user = user;
        this.tally = tally;
        this.tracker = new StreamTracker(tally, o.abortAfter());
    }

    /** Runs the stream with this global index (and tag, -1 for none) to its end and counts its outcome. */
    void run(long index, long tag, ObjectNode request) {
        tracker.tag = tag;
        tally.opened();
        try {
            runOnce(index, request);
        } finally {
            tally.closed();
        }
    }

    private void runOnce(long index, ObjectNode request) {
        long timeoutMs = o.timeout().toMillis();
        WsMux.Conn conn;
        try {
            conn = mux.connection();
        } catch (Exception e) {
            fail(tally.errors, "connect", e.toString());
            return;
        }
        String name = user + "." + index;
        WsMux.Route route = new WsMux.Route(user, name, queue);
        ObjectNode start = RequestBodies.JSON.createObjectNode();
        start.put("type", "start");
        start.put("stream", name);
        start.set("request", request);
        String text = RequestBodies.JSON.writeValueAsString(start);
        long sent = System.nanoTime();
        tracker.begin(sent);
        conn.register(route);
        try {
            conn.send(text);
            boolean slow = o.slowReader();
            long pauseMillis = slow ? o.readPause().toMillis() : 0;
            boolean abortSent = false;
            while (true) {
                WsMux.Msg m = queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
                if (m == null) {
                    giveUp(conn, route);
                    broke("read_timeout", "no message for " + timeoutMs + " ms");
                    return;
                }
                if (m.route() != route) { // a late message of this worker's previous stream
                    if (slow && !m.closed()) {
                        conn.request(1);
                    }
                    continue;
                }
                if (m.closed()) {
                    broke("closed", "the WebSocket closed before the stream's terminal");
                    return;
                }
                tracker.receivedNanos = m.nanos();
                tally.bytes.add(m.text().length());
                tracker.onMessage(m.text());
                if (tracker.errorEvent && !tracker.terminal && !m.text().contains("\"seq\":")) {
                    break; // the start was refused (e.g. too_many_streams): no chunks and no done follow
                }
                if (tracker.abortNow && !abortSent) {
                    abortSent = true;
                    mux.expectLate(route); // an abort racing the done is answered with an error
                    tracker.abortSent();
                    conn.send("{\"type\":\"abort\",\"stream\":\"" + name + "\"}");
                }
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                    conn.request(1);
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
            giveUp(conn, route);
            broke("interrupted", null);
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            // a send failed or timed out: the socket is broken (and a pending send blocks later ones)
            conn.unregister(route);
            conn.abort();
            broke("io", e.toString());
            return;
        } finally {
            conn.unregister(route);
        }
        if (tracker.errorEvent) {
            fail(tally.errors, "error_event", tracker.errorText);
        } else {
            tally.completed.increment();
        }
    }

    /**
     * Stops waiting for a stream: alone on its socket, the worker drops the socket (as a client that
     * gives up does); on a shared one it aborts just the stream and ignores what still comes for it.
     */
    private void giveUp(WsMux.Conn conn, WsMux.Route route) {
        conn.unregister(route);
        if (mux.users() == 1) {
            conn.abort();
            return;
        }
        mux.expectLate(route);
        try {
            conn.send("{\"type\":\"abort\",\"stream\":\"" + route.name() + "\"}");
        } catch (Exception e) {
            conn.abort();
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

    @Override
    public void close() {
        mux.release();
    }
}
