package io.aistream.stream;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import java.util.concurrent.Executor;

/**
 * A read-ahead task that pulls from the source into a {@link ChunkQueue} until the terminal chunk,
 * a full {@link BufferQueue}, or cancellation; the consumer takes from the queue.
 *
 * <p>The task owns the source's reading; it finishes (closes) the source on its way out, whatever
 * the reason.
 */
final class ReadAheadFeed implements ChunkFeed, Runnable {
    private final SourceHandle source;
    private final SourceReader reader;
    private final ChunkQueue queue;

    ReadAheadFeed(ChunkSource source, Backpressure strategy, QueueLimits limits) {
        this.source = new SourceHandle(source);
        this.reader = new SourceReader(this.source);
        this.queue = ChunkQueue.create(strategy, limits);
        this.queue.fillMadeUpDonesWith(this.source::fillDone);
    }

    /** Starts the read-ahead; on rejection the source is cancelled and the exception rethrown. */
    void start(Executor executor) {
        try {
            executor.execute(this);
        } catch (RuntimeException e) {
            cancel();
            throw e;
        }
    }

    @Override
    public void run() {
        try {
            StreamChunk chunk;
            while ((chunk = reader.read()) != null) {
                if (!queue.put(chunk)) {
                    source.cancel(); // overflowed, or the consumer is gone
                    return;
                }
                if (chunk instanceof DoneChunk) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // Only whoever runs the read-ahead can interrupt it; the stream cannot go on without it.
            queue.fail(ChunkError.of(ErrorCode.SOURCE_FAILURE, "the read-ahead task was interrupted"));
            source.cancel();
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            queue.fail(ChunkError.of(ErrorCode.INTERNAL, "the read-ahead task failed: " + e));
            source.cancel();
            throw e;
        } finally {
            source.finish();
        }
    }

    @Override
    public StreamChunk take() throws InterruptedException {
        return queue.take();
    }

    @Override
    public void cancel() {
        queue.close();
        source.cancel();
    }

    @Override
    public DoneChunk fillDone(DoneChunk done) {
        return source.fillDone(done);
    }

    @Override
    public int highWaterMark() {
        return queue.highWaterMark();
    }

    @Override
    public boolean producerWaiting() {
        return queue.producerWaiting();
    }
}
