package io.aistream.server.cluster;

import io.aistream.chunk.ChunkJson;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.server.resume.StoreUnavailableException;
import io.aistream.server.resume.StreamBuffer;
import io.aistream.server.resume.StreamFencedException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.util.List;

/**
 * A resumable stream's chunks in a Redis Stream (see {@link RedisKeys}). Two kinds of handle: the
 * producer's, which carries the fencing epoch it was created or taken over with and may append; and a
 * read-only view that any node gets from {@link RedisResumeStore#lookup}, for followers.
 *
 * <p>An append is one script that checks the epoch, the order and the bounds, adds the entry, evicts the
 * oldest ones beyond {@code maxChunks}/{@code maxBytes}, keeps the answer text for a takeover, and on
 * {@code done} sets the time to live. An append refused because another node took the stream over throws
 * {@link StreamFencedException}; Redis out of reach throws {@link StoreUnavailableException}.
 *
 * <p>Thread-safe: appends come from one producer; followers on any thread.
 */
final class RedisStreamBuffer implements StreamBuffer {
    private final RedisResumeStore store;
    private final String streamId;
    private final String owner;
    /** The fencing epoch, null for a read-only view. */
    private final String epoch;

    private final String[] scriptKeys;
    private volatile long lastAppended;
    private volatile boolean finishedHere;
    /** The producer's progress report to local followers; null for a read-only view. */
    private final LocalProgress.Entry progress;

    RedisStreamBuffer(RedisResumeStore store, String streamId, String owner, String epoch, long lastSeq) {
        this.store = store;
        this.streamId = streamId;
        this.owner = owner;
        this.epoch = epoch;
        this.lastAppended = lastSeq;
        this.progress = epoch == null ? null : store.progress().produce(streamId, lastSeq);
        RedisKeys keys = store.keys();
        this.scriptKeys = new String[] {
            keys.meta(streamId), keys.chunks(streamId), keys.text(streamId), keys.gone(streamId), keys.leases()
        };
    }

    @Override
    public String streamId() {
        return streamId;
    }

    @Override
    public String owner() {
        return owner;
    }

    /** The fencing epoch this handle appends under; empty for a read-only view. */
    java.util.Optional<String> epoch() {
        return java.util.Optional.ofNullable(epoch);
    }

    @Override
    public void append(StreamChunk chunk) {
        if (epoch == null) {
            throw new IllegalStateException("stream " + streamId + ": a follower's view cannot append");
        }
        boolean done = chunk instanceof DoneChunk;
        String text = chunk instanceof ContentChunk c ? c.delta() : "";
        String json = ChunkJson.toJson(chunk);
        List<Object> result;
        try {
            result = store.redis()
                    .run(
                            RedisScript.APPEND,
                            ScriptOutputType.MULTI,
                            scriptKeys,
                            epoch,
                            Long.toString(chunk.seq()),
                            json,
                            Integer.toString(store.maxChunks()),
                            Long.toString(store.maxBytes()),
                            text,
                            chunk instanceof ToolCallChunk ? "1" : "0",
                            done ? "1" : "0",
                            Long.toString(store.ttl().toMillis()),
                            Long.toString(store.maxAge().toMillis()),
                            Long.toString(store.goneFor().toMillis()),
                            Long.toString(store.maxTextBytes()),
                            streamId);
        } catch (RuntimeException e) {
            store.progress().ended(streamId, progress);
            throw e;
        }
        long code = (Long) result.get(0);
        if (code != 0) {
            store.progress().ended(streamId, progress);
        }
        switch ((int) code) {
            case 0 -> {
                lastAppended = chunk.seq();
                finishedHere = done;
                progress.stored(chunk, json.length(), (Long) result.get(1));
                if (done) {
                    store.progress().ended(streamId, progress);
                }
            }
            case -1 -> throw new StreamFencedException(streamId);
            case -2 -> throw new IllegalStateException("stream " + streamId + " is no longer in the store");
            case -3 ->
                throw new IllegalStateException("stream " + streamId + " is finished; nothing more can be appended");
            case -4 ->
                throw new IllegalArgumentException(
                        "stream " + streamId + " expects seq " + ((Long) result.get(1) + 1) + ", got " + chunk.seq());
            default -> throw new IllegalStateException("unexpected answer " + result + " from the append script");
        }
    }

    @Override
    public void producerDone() {
        if (progress != null) {
            store.progress().ended(streamId, progress);
        }
    }

    @Override
    public boolean finished() {
        if (finishedHere) {
            return true;
        }
        try {
            String done = store.redis().sync().hget(scriptKeys[0], "done");
            return done == null || done.equals("1"); // gone: it finished and expired
        } catch (RedisException e) {
            return false;
        }
    }

    @Override
    public long lastSeq() {
        if (epoch != null) {
            return lastAppended;
        }
        return field("last", -1);
    }

    @Override
    public long oldestSeq() {
        return field("oldest", lastSeq() + 1);
    }

    private long field(String name, long absent) {
        String value;
        try {
            value = store.redis().sync().hget(scriptKeys[0], name);
        } catch (RedisException e) {
            throw store.redis().unavailable("read " + name, e);
        }
        return value == null ? absent : Long.parseLong(value);
    }

    @Override
    public Follower follow(long afterSeq) {
        return new RedisFollower(store, streamId, scriptKeys[1], scriptKeys[0], afterSeq);
    }
}
