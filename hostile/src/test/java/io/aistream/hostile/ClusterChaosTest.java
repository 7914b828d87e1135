package io.aistream.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.testing.NginxProxy;
import io.aistream.testing.RedisServer;
import io.aistream.testing.Seed;
import io.aistream.testing.Seeds;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12's chaos: two real gateway nodes ({@code aistream serve}, one JVM each) on one real {@code redis-server},
 * a real nginx round robin in front, and the node producing a stream killed ({@code kill -9}) or frozen
 * ({@code SIGSTOP}) mid-answer. A client resuming through the proxy must get one gap-free answer equal to an
 * undisturbed run, whose {@code done} says {@code recovered}; a frozen node that wakes up must append nothing;
 * what cannot be continued (a tool call was sent) ends with {@code node_lost}; an abort sent while the node is
 * dead wins over the takeover. Every wait is on an event (a chunk read, a log line); the lorem seed is printed.
 */
@Timeout(60)
class ClusterChaosTest {
    /** Words of the answers: long enough to be mid-flight when the node dies at {@link #PACE}. */
    private static final int LENGTH = 120;
    /** Words per second: the answer takes about 3 s, the takeover about 2 s after the kill. */
    private static final int PACE = 40;

    private static final Seed SEED = Seeds.seed("ClusterChaosTest.lorem", 1207);
    private static final Duration EVENT = Duration.ofSeconds(20);

    private static RedisServer redis;
    private static ChaosCluster cluster;
    private static NginxProxy nginx;
    private static String reference;

    @BeforeAll
    static void start() throws Exception {
        RedisServer.assumeAvailable();
        NginxProxy.assumeAvailable();
        redis = RedisServer.start();
        cluster = ChaosCluster.start(redis, 2);
        nginx = NginxProxy.start(cluster.ports());
        // the undisturbed answer: the same request, unpaced and not resumable, on one node
        try (ChunkFeed f = ChunkFeed.post(cluster.node(2).baseUrl(), lorem(false, 0))) {
            assertThat(f.status()).isEqualTo(200);
            reference = ChunkFeed.text(f.readToEnd());
        }
        assertThat(reference).isNotBlank();
    }

    @AfterAll
    static void stop() {
        if (nginx != null) {
            nginx.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** A node a test killed comes back on its port, under its name (nginx sends to it again at once). */
    @BeforeEach
    void bothNodesRun() throws Exception {
        for (int n = 1; n <= 2; n++) {
            if (!cluster.node(n).alive()) {
                cluster.restart(n);
            }
        }
    }

    private static String lorem(boolean resumable, int pace) {
        long seed = Math.floorMod(SEED.value(), 1_000_000_007L); // the provider reads it as a JSON number
        return """
                {"provider": "simulated", "model": "lorem", "resumable": %s,
                 "providerOptions": {"seed": %d, "length": %d, "tokensPerSecond": %d},
                 "messages": [{"role": "user", "content": "chaos"}]}
                """.formatted(resumable, seed, LENGTH, pace);
    }

    private static List<StreamChunk> concat(List<StreamChunk> a, List<StreamChunk> b) {
        List<StreamChunk> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** One whole answer: seq 0.. without gap or repeat, one done (last), the undisturbed text, recovered. */
    private static void assertRecovered(List<StreamChunk> chunks, String what) {
        ChunkFeed.assertGapFree(chunks, 0, what);
        assertThat(ChunkFeed.dones(chunks)).as(what + ": done chunks").hasSize(1);
        DoneChunk done = (DoneChunk) chunks.getLast();
        assertThat(done.finishReason()).as(what + ": finish reason").isEqualTo(FinishReason.STOP);
        assertThat(done.recovered()).as(what + ": done.recovered").isTrue();
        assertThat(ChunkFeed.text(chunks)).as(what + ": text (" + SEED + ")").isEqualTo(reference);
    }

    @Test
    void killingTheProducingNodeMidStreamGivesTheResumingClientOneGapFreeRecoveredAnswer() throws Exception {
        try (ChunkFeed producer = ChunkFeed.post(cluster.node(1).baseUrl(), lorem(true, PACE))) {
            assertThat(producer.status()).isEqualTo(200);
            String id = producer.streamId();
            producer.readThrough(10);
            try (ChunkFeed follower = ChunkFeed.resume(cluster.node(2).baseUrl(), id, -1)) {
                assertThat(follower.status()).isEqualTo(200);
                follower.readThrough(producer.lastSeq()); // attached on the surviving node, caught up

                long killedAt = System.nanoTime();
                assertThat(cluster.node(1).kill()).as("exit status of kill -9").isEqualTo(137);

                // the client lost its connection with the node; it resumes through the proxy after what it read
                try (ChunkFeed resumed = ChunkFeed.resume(nginx.baseUrl(), id, producer.lastSeq())) {
                    assertThat(resumed.status()).isEqualTo(200);
                    List<StreamChunk> rest = resumed.readToEnd();
                    assertRecovered(concat(producer.chunks(), rest), "resumed through nginx");

                    String line = cluster.awaitLog(2, "stream " + id + ": continuing after seq \\d+", EVENT);
                    Matcher m = Pattern.compile("continuing after seq (\\d+)").matcher(line);
                    assertThat(m.find()).isTrue();
                    long lastStored = Long.parseLong(m.group(1));
                    Optional<ChunkFeed.Arrival> firstContinued = resumed.arrivals().stream()
                            .filter(a -> a.chunk().seq() > lastStored)
                            .findFirst();
                    assertThat(firstContinued)
                            .as("a chunk the takeover produced")
                            .isPresent();
                    System.out.printf(
                            "chaos: kill -9 of n1 after seq %d (stored through %d); first continued chunk (seq %d)"
                                    + " reached the client through nginx %d ms after the kill (lease %d ms,"
                                    + " renewed every %d ms; %s)%n",
                            producer.lastSeq(),
                            lastStored,
                            firstContinued.get().chunk().seq(),
                            Duration.ofNanos(firstContinued.get().nanos() - killedAt)
                                    .toMillis(),
                            ChaosCluster.LEASE_MILLIS,
                            ChaosCluster.RENEW_MILLIS,
                            SEED);
                }
                assertRecovered(follower.readToEnd(), "follower on n2 attached before the kill");
            }
            cluster.awaitLog(2, "took over stream " + id + " of node n1", EVENT);
        }
    }

    @Test
    void aFrozenProducerThatWakesAfterTheTakeoverAppendsNothing() throws Exception {
        try (ChunkFeed producer = ChunkFeed.post(cluster.node(1).baseUrl(), lorem(true, PACE))) {
            assertThat(producer.status()).isEqualTo(200);
            String id = producer.streamId();
            producer.readThrough(10);
            try (ChunkFeed follower = ChunkFeed.resume(cluster.node(2).baseUrl(), id, -1)) {
                follower.readThrough(producer.lastSeq());
                cluster.node(1).pause();
                try {
                    cluster.awaitLog(2, "took over stream " + id + " of node n1", EVENT);
                } finally {
                    cluster.node(1).resume();
                }
                // it learns it was fenced: from its renewal, or from its next append
                cluster.awaitLog(1, "stream " + id + " was taken over by another node", EVENT);
                List<StreamChunk> followed = follower.readToEnd();
                assertRecovered(followed, "follower on n2");
                // the stale node's own client: its response ends (no hang), with nothing the store lacks, so
                // the client resumes elsewhere
                List<StreamChunk> stale = producer.readToEnd();
                System.out.printf(
                        "chaos: the frozen node's client read seq 0..%d, then its response ended%s%n",
                        producer.lastSeq(), stale.isEmpty() ? "" : " (last chunk " + stale.getLast() + ")");
                ChunkFeed.assertGapFree(stale, 0, "the frozen node's client");
                assertThat(stale).as("what the frozen node's client read").isEqualTo(followed.subList(0, stale.size()));
            }
        }
        String id = cluster.node(2)
                .logLines("took over stream \\S+ of node n1")
                .getLast()
                .replaceAll(".*took over stream (\\S+) of node n1.*", "$1");
        try (ChunkFeed replay = ChunkFeed.resume(nginx.baseUrl(), id, -1)) {
            assertThat(replay.status()).isEqualTo(200);
            List<StreamChunk> all = replay.readToEnd();
            assertRecovered(all, "replay from the start after the stale node woke");
            assertThat(redis.command("XLEN", cluster.prefix() + "{" + id + "}:c"))
                    .as("entries in the stored stream")
                    .isEqualTo(":" + all.size() + "\r\n");
        }
        assertThat(cluster.node(1).alive()).isTrue();
    }

    @Test
    void aStreamWhoseNodeDiesAfterAToolCallWasSentEndsWithNodeLost() throws Exception {
        String tools = """
                {"provider": "simulated", "model": "tools", "resumable": true,
                 "providerOptions": {"tokensPerSecond": 10},
                 "tools": [{"name": "get_weather", "description": "Weather of a city",
                            "parameters": {"type": "object", "properties": {
                                "city": {"type": "string"}, "country": {"type": "string"},
                                "unit": {"type": "string"}, "days": {"type": "integer"},
                                "hourly": {"type": "boolean"}, "language": {"type": "string"}}}}],
                 "messages": [{"role": "user", "content": "What is the weather?"}]}
                """;
        try (ChunkFeed producer = ChunkFeed.post(cluster.node(1).baseUrl(), tools)) {
            assertThat(producer.status()).isEqualTo(200);
            String id = producer.streamId();
            for (Optional<StreamChunk> c = producer.next();
                    c.isPresent() && !(c.get() instanceof ToolCallChunk);
                    c = producer.next()) {
                assertThat(c.get()).as("a chunk before the tool call").isNotInstanceOf(DoneChunk.class);
            }
            assertThat(producer.chunks().getLast()).isInstanceOf(ToolCallChunk.class);
            cluster.node(1).kill();

            try (ChunkFeed resumed = ChunkFeed.resume(nginx.baseUrl(), id, producer.lastSeq())) {
                assertThat(resumed.status()).isEqualTo(200);
                List<StreamChunk> all = concat(producer.chunks(), resumed.readToEnd());
                ChunkFeed.assertGapFree(all, 0, "tool stream resumed through nginx");
                assertThat(all.getLast()).isInstanceOf(DoneChunk.class);
                assertThat(((DoneChunk) all.getLast()).finishReason()).isEqualTo(FinishReason.ERROR);
                assertThat(all.get(all.size() - 2)).isInstanceOf(ErrorChunk.class);
                ErrorChunk error = (ErrorChunk) all.get(all.size() - 2);
                assertThat(error.error().code()).isEqualTo("node_lost");
                assertThat(error.error().message()).contains("tool call");
            }
        }
    }

    @Test
    void anAbortSentWhileTheProducingNodeIsDeadEndsTheStreamAborted() throws Exception {
        try (ChunkFeed producer = ChunkFeed.post(cluster.node(1).baseUrl(), lorem(true, PACE))) {
            assertThat(producer.status()).isEqualTo(200);
            String id = producer.streamId();
            producer.readThrough(5);
            cluster.node(1).kill();

            // nginx tries n1 (refused) and passes the DELETE to n2, which only knows the stream from Redis
            HttpResponse<String> delete = ChunkFeed.exchange(nginx.baseUrl(), "DELETE", "/v1/streams/" + id, null);
            assertThat(delete.statusCode()).isEqualTo(200);
            assertThat(delete.body()).contains("\"aborted\":true");

            try (ChunkFeed resumed = ChunkFeed.resume(nginx.baseUrl(), id, producer.lastSeq())) {
                assertThat(resumed.status()).isEqualTo(200);
                List<StreamChunk> all = concat(producer.chunks(), resumed.readToEnd());
                ChunkFeed.assertGapFree(all, 0, "aborted stream resumed through nginx");
                assertThat(ChunkFeed.dones(all)).hasSize(1);
                assertThat(((DoneChunk) all.getLast()).finishReason()).isEqualTo(FinishReason.ABORTED);
            }
            cluster.awaitLog(2, "took over stream " + id + " of node n1", EVENT);
            assertThat(cluster.node(2).logLines("stream " + id + ": continuing"))
                    .as("an aborted stream is not continued")
                    .isEmpty();
        }
    }
}
