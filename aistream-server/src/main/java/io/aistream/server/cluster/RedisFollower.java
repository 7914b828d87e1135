package io.aistream.server.cluster;

import io.aistream.chunk.ChunkJson;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.server.resume.ChunksEvictedException;
import io.aistream.server.resume.StoreUnavailableException;
import io.aistream.server.resume.StreamBuffer;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

/**
 * One reader of a Redis stream buffer: reads a batch of entries from its own position
 * ({@code XRANGE}, at most {@value #BATCH} at a time, so it holds little), and when there is nothing new,
 * waits on the node's {@link StreamWatcher}. A first entry past the expected seq means the ones between
 * were evicted: {@link ChunksEvictedException}. When Redis fails it retries for
 * {@link StreamWatcher#BLOCK}, then throws {@link StoreUnavailableException}: the reader has every chunk
 * up to there, and a resume later continues after the last one it got.
 */
final class RedisFollower implements StreamBuffer.Follower {
    static final int BATCH = 128;

    private final RedisResumeStore store;
    private final String streamId;
    private final String chunksKey;
    private final String metaKey;
    private final ArrayDeque<StreamChunk> ready = new ArrayDeque<>();
    private long position;
    private boolean ended;
    /** Whether a read has found nothing new (or something) at least once: see {@link #next()}. */
    private boolean caughtUpOnce;

    private volatile boolean closed;

    RedisFollower(RedisResumeStore store, String streamId, String chunksKey, String metaKey, long afterSeq) {
        this.store = store;
        this.streamId = streamId;
        this.chunksKey = chunksKey;
        this.metaKey = metaKey;
        this.position = afterSeq;
    }

    @Override
    public Optional<StreamChunk> next() throws InterruptedException {
        while (true) {
            StreamChunk chunk = ready.poll();
            if (chunk != null) {
                return Optional.of(chunk);
            }
            if (ended || closed) {
                return Optional.empty();
            }
            LocalProgress.Entry here = store.progress().of(streamId);
            int copied = here == null ? -1 : here.copyAfter(position, ready, BATCH);
            if (copied > 0) { // the producer runs here: the newest chunks come from its ring, not from Redis
                position = ready.peekLast().seq();
                if (ready.peekLast() instanceof DoneChunk) {
                    ended = true;
                }
                continue;
            }
            if (copied == 0 && caughtUpOnce && !here.over()) {
                // at the head of a stream produced here: Redis has nothing more either; wait for the producer
                here.await(position, StreamWatcher.BLOCK, () -> closed);
                continue;
            }
            List<StreamMessage<String, String>> batch = read();
            if (batch.isEmpty()) {
                if (closed) {
                    return Optional.empty();
                }
                // a reader that starts at or past the done chunk would otherwise wait for chunks that never come;
                // once it has read an entry, the done chunk reaches it through the stream itself
                if (!caughtUpOnce && nothingMoreComes()) {
                    ended = true;
                    continue;
                }
                caughtUpOnce = true;
                LocalProgress.Entry local = store.progress().of(streamId);
                boolean more = local != null && !local.over()
                        ? local.await(position, StreamWatcher.BLOCK, () -> closed)
                        : store.watcher().await(chunksKey, position, StreamWatcher.BLOCK, () -> closed);
                if (!more && !closed && nothingMoreComes()) {
                    ended = true; // finished (and maybe expired) under a reader that never saw its done
                }
                continue;
            }
            caughtUpOnce = true;
            long first = RedisKeys.seqOf(batch.getFirst().getId());
            if (first != position + 1) {
                throw new ChunksEvictedException(streamId, position + 1, first);
            }
            for (StreamMessage<String, String> m : batch) {
                StreamChunk c = ChunkJson.parse(m.getBody().get("c"));
                ready.add(c);
                position = RedisKeys.seqOf(m.getId());
                if (c instanceof DoneChunk) {
                    ended = true;
                    break;
                }
            }
        }
    }

    /** The next entries after the position; retries a failing Redis for a while. */
    private List<StreamMessage<String, String>> read() throws InterruptedException {
        long deadline = System.nanoTime() + StreamWatcher.BLOCK.toNanos();
        while (true) {
            try {
                return store.redis()
                        .sync()
                        .xrange(chunksKey, Range.create(RedisKeys.entryId(position + 1), "+"), Limit.from(BATCH));
            } catch (RedisException e) {
                if (closed) {
                    return List.of();
                }
                if (System.nanoTime() - deadline > 0) {
                    throw store.redis().unavailable("read stream " + streamId, e);
                }
                // waits for the watcher (which retries on its own) or a close, at most a moment
                store.watcher().nap(Duration.ofMillis(250), () -> closed);
            }
        }
    }

    /** Whether the stream is gone, or finished with its done chunk at or before this reader's position. */
    private boolean nothingMoreComes() {
        try {
            List<KeyValue<String, String>> m = store.redis().sync().hmget(metaKey, "done", "last");
            if (m.get(0).isEmpty()) {
                return true; // finished and expired, or never there
            }
            return "1".equals(m.get(0).getValue()) && Long.parseLong(m.get(1).getValueOrElse("-1")) <= position;
        } catch (RedisException e) {
            return false; // the next read reports the failure
        }
    }

    @Override
    public void close() {
        closed = true;
        store.watcher().poke();
        LocalProgress.Entry local = store.progress().of(streamId);
        if (local != null) {
            local.poke();
        }
    }
}
