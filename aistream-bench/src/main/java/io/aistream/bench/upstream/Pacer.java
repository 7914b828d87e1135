package io.aistream.bench.upstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * An event loop that sends the chunks of many {@link PacedStream}s: one platform thread (daemon,
 * named {@code fake-upstream-pacer-N}) owning a timer of "next chunk due" per stream (a binary
 * heap), a run queue of unpaced streams, and a {@link Selector} for streams whose last write did
 * not fit in the socket.
 *
 * <p><b>Loop.</b> Take new streams; finish the writes of streams whose sockets became writable;
 * send every chunk that is due (a late stream catches up chunk by chunk, on its absolute
 * schedule); give each unpaced stream one batch; then sleep until the next chunk is due. Wake-ups
 * are coalesced: the loop sleeps at least {@link #MIN_GAP_NANOS} after its last wake-up, so at
 * many streams one wake-up sends all chunks due in that window, at the cost of that much lag at
 * most. Sleeping uses {@link Selector#select(long)} (millisecond granularity, rounded down) for
 * the whole milliseconds and {@link LockSupport#parkNanos} for the rest; streams blocked on a full
 * socket are polled with {@link Selector#selectNow()} after each park. There is no busy wait.
 *
 * <p><b>Threads.</b> Everything here runs on the pacer's thread except {@link #submit} (any thread:
 * a lock-free inbox and a wake-up) and {@link #close}. When the pacer stops, every stream it holds
 * ends as aborted and is released.
 */
final class Pacer implements AutoCloseable {
    /**
     * Shortest time between two wake-ups while chunks are only waiting for their due time: 250 µs,
     * or the system property {@code aistream.bench.pacer.gapMicros}. Longer is cheaper (each
     * sleep and wake-up costs the thread some CPU) but adds lag and sends chunks in bigger bursts.
     */
    static final long MIN_GAP_NANOS = Math.max(0, Long.getLong("aistream.bench.pacer.gapMicros", 250)) * 1000;

    private static final long MS = 1_000_000L;

    private final Selector selector;
    private final Thread thread;
    private final Queue<PacedStream> inbox = new ConcurrentLinkedQueue<>();
    private final TimerHeap<PacedStream> timer = new TimerHeap<>();
    private final ArrayDeque<PacedStream> runnable = new ArrayDeque<>();
    private final List<PacedStream> releasing = new ArrayList<>();
    private final PacedStream.Scratch scratch = new PacedStream.Scratch();
    private volatile boolean sleeping;
    private volatile boolean closing;
    private volatile boolean stopped;
    private volatile int blocked;
    private boolean polled;
    private long lastWake;

    Pacer(String name) throws IOException {
        selector = Selector.open();
        thread = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
        thread.start();
    }

    /** Hands over a stream whose channel is in non-blocking mode (any thread). */
    void submit(PacedStream s) {
        inbox.add(s);
        if (sleeping) {
            selector.wakeup();
            LockSupport.unpark(thread);
        }
        if (stopped) {
            abortInbox();
        }
    }

    /** Streams waiting for their socket to drain (for tests and diagnostics). */
    int blockedStreams() {
        return blocked;
    }

    /** Stops the loop; streams still running end as aborted. */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        LockSupport.unpark(thread);
    }

    private void run() {
        try {
            while (!closing) {
                long now = System.nanoTime();
                lastWake = now;
                takeNew();
                if (!polled && !selector.keys().isEmpty()) {
                    selector.selectNow();
                }
                polled = false;
                finishWrites();
                sendDue(now);
                sendUnpaced();
                releaseEnded();
                sleep();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            stopped = true;
            abortAll();
        }
    }

    private void takeNew() {
        PacedStream s;
        while ((s = inbox.poll()) != null) {
            dispatch(s, s.schedule());
        }
    }

    private void finishWrites() {
        Set<SelectionKey> ready = selector.selectedKeys();
        if (ready.isEmpty()) {
            return;
        }
        for (SelectionKey k : ready) {
            PacedStream s = (PacedStream) k.attachment();
            if (k.isValid() && s.waitingWritable) {
                dispatch(s, s.flush());
            }
        }
        ready.clear();
    }

    private void sendDue(long now) {
        while (!timer.isEmpty() && timer.firstDue() - now <= 0) {
            PacedStream s = timer.poll();
            dispatch(s, s.send(scratch));
        }
    }

    private void sendUnpaced() {
        for (int n = runnable.size(); n > 0; n--) {
            PacedStream s = runnable.poll();
            dispatch(s, s.send(scratch));
        }
    }

    private void dispatch(PacedStream s, PacedStream.Next next) {
        switch (next) {
            case TIMER -> {
                writable(s);
                timer.add(s.due(), s);
            }
            case RUNNABLE -> {
                writable(s);
                runnable.add(s);
            }
            case BLOCKED -> blocked(s);
            case DONE -> {
                if (s.waitingWritable) {
                    s.waitingWritable = false;
                    blocked--;
                }
                if (s.key != null) {
                    s.key.cancel(); // the channel leaves the selector at its next selection
                    releasing.add(s);
                } else {
                    s.release();
                }
            }
        }
    }

    private void blocked(PacedStream s) {
        if (s.waitingWritable) {
            return;
        }
        try {
            if (s.key == null) {
                s.key = s.channel.register(selector, SelectionKey.OP_WRITE, s);
            } else {
                s.key.interestOps(SelectionKey.OP_WRITE);
            }
        } catch (ClosedChannelException | RuntimeException e) { // closed under us: the server is closing
            dispatch(s, s.end(PacedStream.Outcome.ABORTED));
            return;
        }
        s.waitingWritable = true;
        blocked++;
    }

    private void writable(PacedStream s) {
        if (s.waitingWritable) {
            s.waitingWritable = false;
            blocked--;
            s.key.interestOps(0);
        }
    }

    /** Releases ended streams whose channels were registered, once the selector has dropped them. */
    private void releaseEnded() throws IOException {
        if (releasing.isEmpty()) {
            return;
        }
        selector.selectNow();
        for (PacedStream s : releasing) {
            s.release();
        }
        releasing.clear();
    }

    private void sleep() throws IOException {
        if (!runnable.isEmpty()) {
            return;
        }
        sleeping = true;
        try {
            if (!inbox.isEmpty() || closing) {
                return;
            }
            if (timer.isEmpty()) {
                selector.select();
                polled = true;
                return;
            }
            long wakeAt = timer.firstDue();
            if (wakeAt - (lastWake + MIN_GAP_NANOS) < 0) {
                wakeAt = lastWake + MIN_GAP_NANOS;
            }
            long remaining = wakeAt - System.nanoTime();
            if (remaining <= 0) {
                return;
            }
            if (remaining >= MS) {
                selector.select(remaining / MS);
                polled = true;
            } else {
                LockSupport.parkNanos(this, remaining);
            }
        } finally {
            sleeping = false;
        }
    }

    private void abortAll() {
        List<PacedStream> held = timer.clear();
        held.addAll(runnable);
        for (SelectionKey k : selector.keys()) {
            PacedStream s = (PacedStream) k.attachment();
            if (s.waitingWritable) {
                held.add(s);
            }
        }
        runnable.clear();
        try {
            selector.close(); // deregisters every channel
        } catch (IOException ignored) {
            // closing anyway
        }
        for (PacedStream s : held) {
            abort(s);
        }
        for (PacedStream s : releasing) {
            s.release();
        }
        releasing.clear();
        abortInbox();
    }

    private void abortInbox() {
        PacedStream s;
        while ((s = inbox.poll()) != null) {
            abort(s);
        }
    }

    private static void abort(PacedStream s) {
        s.end(PacedStream.Outcome.ABORTED);
        s.release();
    }
}
