package io.aistream.bench.upstream;

import io.aistream.bench.http.Bytes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * One streamed HTTP response (OpenAI or native SSE) being sent by a {@link Pacer}: its schedule,
 * its fault, the bytes of the write in progress and what comes next.
 *
 * <p><b>Threads and ownership.</b> The connection's virtual thread creates it, writes the response
 * head and puts the channel in non-blocking mode ({@link #begin}), hands the stream to a pacer and
 * waits in {@link #await()}. From then on only that pacer's thread touches the stream
 * and its channel, until it ends (completed, cut or aborted: the counters are updated and, unless
 * completed, the channel is closed) and the pacer {@linkplain #release() releases} it, after
 * taking the channel off its selector. The virtual thread then owns the channel again: on a clean
 * end it switches it back to blocking mode and reads the next request.
 *
 * <p><b>Writes.</b> A paced chunk is encoded into the pacer's {@link Scratch} buffer, stamped with
 * {@link System#nanoTime()} just before its one non-blocking write, and its lag (send time minus
 * due time) recorded. Unpaced chunks go out in batches of up to {@link #BATCH_BYTES} per write,
 * all stamped with that write's time. When the socket takes only part of a write, the rest is
 * copied here ({@link Next#BLOCKED}) and nothing more is encoded until it has drained: TCP
 * backpressure holds the stream back, its memory stays at most one batch, and its later chunks
 * go out late and count as lag. A paced stream with nothing pending holds no buffer.
 */
final class PacedStream {
    /** Bytes of unpaced chunks encoded into one write (at least one chunk). */
    static final int BATCH_BYTES = 64 * 1024;

    /** How a stream ended. */
    enum Outcome {
        COMPLETED,
        CUT,
        ABORTED
    }

    /** Where the pacer puts the stream after a step. */
    enum Next {
        /** Wait for {@link #due()} on the timer. */
        TIMER,
        /** Unpaced: write again as soon as the other streams have had a turn. */
        RUNNABLE,
        /** A write is incomplete: wait until the socket is writable, then {@link #flush()}. */
        BLOCKED,
        /** Ended ({@link #outcome()}); release it. */
        DONE
    }

    final SocketChannel channel;
    private final ChunkedResponse response;
    private final FakeUpstream.Counters counters;
    private final Thread owner;
    private final int chunks;
    private final long interval;
    private final Fault fault;
    private final boolean close;
    private final long tag;
    /** The unwritten rest of the last write (unpaced: a kept buffer, maybe drained), or null. */
    private ByteBuffer pending;

    /** Index of the next content chunk to encode. */
    private int next;
    /** When the next chunk is due (nanoTime); the pacer's timer key, changed only while not on the timer. */
    private long due;
    /** Whether the next chunk has a due time its lag is measured against. */
    private boolean timed;

    private boolean stalled;
    /** Whether the last write (and so its pending rest) ends with the stream's last chunk. */
    private boolean lastWrite;

    private Outcome outcome;
    private volatile boolean released;

    /** The pacer's registration of the channel, once a write has blocked; owned by the pacer. */
    SelectionKey key;
    /** Whether the pacer is waiting for the channel to become writable; owned by the pacer. */
    boolean waitingWritable;

    /**
     * Counts the stream as started and active; called on the connection's thread, which then
     * calls {@link #begin}.
     *
     * @param start when the request was taken (the first chunk is due {@code ttftMs} later)
     */
    PacedStream(
            SocketChannel channel,
            WireFormat format,
            StreamParams p,
            boolean close,
            FakeUpstream.Counters counters,
            long start) {
        this.channel = channel;
        this.response = new ChunkedResponse(format, p.chunkSize());
        this.counters = counters;
        this.owner = Thread.currentThread();
        this.chunks = p.chunks();
        this.interval = p.intervalNanos();
        this.fault = p.fault();
        this.due = start + p.ttftMs() * 1_000_000L;
        this.timed = interval > 0 || p.ttftMs() > 0;
        this.close = close;
        this.tag = p.tag();
        counters.started.increment();
        counters.active.incrementAndGet();
    }

    /**
     * Writes the response head and the opening message with a blocking write, then puts the
     * channel in non-blocking mode for the pacer (connection's thread). On failure the stream has
     * ended as aborted.
     */
    void begin(OutputStream socketOut) throws IOException {
        Bytes out = new Bytes(512);
        response.head(out, close);
        try {
            socketOut.write(out.array(), 0, out.length());
            channel.configureBlocking(false);
        } catch (IOException e) {
            end(Outcome.ABORTED);
            throw e;
        }
    }

    /** When the next chunk is due (valid while {@link Next#TIMER}). */
    long due() {
        return due;
    }

    /**
     * What to do now that nothing is pending: end with a cut, start a stall, or wait for the next
     * chunk (timer, or at once when unpaced). Called by the pacer when it takes the stream and
     * after each completed write.
     */
    Next schedule() {
        if (next < chunks && next == fault.atChunk()) {
            if (fault.kind() == Fault.Kind.CUT) {
                return end(Outcome.CUT);
            }
            if (fault.kind() == Fault.Kind.STALL && !stalled) {
                stalled = true;
                counters.stalls.increment();
                due = Math.max(due, System.nanoTime() + fault.millis() * 1_000_000L);
                return Next.TIMER;
            }
        }
        return timed ? Next.TIMER : Next.RUNNABLE;
    }

    /** Encodes and writes the next chunk (paced) or batch (unpaced), with the tail after the last. */
    Next send(Scratch scratch) {
        Bytes out = scratch.bytes().reset();
        int[] stampAt = scratch.stampAt;
        int n = 0;
        int limit = interval > 0 ? Math.min(next + 1, chunks) : batchEnd();
        while (next + n < limit && (n == 0 || out.length() < BATCH_BYTES)) {
            if (n == stampAt.length) {
                stampAt = scratch.stampAt = Arrays.copyOf(stampAt, n * 2);
            }
            stampAt[n] = response.content(out, next + n);
            n++;
        }
        lastWrite = next + n == chunks;
        if (lastWrite) {
            response.tail(out, chunks);
        }
        long now = System.nanoTime();
        byte[] a = out.array();
        for (int i = 0; i < n; i++) {
            Stamp.write(a, stampAt[i], next + i, now);
        }
        if (timed && n > 0) {
            counters.lag.record(now - due);
        }
        next += n;
        counters.chunks.add(n);
        due += interval;
        timed = interval > 0;
        ByteBuffer view = scratch.view();
        try {
            channel.write(view);
        } catch (IOException e) { // the client went away (or the server is closing)
            return end(Outcome.ABORTED);
        }
        if (view.hasRemaining()) {
            keep(view);
            return Next.BLOCKED;
        }
        return lastWrite ? end(Outcome.COMPLETED) : schedule();
    }

    /** The end (exclusive) of the next unpaced batch: the stream's end or the next fault's chunk. */
    private int batchEnd() {
        boolean pendingFault = fault.kind() == Fault.Kind.CUT || (fault.kind() == Fault.Kind.STALL && !stalled);
        return pendingFault && fault.atChunk() > next ? Math.min(chunks, fault.atChunk()) : chunks;
    }

    /** Copies the unwritten rest of a write; an unpaced stream keeps its buffer for the next time its socket fills. */
    private void keep(ByteBuffer rest) {
        if (pending == null || pending.capacity() < rest.remaining()) {
            pending = ByteBuffer.allocate(
                    interval > 0 ? rest.remaining() : Math.max(rest.remaining(), BATCH_BYTES + 1024));
        }
        pending.clear();
        pending.put(rest).flip();
    }

    /** Writes what is pending (the socket became writable); when all is written, goes on to {@link #schedule()}. */
    Next flush() {
        try {
            channel.write(pending);
        } catch (IOException e) { // the client went away (or the server is closing)
            return end(Outcome.ABORTED);
        }
        if (pending.hasRemaining()) {
            return Next.BLOCKED;
        }
        if (interval > 0) {
            pending = null; // paced: rarely blocks, so hold no buffer meanwhile
        }
        return lastWrite ? end(Outcome.COMPLETED) : schedule();
    }

    /** Ends the stream (once): counts the outcome, closes the channel unless it completed. */
    Next end(Outcome o) {
        if (outcome != null) {
            return Next.DONE;
        }
        outcome = o;
        switch (o) {
            case COMPLETED -> counters.completed.increment();
            case CUT -> counters.cut.increment();
            case ABORTED -> {
                counters.aborted.increment();
                counters.aborts.record(tag);
            }
        }
        counters.active.decrementAndGet();
        if (o != Outcome.COMPLETED) {
            FakeUpstream.closeQuietly(channel);
        }
        return Next.DONE;
    }

    Outcome outcome() {
        return outcome;
    }

    /**
     * A pacer's encoding buffer, shared by its streams one write at a time (the pacer's thread
     * only): at most one batch and a chunk, so the pacer's memory does not grow with its streams.
     */
    static final class Scratch {
        private final Bytes bytes = new Bytes(BATCH_BYTES + 1024);
        private ByteBuffer view = ByteBuffer.wrap(bytes.array());
        /** Where each chunk of the write being encoded has its stamp. */
        private int[] stampAt = new int[256];

        Bytes bytes() {
            return bytes;
        }

        /** The bytes appended since the last reset, as a buffer positioned at their start. */
        ByteBuffer view() {
            if (view.array() != bytes.array()) {
                view = ByteBuffer.wrap(bytes.array());
            }
            return view.limit(bytes.length()).position(0);
        }
    }

    /**
     * Hands the stream back to the connection's thread: called by the pacer once the stream has
     * ended and its channel is off the selector.
     */
    void release() {
        released = true;
        LockSupport.unpark(owner);
    }

    /** Waits (connection's thread) until the pacer releases the stream; returns how it ended. */
    Outcome await() {
        while (!released) {
            LockSupport.park(this);
        }
        return outcome;
    }
}
