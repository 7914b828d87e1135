package io.aistream.server.jetty;

import io.aistream.server.http.NonBlockingBody;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a Jetty core {@link Response}. Blocking mode (the default) is Jetty's own
 * {@link Content.Sink#asOutputStream} (each write a blocking write to the connection, no copy of ours).
 * Non-blocking mode collects the bytes written since the last flush in an array of ours and hands them to
 * {@link Response#write(boolean, ByteBuffer, Callback)} at the flush: one write per flush, the one copy the
 * writer's reused buffer makes necessary. The arrays are reused: the one of a completed write takes the next
 * event.
 *
 * <p><b>Threading.</b> {@code blockingLock} is held across each blocking write, so switching to non-blocking
 * mode waits for one in progress; {@code lock} guards the non-blocking state and is never held while calling
 * Jetty or a callback. Jetty may complete a write inline (inside {@code write}) or on its selector thread:
 * the completion is declared non-blocking and only starts the pending write or runs the armed callback.
 */
final class JettyBody extends NonBlockingBody {
    private static final Logger LOG = LoggerFactory.getLogger(JettyBody.class);
    private static final int INITIAL_SIZE = 512;

    private final Response response;
    private final OutputStream blocking;
    private final ReentrantLock blockingLock = new ReentrantLock();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition settled = lock.newCondition();
    private final Callback completion = new Completion();
    private volatile boolean nonBlocking;

    // guarded by lock
    /** Bytes written since the last flush. */
    private byte[] open = new byte[INITIAL_SIZE];

    private int openLength;
    /** Bytes flushed while a write was in flight; null when none. */
    private byte[] pending;

    private int pendingLength;
    /** The array Jetty is writing from (untouched until the write completes). */
    private byte[] writing;
    /** A free array, the one of the last completed write. */
    private byte[] spare;

    private IOException failure;
    private Runnable armed;

    JettyBody(Response response) {
        this.response = response;
        this.blocking = Content.Sink.asOutputStream(response);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (true) { // the mode may change between the two checks: ask again
            if (!nonBlocking && writeBlocking(b, off, len)) {
                return;
            }
            lock.lock();
            try {
                throwIfFailed();
                if (nonBlocking) {
                    if (openLength + len > open.length) {
                        open = Arrays.copyOf(open, Math.max(open.length * 2, openLength + len));
                    }
                    System.arraycopy(b, off, open, openLength, len);
                    openLength += len;
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Writes the blocking way if the body is (still) in blocking mode; false if it is non-blocking now. */
    private boolean writeBlocking(byte[] b, int off, int len) throws IOException {
        blockingLock.lock();
        try {
            if (nonBlocking) {
                return false;
            }
            throwIfFailedLocked();
            blocking.write(b, off, len);
            return true;
        } finally {
            blockingLock.unlock();
        }
    }

    @Override
    public void flush() throws IOException {
        while (!nonBlocking) {
            blockingLock.lock();
            try {
                if (!nonBlocking) {
                    throwIfFailedLocked();
                    blocking.flush();
                    return;
                }
            } finally {
                blockingLock.unlock();
            }
        }
        ByteBuffer start;
        lock.lock();
        try {
            throwIfFailed();
            if (openLength == 0) {
                return;
            }
            if (writing != null) {
                appendPending();
                return;
            }
            writing = open;
            start = ByteBuffer.wrap(open, 0, openLength);
            open = spare != null ? spare : new byte[Math.max(INITIAL_SIZE, openLength)];
            spare = null;
            openLength = 0;
        } finally {
            lock.unlock();
        }
        response.write(false, start, completion);
    }

    /** Under lock: moves the open bytes behind the write in flight, failing the body past the cap. */
    private void appendPending() throws IOException {
        if (pendingLength + openLength > MAX_PENDING_BYTES) {
            failure = new IOException("more than " + MAX_PENDING_BYTES
                    + " bytes waiting behind a write in flight: the client does not read");
            LOG.warn("response body failed: {}", failure.getMessage());
            openLength = 0;
            pending = null;
            pendingLength = 0;
            throw failure;
        }
        if (pending == null) {
            pending = new byte[Math.max(INITIAL_SIZE, openLength)];
        } else if (pendingLength + openLength > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + openLength));
        }
        System.arraycopy(open, 0, pending, pendingLength, openLength);
        pendingLength += openLength;
        openLength = 0;
    }

    @Override
    public void close() throws IOException {
        try {
            nonBlocking(false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a write in flight", e);
        }
        blockingLock.lock();
        try {
            throwIfFailedLocked();
            blocking.close();
        } finally {
            blockingLock.unlock();
        }
    }

    @Override
    public void nonBlocking(boolean on) throws InterruptedException {
        if (on) {
            blockingLock.lock(); // behind a blocking write in progress
            try {
                nonBlocking = true;
            } finally {
                blockingLock.unlock();
            }
            return;
        }
        byte[] left;
        lock.lock();
        try {
            while (writing != null && failure == null) {
                settled.await();
            }
            nonBlocking = false;
            if (openLength == 0 || failure != null) {
                return;
            }
            // written but never flushed: goes out first, the blocking way
            left = Arrays.copyOf(open, openLength);
            openLength = 0;
        } finally {
            lock.unlock();
        }
        try {
            write(left, 0, left.length);
        } catch (IOException e) {
            // failed: the next write says so
        }
    }

    @Override
    public boolean isNonBlocking() {
        return nonBlocking;
    }

    @Override
    public boolean writable() {
        lock.lock();
        try {
            return writing == null || failure != null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onWritable(Runnable callback) {
        lock.lock();
        try {
            if (writing != null && failure == null) {
                armed = callback;
                return;
            }
            armed = null;
        } finally {
            lock.unlock();
        }
        callback.run();
    }

    private void throwIfFailed() throws IOException {
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
    }

    private void throwIfFailedLocked() throws IOException {
        lock.lock();
        try {
            throwIfFailed();
        } finally {
            lock.unlock();
        }
    }

    /** Jetty's completion of a non-blocking write. */
    private final class Completion implements Callback {
        @Override
        public void succeeded() {
            ByteBuffer next = null;
            Runnable callback = null;
            lock.lock();
            try {
                spare = writing;
                writing = null;
                if (failure == null && pendingLength > 0) {
                    writing = pending;
                    next = ByteBuffer.wrap(pending, 0, pendingLength);
                    pending = null;
                    pendingLength = 0;
                } else {
                    callback = armed;
                    armed = null;
                    settled.signalAll();
                }
            } finally {
                lock.unlock();
            }
            if (next != null) {
                response.write(false, next, this);
            } else if (callback != null) {
                callback.run();
            }
        }

        @Override
        public void failed(Throwable x) {
            Runnable callback;
            lock.lock();
            try {
                if (failure == null) {
                    failure = x instanceof IOException io ? io : new IOException(x);
                }
                writing = null;
                pending = null;
                pendingLength = 0;
                callback = armed;
                armed = null;
                settled.signalAll();
            } finally {
                lock.unlock();
            }
            if (callback != null) {
                callback.run();
            }
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING; // it never blocks: Jetty may run it on its selector thread
        }
    }
}
