package io.aistream.server.cluster;

import io.aistream.server.resume.ResumeStore;
import io.aistream.server.resume.StoreUnavailableException;
import io.aistream.server.resume.StreamBuffer;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@link ResumeStore} of a multi-node gateway: every resumable stream in Redis (see
 * {@link RedisKeys}), so any node replays and follows any stream with the guarantees of the in-memory
 * store — every chunk once, in seq order, none missing; the oldest evicted beyond {@code maxChunks} or
 * {@code maxBytes} (then 410); kept for {@code ttl} after {@code done} (then 204 for {@link #goneFor()},
 * then 404).
 *
 * <p><b>Memory.</b> In Redis a stream holds at most its chunk and byte bounds plus its answer text (at most
 * {@link #maxTextBytes()}, beyond which it is dropped and the stream can no longer be taken over); every
 * key expires: {@code ttl} after {@code done}, and {@link #maxAge()} after the last append of a stream
 * that never finished. On the node, a follower holds at most one batch of {@value RedisFollower#BATCH} chunks.
 *
 * <p><b>Failures.</b> {@link #create} and {@link #lookup} throw {@link StoreUnavailableException} when Redis
 * is out of reach. Thread-safe. It does not own its {@link Redis} connection: {@link #close()} does nothing.
 */
final class RedisResumeStore implements ResumeStore {
    /** The longest answer text kept for a takeover. */
    static final long MAX_TEXT_BYTES = 4L << 20;

    /** How long a stream that never finished is kept after its last append. */
    static final Duration MAX_AGE = Duration.ofHours(1);

    private final Redis redis;
    private final StreamWatcher watcher;
    private final String nodeId;
    private final int maxChunks;
    private final long maxBytes;
    private final Duration ttl;
    private final Duration goneFor;
    private final Duration lease;
    private final LocalProgress progress = new LocalProgress();

    RedisResumeStore(
            Redis redis,
            StreamWatcher watcher,
            String nodeId,
            int maxChunks,
            long maxBytes,
            Duration ttl,
            Duration lease) {
        if (maxChunks < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxChunks and maxBytes must be positive");
        }
        this.redis = redis;
        this.watcher = watcher;
        this.nodeId = nodeId;
        this.maxChunks = maxChunks;
        this.maxBytes = maxBytes;
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        // like the in-memory store's memory of expired ids: long enough for a late resume to get 204
        this.goneFor = ttl.plus(Duration.ofHours(24));
        this.lease = lease;
    }

    @Override
    public StreamBuffer create(String streamId, String owner) {
        return create(streamId, owner, new Origin("", "", "{}"));
    }

    @Override
    public StreamBuffer create(String streamId, String owner, Origin origin) {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(owner, "owner");
        long created = redis.run(
                RedisScript.CREATE,
                ScriptOutputType.INTEGER,
                new String[] {
                    keys().meta(streamId),
                    keys().chunks(streamId),
                    keys().text(streamId),
                    keys().gone(streamId),
                    keys().leases()
                },
                owner,
                nodeId,
                "1",
                origin.requestJson(),
                origin.provider(),
                origin.model(),
                Long.toString(lease.toMillis()),
                Long.toString(MAX_AGE.toMillis()),
                streamId);
        if (created != 1) {
            throw new IllegalStateException("the resume store already has stream " + streamId);
        }
        return new RedisStreamBuffer(this, streamId, owner, "1", -1);
    }

    /** A producer's handle on a stream this node took over under {@code epoch}. */
    RedisStreamBuffer adopt(String streamId, String owner, String epoch, long lastSeq) {
        return new RedisStreamBuffer(this, streamId, owner, epoch, lastSeq);
    }

    @Override
    public Lookup lookup(String streamId) {
        try {
            List<io.lettuce.core.KeyValue<String, String>> meta =
                    redis.sync().hmget(keys().meta(streamId), "owner", "resumable");
            String owner = meta.get(0).getValueOrElse(null);
            if (owner != null) {
                if ("1".equals(meta.get(1).getValueOrElse("0"))) {
                    return new Lookup.Found(new RedisStreamBuffer(this, streamId, owner, null, -1));
                }
                return new Lookup.Unknown(); // a stream that is not resumable keeps nothing here
            }
            String gone = redis.sync().get(keys().gone(streamId));
            return gone != null ? new Lookup.Expired(gone) : new Lookup.Unknown();
        } catch (RedisException e) {
            throw redis.unavailable("look up stream " + streamId, e);
        }
    }

    /** Does nothing: the {@link Redis} connection belongs to the cluster. */
    @Override
    public void close() {}

    Redis redis() {
        return redis;
    }

    RedisKeys keys() {
        return redis.keys();
    }

    LocalProgress progress() {
        return progress;
    }

    StreamWatcher watcher() {
        return watcher;
    }

    int maxChunks() {
        return maxChunks;
    }

    long maxBytes() {
        return maxBytes;
    }

    Duration ttl() {
        return ttl;
    }

    Duration maxAge() {
        return MAX_AGE;
    }

    Duration goneFor() {
        return goneFor;
    }

    long maxTextBytes() {
        return MAX_TEXT_BYTES;
    }
}
