package io.aistream.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.server.config.ClusterConfig;
import io.aistream.server.resume.ResumeStore;
import io.aistream.server.resume.StoreUnavailableException;
import io.aistream.server.resume.StreamBuffer;
import io.aistream.testing.RedisServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Redis store while its Redis is gone: {@code create} and {@code lookup} fail at once with
 * {@link StoreUnavailableException} (nobody waits for a reconnect), a follower blocked on a stream gets that
 * failure within a few seconds, and once Redis is back (empty: it keeps nothing on disk) the same store works
 * again, reconnected by the client library. A server of its own, since it is killed.
 */
@Timeout(120)
class RedisResumeStoreOutageTest {
    private RedisServer redis;
    private RedisStreamCluster cluster;

    @BeforeEach
    void start() throws IOException {
        RedisServer.assumeAvailable();
        redis = RedisServer.start();
        cluster = RedisStreamCluster.connect(
                ClusterConfig.of(redis.url())
                        .withKeyPrefix("out:")
                        .withLease(Duration.ofHours(1), Duration.ofMinutes(20)),
                100,
                1 << 20,
                Duration.ofMinutes(1));
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static StreamChunk content(String id, long seq) {
        return ContentChunk.of("c" + seq).withPosition(id, seq);
    }

    private static StreamChunk done(String id, long seq) {
        return io.aistream.chunk.DoneChunk.of(io.aistream.chunk.FinishReason.STOP)
                .withPosition(id, seq);
    }

    private static CompletableFuture<List<Long>> drainAsync(StreamBuffer.Follower f) {
        return CompletableFuture.supplyAsync(
                () -> {
                    List<Long> seqs = new ArrayList<>();
                    try {
                        for (Optional<StreamChunk> c = f.next(); c.isPresent(); c = f.next()) {
                            seqs.add(c.get().seq());
                        }
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return seqs;
                },
                r -> Thread.ofVirtual().start(r));
    }

    @Test
    void withRedisGoneTheStoreFailsFastAndRecoversWhenItIsBack() throws Exception {
        ResumeStore store = cluster.resumeStore();
        StreamBuffer b = store.create("st_o", "me");
        b.append(content("st_o", 0));
        StreamBuffer.Follower f = b.follow(0);
        CompletableFuture<List<Long>> blocked = drainAsync(f);

        redis.kill();
        long killed = System.nanoTime();
        // fast: a command on a connection Lettuce knows is down is rejected at once; one it has not noticed yet
        // fails with the reset. Either way well before a command timeout would end it.
        assertThatThrownBy(() -> store.create("st_o2", "me")).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> store.lookup("st_o")).isInstanceOf(StoreUnavailableException.class);
        // appends are pipelined: the failure surfaces at the producer's next append at the latest (a done waits)
        assertThatThrownBy(() -> {
                    b.append(content("st_o", 1));
                    b.append(done("st_o", 2));
                })
                .isInstanceOf(StoreUnavailableException.class);
        long failFastMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        System.out.println("create, lookup and append failed " + failFastMillis + " ms after the kill");
        assertThat(failFastMillis).isLessThan(Redis.COMMAND_TIMEOUT.toMillis());

        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class, () -> blocked.get(30, TimeUnit.SECONDS));
        long followerMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        System.out.println("the blocked follower failed " + followerMillis + " ms after the kill");
        assertThat(failure.getCause()).isInstanceOf(StoreUnavailableException.class);

        redis.restart();
        long restarted = System.nanoTime();
        // no reconnect code of ours: the same store works once Lettuce has reconnected
        StreamBuffer again = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .ignoreException(StoreUnavailableException.class)
                .until(() -> store.create("st_back", "me"), x -> true);
        System.out.println("the store worked again " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted)
                + " ms after the restart");
        assertThat(store.lookup("st_back")).isInstanceOf(ResumeStore.Lookup.Found.class);
        CompletableFuture<List<Long>> live = drainAsync(again.follow(-1));
        again.append(content("st_back", 0));
        again.append(DoneChunk.of(FinishReason.STOP).withPosition("st_back", 1));
        assertThat(live.get(30, TimeUnit.SECONDS)).containsExactly(0L, 1L);
        // Redis came back empty: the stream from before the outage is unknown now
        assertThat(store.lookup("st_o")).isEqualTo(new ResumeStore.Lookup.Unknown());
    }
}
