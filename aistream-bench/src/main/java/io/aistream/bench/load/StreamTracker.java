package io.aistream.bench.load;

import io.aistream.bench.upstream.Stamp;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseListener;

/**
 * Follows one stream's events: finds the stamps in each event's text and records how late each
 * chunk arrived, notices the terminal and error events. Protocol-agnostic: content chunks are the
 * events that carry stamps, so it never builds JSON trees. Reused across a worker's streams.
 */
final class StreamTracker implements SseListener, Stamp.Sink {
    private final Tally tally;
    /** The receive time of the bytes being fed now. */
    long receivedNanos;

    private long requestNanos;
    private int expectedSeq;
    private long chunks;
    boolean terminal;
    /** Set once the stream has delivered {@code abortAfter} chunks: the client should abort it now. */
    boolean abortNow;

    private final long abortAfter;
    /** The stream's global index, which tagged its request (with --abort-after). */
    long tag = -1;

    boolean errorEvent;
    String errorText;

    StreamTracker(Tally tally, long abortAfter) {
        this.tally = tally;
        this.abortAfter = abortAfter;
    }

    void begin(long requestSentNanos) {
        requestNanos = requestSentNanos;
        expectedSeq = 0;
        chunks = 0;
        terminal = false;
        abortNow = false;
        errorEvent = false;
        errorText = null;
    }

    long chunks() {
        return chunks;
    }

    /** Notes the time the client aborts this stream: call just before closing it or sending the abort. */
    void abortSent() {
        tally.abortSent(tag, System.nanoTime());
    }

    /** Counts a stream the client aborted on purpose. */
    void aborted() {
        tally.aborted.increment();
    }

    /** Counts the outcome of a stream whose body ended as framed. */
    void endedCleanly() {
        if (errorEvent) {
            tally.errors.increment();
            tally.failure("error_event", errorText);
        } else if (terminal) {
            tally.completed.increment();
        } else {
            tally.truncated.increment();
            tally.failure("no_terminal", "stream ended after " + chunks + " chunks without a terminal");
        }
    }

    /** Counts the outcome of a stream whose transport broke ({@code reason}) before the body's end. */
    void broke(String reason, String detail) {
        if (errorEvent) {
            tally.errors.increment();
            tally.failure("error_event", errorText);
        } else if (terminal) {
            tally.completed.increment(); // the terminal arrived; only the connection's end was untidy
        } else {
            tally.truncated.increment();
            tally.failure(reason, detail);
        }
    }

    @Override
    public void onEvent(SseEvent event) {
        onMessage(event.data());
    }

    /** One event's data or one WebSocket message. */
    void onMessage(String data) {
        if (Stamp.scan(data, this) > 0) {
            return;
        }
        if (data.equals("[DONE]") || data.contains("\"type\":\"done\"")) {
            terminal = true;
        } else if (data.contains("\"type\":\"error\"") || data.startsWith("{\"error\"")) {
            if (!errorEvent) {
                errorText = data.length() > 300 ? data.substring(0, 300) : data;
            }
            errorEvent = true;
        }
    }

    @Override
    public void stamp(int seq, long sentNanos) {
        long now = receivedNanos;
        long late = now - sentNanos;
        if (now >= tally.recordFrom) { // after the warm-up only: a cold relay's first chunks say little
            if (chunks == 0) {
                tally.ttfcAdded.record(late);
                tally.ttfc.record(now - requestNanos);
            }
            tally.chunkLatency.record(late);
        }
        if (seq != expectedSeq) {
            if (seq > expectedSeq) {
                tally.missing.add(seq - expectedSeq);
            } else {
                tally.outOfOrder.increment();
            }
        }
        expectedSeq = seq + 1;
        chunks++;
        tally.chunks.increment();
        if (chunks == abortAfter) {
            abortNow = true;
        }
    }
}
