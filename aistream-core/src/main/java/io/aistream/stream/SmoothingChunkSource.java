package io.aistream.stream;

import io.aistream.chunk.ChunkType;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link ChunkSources#smooth}. Runs on the caller of {@link #next()}: it reads the inner source
 * only when it has nothing queued, cuts text into pieces, and before releasing a paced piece waits
 * for a tick scheduled on the {@link TimeSource}.
 */
final class SmoothingChunkSource implements ChunkSource {
    /** A queued output; {@code paced} pieces wait for their tick, everything else goes at once. */
    private record Out(StreamChunk chunk, boolean paced) {}

    private final ChunkSource inner;
    private final SmoothMode mode;
    private final long paceNanos;
    private final TimeSource time;

    // Touched only by the thread calling next() (one at a time, per the ChunkSource contract).
    private final ArrayDeque<Out> out = new ArrayDeque<>();
    private final StringBuilder held = new StringBuilder();
    private ChunkType heldType;
    private Exception pendingFailure;
    private boolean innerEnded;
    private boolean releasedText;
    private long lastRelease;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ticked = lock.newCondition();
    private volatile boolean cancelled;
    // guarded by lock
    private boolean tickDue;
    private TimeSource.Cancellable tickTask;

    SmoothingChunkSource(ChunkSource inner, SmoothMode mode, Duration pace, TimeSource time) {
        this.inner = inner;
        this.mode = mode;
        this.paceNanos = TimeMath.nonNegativeNanos(pace);
        this.time = time;
    }

    @Override
    public Optional<StreamChunk> next() throws Exception {
        while (true) {
            if (cancelled) {
                return Optional.empty();
            }
            Out o = out.peek();
            if (o != null) {
                if (o.paced()) {
                    awaitPace();
                    if (cancelled) {
                        return Optional.empty();
                    }
                }
                out.poll();
                if (o.chunk() instanceof ContentChunk || o.chunk() instanceof ReasoningChunk) {
                    releasedText = true;
                    lastRelease = time.nanoTime();
                }
                return Optional.of(o.chunk());
            }
            if (pendingFailure != null) {
                Exception e = pendingFailure;
                pendingFailure = null;
                innerEnded = true;
                throw e;
            }
            if (innerEnded) {
                return Optional.empty();
            }
            read();
        }
    }

    /** Reads one chunk from the inner source and queues what it turns into. */
    private void read() {
        Optional<StreamChunk> next;
        try {
            next = inner.next();
        } catch (Exception e) {
            // Deliver the text already received first, then the failure.
            flushHeld();
            pendingFailure = e;
            return;
        }
        if (next.isEmpty()) {
            flushHeld();
            innerEnded = true;
            return;
        }
        StreamChunk chunk = next.get();
        String text = switch (chunk) {
            case ContentChunk c -> c.delta();
            case ReasoningChunk r -> r.delta();
            default -> null;
        };
        if (text == null) {
            flushHeld();
            out.add(new Out(chunk, false));
            return;
        }
        if (heldType != null && heldType != chunk.type()) {
            flushHeld();
        }
        heldType = chunk.type();
        held.append(text);
        cutPieces();
    }

    /** Queues every complete piece at the front of {@code held} as a paced output. */
    private void cutPieces() {
        int start = 0;
        while (true) {
            int end = mode == SmoothMode.WORD ? endOfWord(held, start) : endOfLine(held, start);
            if (end < 0) {
                if (held.length() - start >= mode.maxPieceLength()) {
                    end = start + mode.maxPieceLength();
                    if (Character.isHighSurrogate(held.charAt(end - 1)) && Character.isLowSurrogate(held.charAt(end))) {
                        end--; // never split a surrogate pair
                    }
                } else {
                    break;
                }
            }
            out.add(new Out(textChunk(held.substring(start, end)), true));
            start = end;
        }
        held.delete(0, start);
    }

    /**
     * The end of the piece starting at {@code from}: optional whitespace, a word, and all the
     * whitespace after it that has arrived; -1 while the word has not been followed by whitespace.
     */
    private static int endOfWord(CharSequence s, int from) {
        int i = skip(s, from, true);
        int wordStart = i;
        i = skip(s, i, false);
        if (i == wordStart || i == s.length()) {
            return -1;
        }
        return skip(s, i, true);
    }

    /** Index of the first code point at or after {@code i} whose whitespace-ness differs from {@code whitespace}. */
    private static int skip(CharSequence s, int i, boolean whitespace) {
        while (i < s.length()) {
            int cp = Character.codePointAt(s, i);
            if (Character.isWhitespace(cp) != whitespace) {
                break;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    private static int endOfLine(CharSequence s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    /** Queues the held-back text, if any, to go out at once (before whatever caused the flush). */
    private void flushHeld() {
        if (!held.isEmpty()) {
            out.add(new Out(textChunk(held.toString()), false));
            held.setLength(0);
        }
        heldType = null;
    }

    private StreamChunk textChunk(String piece) {
        return heldType == ChunkType.REASONING ? ReasoningChunk.of(piece) : ContentChunk.of(piece);
    }

    /** Waits until {@code pace} has passed since the last text release, by a scheduled tick. */
    private void awaitPace() throws InterruptedException {
        if (!releasedText || paceNanos == 0) {
            return;
        }
        long wait = TimeMath.saturatedAdd(lastRelease, paceNanos) - time.nanoTime();
        if (wait <= 0) {
            return;
        }
        lock.lock();
        try {
            if (cancelled) {
                return;
            }
            tickDue = false;
            tickTask = time.schedule(Duration.ofNanos(wait), this::onTick);
            try {
                while (!tickDue && !cancelled) {
                    ticked.await();
                }
            } finally {
                tickTask.cancel();
                tickTask = null;
            }
        } finally {
            lock.unlock();
        }
    }

    private void onTick() {
        lock.lock();
        try {
            tickDue = true;
            ticked.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        lock.lock();
        try {
            if (tickTask != null) {
                tickTask.cancel();
            }
            ticked.signalAll();
        } finally {
            lock.unlock();
        }
        inner.cancel();
    }

    /** Delegates: the wrapped source knows the usage, provider and model. */
    @Override
    public DoneChunk fillDone(DoneChunk done) {
        return inner.fillDone(done);
    }

    @Override
    public void close() {
        cancel();
        inner.close();
    }
}
