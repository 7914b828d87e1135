package io.aistream.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aistream.chunk.ChunkJson;
import io.aistream.chunk.StreamChunk;
import io.aistream.server.config.ClusterConfig;
import io.aistream.server.resume.ChunksEvictedException;
import io.aistream.server.resume.ResumeStore;
import io.aistream.server.resume.ResumeStoreContract;
import io.aistream.server.resume.StreamBuffer;
import io.aistream.server.resume.StreamFencedException;
import io.aistream.server.streams.StreamCluster;
import io.aistream.testing.RedisServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Redis store passes the {@link ResumeStoreContract} on a real {@code redis-server} (its ttl runs on the
 * server's clock, which the tests wait on), and keeps Redis's memory bounded: at most {@code maxChunks} entries
 * per stream, a TTL on every key of a stream, nothing but the tombstone once a finished stream expired. A
 * producer whose stream another node took over is fenced and appends nothing. One server for the class; every
 * store gets a key prefix of its own.
 */
@Timeout(60)
class RedisResumeStoreTest extends ResumeStoreContract {
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisServer redis;

    private final List<RedisStreamCluster> clusters = new ArrayList<>();
    private final Map<ResumeStore, String> prefixes = new IdentityHashMap<>();

    @BeforeAll
    static void startRedis() throws IOException {
        RedisServer.assumeAvailable();
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void closeClusters() {
        clusters.forEach(RedisStreamCluster::close);
    }

    private static String newPrefix() {
        return "rs" + PREFIXES.incrementAndGet() + ":";
    }

    private RedisStreamCluster cluster(ClusterConfig config, int maxChunks, long maxBytes, Duration ttl) {
        RedisStreamCluster c = RedisStreamCluster.connect(config, maxChunks, maxBytes, ttl);
        clusters.add(c);
        return c;
    }

    @Override
    protected ResumeStore newStore(int maxChunks, long maxBytes, Duration ttl) {
        String prefix = newPrefix();
        // no gateway stream holds (renews) what these tests create: a lease that outlives the test keeps the
        // node's own keeper from taking their streams over
        ClusterConfig config = ClusterConfig.of(redis.url())
                .withKeyPrefix(prefix)
                .withLease(Duration.ofHours(1), Duration.ofMinutes(20));
        ResumeStore s = cluster(config, maxChunks, maxBytes, ttl).resumeStore();
        prefixes.put(s, prefix);
        return s;
    }

    @Override
    protected Duration expiryTtl() {
        return Duration.ofMillis(300);
    }

    @Override
    protected long nowMillis() {
        return RedisTestSupport.serverMillis(redis);
    }

    @Override
    protected void elapse(Duration d) {
        long until = nowMillis() + d.toMillis();
        await().pollInterval(Duration.ofMillis(10)).atMost(d.plusSeconds(10)).until(() -> nowMillis() >= until);
    }

    @Override
    protected void eventually(Runnable assertion) {
        await().pollInterval(Duration.ofMillis(20))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(assertion::run);
    }

    @Override
    protected void assertNothingKeptOf(ResumeStore store, String streamId) {
        String prefix = prefixes.get(store);
        eventually(() -> assertThat(RedisTestSupport.keys(redis, prefix + "*"))
                .containsExactly(prefix + "{" + streamId + "}:x"));
    }

    @Test
    void redisKeepsAtMostMaxChunksAndEveryKeyExpires() {
        int maxChunks = 50;
        ResumeStore store = store(maxChunks, 1 << 20, expiryTtl());
        String p = prefixes.get(store);
        StreamBuffer b = store.create("st_long", "me");
        String chunksKey = p + "{st_long}:c";
        long bytes = 0;
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            StreamChunk c = content("st_long", i);
            b.append(c);
            sizes.add((long) ChunkJson.toJson(c).length());
            if (i % 250 == 0) {
                assertThat(RedisTestSupport.integer(redis, "XLEN", chunksKey)).isLessThanOrEqualTo(maxChunks);
            }
        }
        for (int i = 2000 - maxChunks; i < 2000; i++) {
            bytes += sizes.get(i);
        }
        assertThat(b.oldestSeq()).isEqualTo(2000 - maxChunks); // (waits for every pipelined append's answer)
        assertThat(RedisTestSupport.integer(redis, "XLEN", chunksKey)).isEqualTo(maxChunks);
        assertThat(RedisTestSupport.bulk(redis, "HGET", p + "{st_long}:m", "bytes"))
                .isEqualTo(Long.toString(bytes));
        assertThat(b.oldestSeq()).isEqualTo(2000 - maxChunks);
        // a stream that never finishes still goes away: every key of it has a time to live
        for (String key : RedisTestSupport.keys(redis, p + "{st_long}*")) {
            assertThat(RedisTestSupport.integer(redis, "PTTL", key)).as(key).isPositive();
        }
        b.append(done("st_long", 2000));
        eventually(() -> assertThat(RedisTestSupport.keys(redis, p + "*")).containsExactly(p + "{st_long}:x"));
        assertThat(RedisTestSupport.integer(redis, "PTTL", p + "{st_long}:x")).isPositive();
        assertThat(store.lookup("st_long")).isEqualTo(new ResumeStore.Lookup.Expired("me"));
    }

    @Test
    void aFollowerThatFallsBehindTheWindowGetsChunksEvicted() throws Exception {
        ResumeStore store = store(200, 1 << 20, Duration.ofMinutes(1));
        StreamBuffer b = store.create("st_slow", "me");
        for (int i = 0; i < 150; i++) {
            b.append(content("st_slow", i));
        }
        StreamBuffer.Follower f = b.follow(-1);
        assertThat(f.next().orElseThrow().seq()).isZero();
        for (int i = 150; i < 550; i++) {
            b.append(content("st_slow", i));
        }
        assertThat(b.oldestSeq()).isEqualTo(350);
        // what it read in one batch it still gets, then the gap is reported, never skipped
        long seq = 1;
        try {
            while (true) {
                assertThat(f.next().orElseThrow().seq()).isEqualTo(seq);
                seq++;
            }
        } catch (ChunksEvictedException e) {
            assertThat(e.oldestSeq()).isEqualTo(350);
            assertThat(e.getMessage()).contains("no longer keeps chunk " + seq);
        }
        assertThat(seq).isEqualTo(RedisFollower.BATCH);
    }

    @Test
    void aStreamTakenOverFencesItsOldProducer() throws Exception {
        String prefix = newPrefix();
        ClusterConfig base = ClusterConfig.of(redis.url())
                .withKeyPrefix(prefix)
                .withLease(Duration.ofMillis(300), Duration.ofMillis(100));
        LinkedBlockingQueue<StreamCluster.Takeover> takeovers = new LinkedBlockingQueue<>();
        RedisStreamCluster a = cluster(base.withNodeId("node-a"), 100, 1 << 20, Duration.ofMinutes(1));
        RedisStreamCluster b = cluster(base.withNodeId("node-b"), 100, 1 << 20, Duration.ofMinutes(1));
        for (RedisStreamCluster c : List.of(a, b)) {
            c.listen(new StreamCluster.Listener() {
                @Override
                public void abortRequested(String streamId, String cause) {}

                @Override
                public void fenced(String streamId) {}

                @Override
                public void takeOver(StreamCluster.Takeover t) {
                    takeovers.add(t);
                }
            });
        }
        // created but never renewed (no live stream holds it): its lease runs out as if its node had died
        StreamBuffer old = a.resumeStore().create("st_fence", "owner-f");
        old.append(content("st_fence", 0, "partial"));
        StreamCluster.Takeover t = takeovers.poll(30, TimeUnit.SECONDS);
        assertThat(t).as("a takeover").isNotNull();
        assertThat(t.streamId()).isEqualTo("st_fence");
        assertThat(t.owner()).isEqualTo("owner-f");
        assertThat(t.lastSeq()).isZero();
        assertThat(t.sentText()).contains("partial");
        assertThat(t.previousNode()).isEqualTo("node-a");
        assertThat(RedisTestSupport.bulk(redis, "HGET", prefix + "{st_fence}:m", "epoch"))
                .isEqualTo("2");

        // appends are pipelined: the refusal of the stale chunk is thrown by the producer's next append at the
        // latest (its done waits for every answer); the stale chunk itself is never stored
        assertThatThrownBy(() -> {
                    old.append(content("st_fence", 1, "stale"));
                    old.append(done("st_fence", 2));
                })
                .isInstanceOf(StreamFencedException.class);
        assertThat(RedisTestSupport.integer(redis, "XLEN", prefix + "{st_fence}:c"))
                .isEqualTo(1);
        assertThat(RedisTestSupport.bulk(redis, "HGET", prefix + "{st_fence}:m", "last"))
                .isEqualTo("0");

        t.buffer().append(content("st_fence", 1, " and the rest"));
        t.buffer().append(done("st_fence", 2));
        assertThatThrownBy(() -> old.append(done("st_fence", 3))).isInstanceOf(StreamFencedException.class);
        StreamBuffer.Follower f = ((ResumeStore.Lookup.Found) b.resumeStore().lookup("st_fence"))
                .buffer()
                .follow(-1);
        assertThat(drain(f)).containsExactly(0L, 1L, 2L);
    }

    /**
     * The contract's followers share the producer's node (woken by the producer itself); here they are on
     * another node, woken through that node's blocking read of Redis.
     */
    @Test
    void followersOnAnotherNodeSeeTheSameSequenceLive() throws Exception {
        String prefix = newPrefix();
        ClusterConfig base = ClusterConfig.of(redis.url())
                .withKeyPrefix(prefix)
                .withLease(Duration.ofHours(1), Duration.ofMinutes(20));
        ResumeStore producerNode = cluster(base.withNodeId("node-p"), 10_000, 64L << 20, Duration.ofMinutes(1))
                .resumeStore();
        ResumeStore followerNode = cluster(base.withNodeId("node-f"), 10_000, 64L << 20, Duration.ofMinutes(1))
                .resumeStore();
        StreamBuffer b = producerNode.create("st_x", "me");
        StreamBuffer view = ((ResumeStore.Lookup.Found) followerNode.lookup("st_x")).buffer();
        List<CompletableFuture<List<Long>>> followers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            StreamBuffer.Follower f = view.follow(-1);
            followers.add(CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return drain(f);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    r -> Thread.ofVirtual().start(r)));
        }
        int n = 1000;
        for (int i = 0; i < n; i++) {
            b.append(content("st_x", i));
        }
        b.append(done("st_x", n));
        List<Long> expected = LongStream.rangeClosed(0, n).boxed().toList();
        for (var f : followers) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
        }
        assertThat(view.finished()).isTrue();
        assertThat(drain(view.follow(n))).isEmpty();
    }
}
