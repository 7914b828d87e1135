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
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A resumable stream's chunks in a Redis Stream (see {@link RedisKeys}). Two kinds of handle: the
 * producer's, which carries the fencing epoch it was created or taken over with and may append; and a
 * read-only view that any node gets from {@link RedisResumeStore#lookup}, for followers.
 *
 * <p>An append is one script that checks the epoch, the order and the bounds, adds the entry, evicts the
 * oldest ones beyond {@code maxChunks}/{@code maxBytes}, keeps the answer text for a takeover, and on
 * {@code done} sets the time to live.
 *
 * <p><b>Pipelined.</b> The producer does not wait for each append's answer (a round trip and a thread
 * wake-up per chunk): it sends up to {@value #MAX_IN_FLIGHT} ahead, in order on one connection, and
 * waits only when that many are unanswered (so a slow Redis slows the producer, and through it the
 * upstream) and at {@code done}, which returns once every append before it is answered. Chunks reach
 * this node's followers only once Redis has stored them. A refusal — {@link StreamFencedException} when
 * another node took the stream over, {@link StoreUnavailableException} when Redis is out of reach — is
 * thrown by the next append (or by the {@code done}); nothing after a refused chunk is stored, since
 * every append checks the order.
 *
 * <p>Thread-safe: appends come from one producer; followers on any thread.
 */
final class RedisStreamBuffer implements StreamBuffer {
    private final RedisResumeStore store;
    private final String streamId;
    private final String owner;
    /** The fencing epoch, null for a read-only view. */
    private final String epoch;

    /** Appends the producer may have sent and not yet seen answered. */
    static final int MAX_IN_FLIGHT = 16;

    private final String[] scriptKeys;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    /** The seq of the last chunk the producer sent (producer thread). */
    private volatile long lastSent;

    private boolean doneSent;
    private volatile boolean finishedHere;
    /** The producer's progress report to local followers; null for a read-only view. */
    private final LocalProgress.Entry progress;

    RedisStreamBuffer(RedisResumeStore store, String streamId, String owner, String epoch, long lastSeq) {
        this.store = store;
        this.streamId = streamId;
        this.owner = owner;
        this.epoch = epoch;
        this.lastSent = lastSeq;
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
        rethrowFailure();
        if (doneSent) {
            throw new IllegalStateException("stream " + streamId + " is finished; nothing more can be appended");
        }
        if (chunk.seq() != lastSent + 1) {
            throw new IllegalArgumentException(
                    "stream " + streamId + " expects seq " + (lastSent + 1) + ", got " + chunk.seq());
        }
        boolean done = chunk instanceof DoneChunk;
        String text = chunk instanceof ContentChunk c ? c.delta() : "";
        String json = ChunkJson.toJson(chunk);
        acquire(1);
        RedisFuture<List<Object>> answer;
        try {
            answer = store.redis()
                    .runAsync(
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
            inFlight.release();
            fail(e);
            throw e;
        }
        lastSent = chunk.seq();
        doneSent = done;
        answer.whenComplete((result, error) -> answered(chunk, json.length(), result, error));
        if (done) {
            awaitAnswers();
            rethrowFailure();
        }
    }

    /** An append's answer (on Lettuce's thread; in send order). */
    private void answered(StreamChunk chunk, int size, List<Object> result, Throwable error) {
        try {
            if (failure.get() != null) {
                return; // refused after an earlier refusal: nothing after it is stored anyway
            }
            if (error != null) {
                // a rejected command, a reset connection, a timeout: Redis did not store it
                fail(store.redis()
                        .unavailable("append", error instanceof RuntimeException r ? r : new RedisException(error)));
                return;
            }
            long code = (Long) result.get(0);
            switch ((int) code) {
                case 0 -> {
                    progress.stored(chunk, size, (Long) result.get(1));
                    if (chunk instanceof DoneChunk) {
                        finishedHere = true;
                        store.progress().ended(streamId, progress);
                    }
                }
                case -1 -> fail(new StreamFencedException(streamId));
                case -2 -> fail(new IllegalStateException("stream " + streamId + " is no longer in the store"));
                case -3 ->
                    fail(new IllegalStateException(
                            "stream " + streamId + " is finished; nothing more can be appended"));
                case -4 ->
                    fail(new IllegalArgumentException("stream " + streamId + " expects seq "
                            + ((Long) result.get(1) + 1) + ", got " + chunk.seq()));
                default -> fail(new IllegalStateException("unexpected answer " + result + " from the append script"));
            }
        } finally {
            inFlight.release();
        }
    }

    private void fail(RuntimeException e) {
        if (failure.compareAndSet(null, e)) {
            store.progress().ended(streamId, progress);
        }
    }

    private void rethrowFailure() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    /** Takes {@code permits} in-flight slots, waiting at most twice the command timeout for answers. */
    private void acquire(int permits) {
        try {
            if (!inFlight.tryAcquire(permits, 2 * Redis.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                StoreUnavailableException e =
                        store.redis().unavailable("append", new RedisException("appends not answered in time"));
                fail(e);
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis to store stream " + streamId, e);
        }
    }

    /** Waits until every append sent is answered (the producer's view then matches the store's). */
    private void awaitAnswers() {
        if (epoch != null) {
            acquire(MAX_IN_FLIGHT);
            inFlight.release(MAX_IN_FLIGHT);
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

    /** For the producer's handle: the last chunk it sent (the next must be one more). */
    @Override
    public long lastSeq() {
        if (epoch != null) {
            return lastSent;
        }
        return field("last", -1);
    }

    @Override
    public long oldestSeq() {
        awaitAnswers();
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
