package io.aistream.sse;

import java.io.InputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An input stream that serves the chunks offered to it, one chunk (or part of it) per read, and
 * blocks while none is queued — like a network stream whose peer has not sent more yet.
 */
final class QueueInputStream extends InputStream {
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private byte[] current;
    private int pos;
    private int readCalls;
    boolean closed;

    void offer(byte[] chunk) {
        if (chunk.length > 0) {
            chunks.add(chunk);
        }
    }

    void offerEnd() {
        chunks.add(END);
    }

    /** How many reads were served or are waiting. */
    int readCalls() {
        return readCalls;
    }

    /** Whether a read would block right now. */
    boolean wouldBlock() {
        return (current == null || pos == current.length) && chunks.isEmpty();
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        readCalls++;
        if (len == 0) {
            return 0;
        }
        if (current == null || pos == current.length) {
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pos = 0;
            if (current == END) {
                chunks.add(END);
                return -1;
            }
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() {
        closed = true;
    }
}
