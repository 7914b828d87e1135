package io.aistream.sse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A pull-style SSE decoder over an {@link InputStream}: {@link #next()} blocks until the next
 * event is complete, and returns it as soon as its blank line has been read — it never waits for
 * more input than that. Decoding is that of {@link SseDecoder}.
 *
 * <p>The stream is read in chunks of up to 8 KiB; several events from one chunk are queued and
 * returned by the following calls without reading.
 *
 * <p><b>Ownership.</b> The reader owns the stream: {@link #close()} closes it. Reaching the end of
 * the events does not close it.
 *
 * <p><b>Threading.</b> Not thread-safe; use it from one thread at a time. Whether closing from
 * another thread unblocks a waiting {@code next()} depends on the stream.
 */
public final class SseReader implements AutoCloseable, Iterable<SseEvent> {
    private static final int CHUNK = 8192;

    private final InputStream in;
    private final SseDecoder decoder;
    private final ArrayDeque<SseEvent> ready = new ArrayDeque<>();
    private final byte[] chunk = new byte[CHUNK];
    private boolean endOfInput;
    private boolean closed;

    /** A reader with the {@link SseLimits#DEFAULTS default limits}. */
    public SseReader(InputStream in) {
        this(in, SseLimits.DEFAULTS);
    }

    /** A reader of {@code in}, which it owns, enforcing {@code limits}. */
    public SseReader(InputStream in, SseLimits limits) {
        this.in = Objects.requireNonNull(in, "in");
        this.decoder = new SseDecoder(ready::add, limits);
    }

    /**
     * Blocks until the next event is dispatched.
     *
     * @return the next event, or empty once the stream has ended (an unfinished last event is
     *         discarded)
     * @throws UncheckedIOException      if reading the stream fails
     * @throws SseLimitExceededException if the stream breaks a limit
     * @throws IllegalStateException     if the reader is closed
     */
    public Optional<SseEvent> next() {
        if (closed) {
            throw new IllegalStateException("the SSE reader is closed");
        }
        while (ready.isEmpty() && !endOfInput) {
            int n;
            try {
                n = in.read(chunk, 0, chunk.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (n < 0) {
                endOfInput = true;
                decoder.end();
            } else {
                decoder.feed(chunk, 0, n);
            }
        }
        return Optional.ofNullable(ready.poll());
    }

    /** The last event id seen so far (see {@link SseDecoder#lastEventId()}). */
    public String lastEventId() {
        return decoder.lastEventId();
    }

    /**
     * The reconnection time set by the latest valid {@code retry} field read so far, including
     * one in a block that dispatched no event.
     */
    public OptionalLong reconnectionTime() {
        return decoder.reconnectionTime();
    }

    /**
     * An iterator over the remaining events; it pulls with {@link #next()} and throws the same
     * exceptions. All iterators share this reader's position.
     */
    @Override
    public Iterator<SseEvent> iterator() {
        return new Iterator<>() {
            private SseEvent peeked;

            @Override
            public boolean hasNext() {
                if (peeked == null) {
                    peeked = SseReader.this.next().orElse(null);
                }
                return peeked != null;
            }

            @Override
            public SseEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                SseEvent event = peeked;
                peeked = null;
                return event;
            }
        };
    }

    /**
     * Closes the input stream. Idempotent.
     *
     * @throws UncheckedIOException if closing the stream fails
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ready.clear();
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
