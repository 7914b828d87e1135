package io.aistream.stream;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import java.util.Optional;

/**
 * Where a {@link ChatStream} takes its (unstamped, already repaired) chunks from: straight from the
 * source ({@link Backpressure#BLOCK}) or from a read-ahead queue (the other strategies).
 */
interface ChunkFeed {

    /** Consumer: the next chunk, or null when there is none (the terminal was taken, or cancelled). */
    StreamChunk take() throws InterruptedException;

    /** Any thread: cancels the source and makes a blocked {@link #take()} return null promptly. */
    void cancel();

    /** Any thread: the source's {@link ChunkSource#fillDone} for a done chunk the stream makes up. */
    DoneChunk fillDone(DoneChunk done);

    /** The source's readiness when the consumer reads it directly; empty for a read-ahead feed. */
    default Optional<SourceReadiness> readiness() {
        return Optional.empty();
    }

    /** For tests: the most chunks that ever waited for the consumer. */
    int highWaterMark();

    /** For tests: whether the read-ahead is waiting for the consumer to make room. */
    boolean producerWaiting();

    /** Reads on the consumer's thread, one source call per chunk asked for. */
    static ChunkFeed direct(ChunkSource source) {
        SourceHandle handle = new SourceHandle(source);
        SourceReader reader = new SourceReader(handle);
        return new ChunkFeed() {
            @Override
            public StreamChunk take() throws InterruptedException {
                return reader.read();
            }

            @Override
            public void cancel() {
                handle.cancel();
            }

            @Override
            public DoneChunk fillDone(DoneChunk done) {
                return handle.fillDone(done);
            }

            @Override
            public Optional<SourceReadiness> readiness() {
                return handle.readiness();
            }

            @Override
            public int highWaterMark() {
                return 0;
            }

            @Override
            public boolean producerWaiting() {
                return false;
            }
        };
    }
}
