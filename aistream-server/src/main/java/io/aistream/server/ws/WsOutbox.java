package io.aistream.server.ws;

import io.aistream.server.http.WsConnection;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * One socket's outbound traffic: a bounded queue written to the socket one frame at a time.
 *
 * <p><b>Bounds.</b> The queue holds at most {@code maxBytes} bytes and {@code maxMessages}
 * messages, counting the message being written until the binding reports it written. A stream's
 * {@link #put} blocks while its message does not fit, so the stream's pull stops and its
 * backpressure strategy decides what happens upstream; memory does not grow with a slow client.
 * A single message larger than {@code maxBytes} is let through when the queue is empty (so the
 * bound is really {@code max(maxBytes, largest message)}; a coalesced delta may reach 64K chars).
 *
 * <p><b>Control messages</b> (error replies, pings, pongs, the close) never block — they are queued
 * from the binding's reading thread, which keeps reading so that pongs and a closing client are noticed —
 * and may exceed the bounds by at most {@link #CONTROL_ALLOWANCE} messages; beyond that
 * {@link #control} refuses, and the socket closes (1008): its client sends but does not read.
 *
 * <p><b>Threading.</b> Any thread may queue; the writes are serialized by a {@link Flusher} (one frame
 * in flight, the next one sent from the previous one's completion; a completion that runs inside the
 * send loops instead of recursing).
 */
final class WsOutbox {
    private sealed interface Item permits Text, Ping, Pong, Close {
        int bytes();
    }

    private record Text(String text, int bytes) implements Item {}

    private record Ping() implements Item {
        @Override
        public int bytes() {
            return 0;
        }
    }

    private record Pong(ByteBuffer payload) implements Item {
        @Override
        public int bytes() {
            return payload.remaining();
        }
    }

    private record Close(int code, String reason) implements Item {
        @Override
        public int bytes() {
            return 0;
        }
    }

    /** Control messages a socket may queue beyond {@code maxMessages}. */
    static final int CONTROL_ALLOWANCE = 64;

    private final WsConnection session;
    private final LongConsumer meter;
    private final int maxBytes;
    private final int maxMessages;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private final Flusher flusher = new Flusher();
    private Item inFlight;
    private long queuedBytes;
    private long peakBytes;
    private int peakMessages;
    private int waiting;
    /** No more stream messages: the socket is closing or closed. */
    private boolean closed;
    /** The socket is gone and every byte was given back to the meter: report nothing more. */
    private boolean released;

    WsOutbox(WsConnection session, int maxBytes, int maxMessages) {
        this(session, maxBytes, maxMessages, bytes -> {});
    }

    /**
     * @param meter told of every byte queued (+) and let go (-), under this outbox's lock; back to zero
     *              once the socket is gone ({@link #shutdown})
     */
    WsOutbox(WsConnection session, int maxBytes, int maxMessages, LongConsumer meter) {
        this.session = session;
        this.meter = meter;
        this.maxBytes = maxBytes;
        this.maxMessages = maxMessages;
    }

    /**
     * Queues a stream's message, waiting while the queue is full.
     *
     * @param bytes the message's UTF-8 length
     * @return false if the socket closed (the message is not sent)
     */
    boolean put(String text, int bytes) throws InterruptedException {
        lock.lock();
        try {
            while (!closed && !queue.isEmpty() && !fits(bytes)) {
                waiting++;
                try {
                    room.await();
                } finally {
                    waiting--;
                }
            }
            if (closed) {
                return false;
            }
            add(new Text(text, bytes));
        } finally {
            lock.unlock();
        }
        flusher.iterate();
        return true;
    }

    /**
     * Queues a control reply without waiting; false if the socket is closing or the client has left
     * {@link #CONTROL_ALLOWANCE} messages beyond the cap unread.
     */
    boolean control(String text, int bytes) {
        return addControl(new Text(text, bytes));
    }

    /** Queues a ping. */
    boolean ping() {
        return addControl(new Ping());
    }

    /** Queues the answer to a client's ping. */
    boolean pong(ByteBuffer payload) {
        return addControl(new Pong(payload));
    }

    /**
     * Ends the socket with a last message: what streams queued and is not yet being written is
     * dropped, then {@code lastMessage} (may be null) and a close frame with {@code code} and
     * {@code reason} are sent. Stream messages are refused from now on. Idempotent: only the first
     * call counts.
     */
    void closeWith(String lastMessage, int lastBytes, int code, String reason) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            dropQueued();
            if (lastMessage != null) {
                add(new Text(lastMessage, lastBytes));
            }
            add(new Close(code, reason));
            room.signalAll();
        } finally {
            lock.unlock();
        }
        flusher.iterate();
    }

    /**
     * Ends the socket politely: what is queued is still sent, then a close frame with {@code code}
     * and {@code reason}. Stream messages are refused from now on. Does nothing if the socket is
     * already closing.
     */
    void closeAfterQueued(int code, String reason) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            add(new Close(code, reason));
            room.signalAll();
        } finally {
            lock.unlock();
        }
        flusher.iterate();
    }

    /** The socket is gone: drop everything, wake waiting streams (their {@link #put} returns false). */
    void shutdown() {
        lock.lock();
        try {
            closed = true;
            dropQueued();
            if (!released) {
                released = true;
                if (inFlight != null && queue.peek() == inFlight) {
                    meter.accept(-inFlight.bytes()); // the binding may never report it written
                }
            }
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Test probe: the most bytes ever queued at once. */
    long peakBytes() {
        lock.lock();
        try {
            return peakBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Test probe: the most messages ever queued at once. */
    int peakMessages() {
        lock.lock();
        try {
            return peakMessages;
        } finally {
            lock.unlock();
        }
    }

    /** Test probe: streams waiting for room now. */
    int waitingStreams() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /** Test probe: bytes queued now. */
    long queuedBytes() {
        lock.lock();
        try {
            return queuedBytes;
        } finally {
            lock.unlock();
        }
    }

    int maxBytes() {
        return maxBytes;
    }

    int maxMessages() {
        return maxMessages;
    }

    private boolean addControl(Item item) {
        lock.lock();
        try {
            if (closed || queue.size() >= maxMessages + CONTROL_ALLOWANCE) {
                return false;
            }
            add(item);
        } finally {
            lock.unlock();
        }
        flusher.iterate();
        return true;
    }

    private boolean fits(int bytes) {
        return queuedBytes + bytes <= maxBytes && queue.size() < maxMessages;
    }

    private void add(Item item) {
        queue.add(item);
        queuedBytes += item.bytes();
        if (!released) {
            meter.accept(item.bytes());
        }
        peakBytes = Math.max(peakBytes, queuedBytes);
        peakMessages = Math.max(peakMessages, queue.size());
    }

    /** Drops queued items except the one being written (the binding still owns it). */
    private void dropQueued() {
        Iterator<Item> it = queue.iterator();
        while (it.hasNext()) {
            Item item = it.next();
            if (item != inFlight) {
                queuedBytes -= item.bytes();
                if (!released) {
                    meter.accept(-item.bytes());
                }
                it.remove();
            }
        }
    }

    /**
     * Sends the head of the queue; removes it once written, then sends the next. One owner at a time
     * ({@code active}, under the lock): the thread that found it idle, then whichever thread completes
     * the frame in flight. After a failed write it stops for good.
     */
    private final class Flusher {
        private static final int PENDING = 0;
        private static final int RETURNED = 1;
        private static final int COMPLETED = 2;

        private boolean active;
        private boolean failed;

        void iterate() {
            lock.lock();
            try {
                if (active || failed) {
                    return;
                }
                active = true;
            } finally {
                lock.unlock();
            }
            process();
        }

        /** Runs while this thread owns the flusher. */
        private void process() {
            while (true) {
                Item next;
                lock.lock();
                try {
                    next = failed ? null : queue.peek();
                    if (next == null || !session.isOpen()) {
                        active = false;
                        return;
                    }
                    inFlight = next;
                } finally {
                    lock.unlock();
                }
                Write done = new Write();
                switch (next) {
                    case Text t -> session.sendText(t.text(), done);
                    case Ping p -> session.sendPing(done);
                    case Pong p -> session.sendPong(p.payload(), done);
                    case Close c -> session.close(c.code(), c.reason(), done);
                }
                if (done.state.compareAndSet(PENDING, RETURNED)) {
                    return; // the completion, when it comes, carries on
                }
                if (done.error != null) {
                    return;
                }
            }
        }

        private void onSuccess() {
            lock.lock();
            try {
                Item sent = inFlight;
                inFlight = null;
                if (sent != null && queue.peek() == sent) {
                    queue.poll();
                    queuedBytes -= sent.bytes();
                    if (!released) {
                        meter.accept(-sent.bytes());
                    }
                }
                room.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private void onFailure() {
            lock.lock();
            try {
                failed = true;
                active = false;
            } finally {
                lock.unlock();
            }
            // the socket failed under a write; the binding closes it and the socket's close handling follows
            shutdown();
        }

        /** One frame's completion. */
        private final class Write implements WsConnection.SendCallback {
            final AtomicInteger state = new AtomicInteger(PENDING);
            volatile Throwable error;

            @Override
            public void succeeded() {
                onSuccess();
                if (!state.compareAndSet(PENDING, COMPLETED)) {
                    process(); // completed after the send returned: this thread owns the flusher now
                }
            }

            @Override
            public void failed(Throwable cause) {
                error = cause;
                onFailure();
                state.set(COMPLETED);
            }
        }
    }
}
