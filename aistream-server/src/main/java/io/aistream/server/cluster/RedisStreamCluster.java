package io.aistream.server.cluster;

import io.aistream.server.config.ClusterConfig;
import io.aistream.server.resume.ResumeStore;
import io.aistream.server.resume.StoreUnavailableException;
import io.aistream.server.resume.StreamBuffer;
import io.aistream.server.streams.LiveStream;
import io.aistream.server.streams.StreamCluster;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway node's share of a cluster on one Redis: its {@link RedisResumeStore}, the abort bus (a pub/sub
 * channel every node listens on), the leases of the streams it produces, and the takeover of streams whose
 * node has died.
 *
 * <p><b>Leases and fencing.</b> A resumable stream's meta carries an epoch, 1 when created. The producing node
 * renews its lease (a deadline in a sorted set, on Redis's clock) every {@link ClusterConfig#renewEvery()};
 * every node looks, at the same pace, for leases past their deadline, and tries to take each over with one
 * script that raises the epoch: exactly one node wins. From then on appends and renewals carrying the old
 * epoch are refused, so a stale owner that comes back (a paused process, a partition) learns it was fenced
 * and stops, and cannot append a single chunk.
 *
 * <p><b>Threads.</b> One platform thread renews the leases (all in one pipelined round trip) and looks for
 * expired ones; the watcher's task reads
 * streams; Lettuce's threads deliver abort messages. {@link StreamCluster.Listener} calls come from them
 * (a takeover on a virtual thread of its own). Thread-safe; {@link #close()} stops all and closes Redis.
 */
public final class RedisStreamCluster implements StreamCluster {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamCluster.class);

    /** How many expired leases one read returns; a look reads again while it takes streams over. */
    private static final int TAKEOVER_BATCH = 64;

    /** The most reads of expired leases in one look (a node takes at most this × the batch per look). */
    private static final int TAKEOVER_READS = 32;

    private final ClusterConfig config;
    private final Redis redis;
    private final StreamWatcher watcher;
    private final RedisResumeStore store;
    private final StatefulRedisPubSubConnection<String, String> pubSub;
    private final RedisChatPointers chats;
    private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopping = lock.newCondition();
    private final Thread keeper;
    private volatile Listener listener;
    private volatile boolean closed;
    private volatile boolean reachable = true;

    /** A stream this node produces: whose it is, the epoch its appends and renewals carry, and whether resumable. */
    private record Held(String principal, String epoch, boolean resumable) {}

    private RedisStreamCluster(ClusterConfig config, Redis redis, int maxChunks, long maxBytes, Duration ttl) {
        this.config = config;
        this.redis = redis;
        this.watcher = new StreamWatcher(redis, config.nodeId());
        this.store = new RedisResumeStore(redis, watcher, config.nodeId(), maxChunks, maxBytes, ttl, config.lease());
        // a chat's pointer lives as long as its stream can be resumed
        this.chats = new RedisChatPointers(redis, RedisResumeStore.MAX_AGE.plus(ttl));
        this.pubSub = redis.pubSub();
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                onAbortMessage(message);
            }
        });
        pubSub.sync().subscribe(redis.keys().abortChannel());
        // a platform thread: a node busy with virtual threads must still renew its leases on time
        this.keeper = Thread.ofPlatform()
                .name("aistream-cluster-keeper")
                .daemon(true)
                .priority(Thread.MAX_PRIORITY)
                .start(this::keep);
    }

    /**
     * Connects this node to the cluster's Redis.
     *
     * @param maxChunks chunks kept per resumable stream
     * @param maxBytes  bytes kept per resumable stream (its chunks' JSON)
     * @param ttl       how long a finished stream stays replayable
     * @throws StoreUnavailableException when Redis cannot be reached
     */
    public static RedisStreamCluster connect(ClusterConfig config, int maxChunks, long maxBytes, Duration ttl) {
        Redis redis = Redis.connect(config);
        try {
            RedisStreamCluster cluster = new RedisStreamCluster(config, redis, maxChunks, maxBytes, ttl);
            LOG.info(
                    "cluster: node {} on Redis {} (lease {} ms, renewed every {} ms)",
                    config.nodeId(),
                    config.redactedUrl(),
                    config.lease().toMillis(),
                    config.renewEvery().toMillis());
            return cluster;
        } catch (RedisException e) {
            redis.close();
            throw redis.unavailable("subscribe", e);
        }
    }

    /** The resume store all nodes share. */
    public ResumeStore resumeStore() {
        return store;
    }

    @Override
    public String nodeId() {
        return config.nodeId();
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public Optional<String> acquire(String principal, String streamId, int perKey) {
        try {
            long granted = redis.run(
                    RedisScript.ACQUIRE,
                    ScriptOutputType.INTEGER,
                    new String[] {redis.keys().limit(principal)},
                    streamId,
                    Integer.toString(perKey),
                    Long.toString(config.lease().toMillis()));
            return granted == 1
                    ? Optional.empty()
                    : Optional.of("at most " + perKey + " concurrent streams per API key (over all gateway nodes)");
        } catch (StoreUnavailableException e) {
            // the node's own limit still holds; a Redis outage must not stop streams that need no Redis
            LOG.debug("per-key limit counted on this node only: {}", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void release(String principal, String streamId) {
        try {
            redis.sync().zrem(redis.keys().limit(principal), streamId);
        } catch (RedisException e) {
            LOG.debug("could not release {}'s slot (it expires with its lease): {}", streamId, Redis.rootMessage(e));
        }
    }

    @Override
    public void started(LiveStream stream, Optional<StreamBuffer> buffer) {
        Optional<String> epoch = buffer.filter(RedisStreamBuffer.class::isInstance)
                .map(RedisStreamBuffer.class::cast)
                .flatMap(RedisStreamBuffer::epoch);
        if (epoch.isPresent()) {
            held.put(stream.id(), new Held(stream.owner(), epoch.get(), true));
            return;
        }
        held.put(stream.id(), new Held(stream.owner(), "1", false));
        announce(stream);
    }

    /**
     * Announces a stream that keeps nothing in Redis (not resumable), so that other nodes can abort it and answer a
     * resume of it with 409. Sent without waiting: a stream that needs no Redis must not wait for it.
     */
    private void announce(LiveStream stream) {
        try {
            redis.<Long>runAsync(
                            RedisScript.CREATE,
                            ScriptOutputType.INTEGER,
                            new String[] {
                                redis.keys().meta(stream.id()),
                                redis.keys().chunks(stream.id()),
                                redis.keys().text(stream.id()),
                                redis.keys().gone(stream.id()),
                                redis.keys().leases()
                            },
                            stream.owner(),
                            config.nodeId(),
                            "0",
                            "",
                            stream.provider(),
                            stream.model(),
                            Long.toString(config.lease().toMillis()),
                            Long.toString(RedisResumeStore.MAX_AGE.toMillis()),
                            stream.id())
                    .whenComplete((created, error) -> {
                        if (error != null) {
                            LOG.debug("stream {} not announced to the cluster: {}", stream.id(), error.toString());
                        }
                    });
        } catch (StoreUnavailableException e) {
            LOG.debug("stream {} not announced to the cluster: {}", stream.id(), e.getMessage());
        }
    }

    @Override
    public void finished(LiveStream stream) {
        Held h = held.remove(stream.id());
        if (h != null && !stream.resumable()) {
            // sent on the connection its announcement went on, so it runs after it, even one not answered yet
            redis.async().del(redis.keys().meta(stream.id())).whenComplete((deleted, error) -> {
                if (error != null) {
                    LOG.debug("stream {} stays announced until it expires: {}", stream.id(), error.toString());
                }
            });
        }
    }

    @Override
    public boolean handOver(LiveStream stream) {
        Held h = held.remove(stream.id());
        if (h == null || !h.resumable()) {
            return false;
        }
        try {
            long released = redis.run(
                    RedisScript.RELEASE,
                    ScriptOutputType.INTEGER,
                    new String[] {redis.keys().meta(stream.id()), redis.keys().leases()},
                    h.epoch(),
                    stream.id());
            return released == 1;
        } catch (StoreUnavailableException e) {
            LOG.warn("stream {} not handed over now (its lease expires instead): {}", stream.id(), e.getMessage());
            return false;
        }
    }

    @Override
    public Optional<Remote> locate(String streamId) {
        try {
            List<KeyValue<String, String>> m =
                    redis.sync().hmget(redis.keys().meta(streamId), "owner", "node", "resumable", "done");
            String owner = m.get(0).getValueOrElse(null);
            if (owner == null) {
                return Optional.empty();
            }
            return Optional.of(new Remote(
                    streamId,
                    owner,
                    m.get(1).getValueOrElse(""),
                    "1".equals(m.get(2).getValueOrElse("0")),
                    "1".equals(m.get(3).getValueOrElse("0"))));
        } catch (RedisException e) {
            throw redis.unavailable("locate stream " + streamId, e);
        }
    }

    @Override
    public boolean abort(String streamId, String cause) {
        List<Object> marked = redis.run(RedisScript.MARK_ABORTED, ScriptOutputType.MULTI, new String[] {
            redis.keys().meta(streamId)
        });
        if ((Long) marked.get(0) != 1) {
            return false;
        }
        try {
            redis.sync().publish(redis.keys().abortChannel(), streamId + "\n" + cause);
        } catch (RedisException e) {
            throw redis.unavailable("publish an abort", e);
        }
        return true;
    }

    private void onAbortMessage(String message) {
        int nl = message.indexOf('\n');
        Listener l = listener;
        if (nl <= 0 || l == null) {
            return;
        }
        String streamId = message.substring(0, nl);
        if (held.containsKey(streamId)) {
            l.abortRequested(streamId, message.substring(nl + 1));
        }
    }

    @Override
    public Optional<ChatPointers> chats() {
        return Optional.of(chats);
    }

    @Override
    public void listen(Listener l) {
        this.listener = l;
    }

    /** The keeper: renews this node's leases, then looks for expired ones, every renewal interval. */
    private void keep() {
        while (!closed) {
            try {
                renewAll();
                takeOverExpired();
                if (!reachable) {
                    reachable = true;
                    LOG.info("cluster: Redis at {} answers again", config.redactedUrl());
                }
            } catch (StoreUnavailableException e) {
                if (reachable) {
                    reachable = false;
                    LOG.warn("cluster: {}", e.getMessage());
                }
            } catch (RuntimeException e) {
                LOG.warn("cluster keeper failed; going on", e);
            }
            if (!pause(config.renewEvery())) {
                return;
            }
        }
    }

    /** Renews every lease this node holds, in one pipelined round trip. */
    private void renewAll() {
        List<Map.Entry<String, Held>> all = List.copyOf(held.entrySet());
        if (all.isEmpty()) {
            return;
        }
        List<String[]> keys = new ArrayList<>(all.size());
        List<String[]> args = new ArrayList<>(all.size());
        String lease = Long.toString(config.lease().toMillis());
        String maxAge = Long.toString(RedisResumeStore.MAX_AGE.toMillis());
        for (Map.Entry<String, Held> e : all) {
            String streamId = e.getKey();
            keys.add(new String[] {
                redis.keys().meta(streamId),
                redis.keys().leases(),
                redis.keys().limit(e.getValue().principal()),
                redis.keys().chunks(streamId),
                redis.keys().text(streamId)
            });
            args.add(new String[] {e.getValue().epoch(), lease, streamId, maxAge});
        }
        List<Long> renewed = redis.runAll(RedisScript.RENEW, ScriptOutputType.INTEGER, keys, args);
        for (int i = 0; i < all.size(); i++) {
            String streamId = all.get(i).getKey();
            Held h = all.get(i).getValue();
            long r = renewed.get(i);
            if (r == 0 && h.resumable()) {
                held.remove(streamId, h); // finished (its done is stored) or expired: nothing left to hold
            } else if (r == -1 && held.remove(streamId, h)) {
                LOG.warn(
                        "stream {} was taken over by another node while this one was away; stopping it here", streamId);
                Listener l = listener;
                if (l != null) {
                    l.fenced(streamId);
                }
            }
        }
    }

    /** Takes over the streams whose lease has expired: all of them (up to a bound), not one batch per look. */
    private void takeOverExpired() {
        for (int read = 0; read < TAKEOVER_READS; read++) {
            List<Object> expired = redis.runControl(
                    RedisScript.EXPIRED,
                    ScriptOutputType.MULTI,
                    new String[] {redis.keys().leases()},
                    Integer.toString(TAKEOVER_BATCH));
            int taken = takeOver(expired);
            if (expired.size() < TAKEOVER_BATCH || taken == 0) {
                return; // no more, or only streams this node still holds or another node took first
            }
        }
    }

    /** Tries to take each stream over; returns how many this node won. */
    private int takeOver(List<Object> expired) {
        int taken = 0;
        for (Object o : expired) {
            String streamId = (String) o;
            if (held.containsKey(streamId)) {
                continue; // ours, renewed late: the renewal above decides
            }
            List<Object> won = redis.runControl(
                    RedisScript.TAKEOVER,
                    ScriptOutputType.MULTI,
                    new String[] {
                        redis.keys().leases(),
                        redis.keys().meta(streamId),
                        redis.keys().text(streamId)
                    },
                    streamId,
                    config.nodeId(),
                    Long.toString(config.lease().toMillis()));
            if ((Long) won.get(0) != 1) {
                continue;
            }
            String epoch = Long.toString((Long) won.get(1));
            long lastSeq = Long.parseLong((String) won.get(2));
            String owner = (String) won.get(3);
            boolean notext = "1".equals(won.get(8));
            Takeover t = new Takeover(
                    streamId,
                    owner,
                    (String) won.get(5),
                    (String) won.get(6),
                    (String) won.get(4),
                    lastSeq,
                    notext ? Optional.empty() : Optional.of((String) won.get(11)),
                    "1".equals(won.get(7)),
                    "1".equals(won.get(9)),
                    (String) won.get(10),
                    store.adopt(streamId, owner, epoch, lastSeq));
            held.put(streamId, new Held(owner, epoch, true));
            LOG.info(
                    "cluster: took over stream {} of node {} after seq {} (epoch {})",
                    streamId,
                    t.previousNode(),
                    lastSeq,
                    epoch);
            taken++;
            Listener l = listener;
            if (l == null) {
                continue;
            }
            Thread.ofVirtual().name("aistream-takeover-" + streamId).start(() -> {
                try {
                    l.takeOver(t);
                } catch (RuntimeException ex) {
                    LOG.warn("taking over stream {} failed", streamId, ex);
                }
            });
        }
        return taken;
    }

    /** Waits {@code d}, or until closed; false when closed. */
    private boolean pause(Duration d) {
        long left = d.toNanos();
        lock.lock();
        try {
            while (left > 0 && !closed) {
                left = stopping.awaitNanos(left);
            }
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            stopping.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            keeper.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watcher.close();
        try {
            pubSub.close();
        } finally {
            redis.close();
        }
    }
}
