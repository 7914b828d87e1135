package io.aistream.stream;

import io.aistream.chunk.StreamChunk;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chunk source the test feeds by hand: {@link #next()} blocks until the test pushes a chunk, the
 * end or a failure, or until {@link #cancel()}. Records cancel/close and counts reads.
 */
final class ScriptedChunkSource implements ChunkSource {
    private sealed interface Event permits Chunk, End, Failure {}

    private record Chunk(StreamChunk chunk) implements Event {}

    private record End() implements Event {}

    private record Failure(Exception e) implements Event {}

    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger delivered = new AtomicInteger();

    static ScriptedChunkSource of(StreamChunk... chunks) {
        ScriptedChunkSource s = new ScriptedChunkSource();
        for (StreamChunk c : chunks) {
            s.push(c);
        }
        s.end();
        return s;
    }

    ScriptedChunkSource push(StreamChunk chunk) {
        events.add(new Chunk(chunk));
        return this;
    }

    void end() {
        events.add(new End());
    }

    void fail(Exception e) {
        events.add(new Failure(e));
    }

    @Override
    public Optional<StreamChunk> next() throws Exception {
        reads.incrementAndGet();
        while (true) {
            if (cancelled.get()) {
                return Optional.empty();
            }
            Event e = events.take();
            switch (e) {
                case Chunk c -> {
                    delivered.incrementAndGet();
                    return Optional.of(c.chunk());
                }
                case End end -> {
                    events.add(end); // stay at the end
                    return Optional.empty();
                }
                case Failure f -> throw f.e();
            }
        }
    }

    @Override
    public void cancel() {
        cancelled.set(true);
        events.add(new End());
    }

    @Override
    public void close() {
        closed.set(true);
        cancel();
    }

    boolean cancelled() {
        return cancelled.get();
    }

    boolean closed() {
        return closed.get();
    }

    /** How many times next() was entered. */
    int reads() {
        return reads.get();
    }

    /** How many chunks next() returned. */
    int delivered() {
        return delivered.get();
    }
}
