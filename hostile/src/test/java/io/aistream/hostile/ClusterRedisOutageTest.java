package io.aistream.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.testing.GatewayProcess;
import io.aistream.testing.RedisServer;
import io.aistream.testing.Seed;
import io.aistream.testing.Seeds;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12's Redis faults, on real processes: Redis stopped and started again under two running gateway nodes
 * (resumable starts are refused with 503 {@code store_unavailable} meanwhile, a non-resumable stream streams on
 * to its end, a running resumable stream ends with a typed error rather than hanging, and afterwards resumable
 * streams work again on every node with no node restarted), and Redis never there at all ({@code serve} exits 2
 * with one line naming Redis and the url). The lorem seed is printed.
 */
@Timeout(60)
class ClusterRedisOutageTest {
    private static final int LENGTH = 120;
    private static final int PACE = 40;
    private static final Seed SEED = Seeds.seed("ClusterRedisOutageTest.lorem", 1208);
    private static final Duration EVENT = Duration.ofSeconds(20);

    private static String lorem(boolean resumable, int pace) {
        long seed = Math.floorMod(SEED.value(), 1_000_000_007L); // the provider reads it as a JSON number
        return """
                {"provider": "simulated", "model": "lorem", "resumable": %s,
                 "providerOptions": {"seed": %d, "length": %d, "tokensPerSecond": %d},
                 "messages": [{"role": "user", "content": "outage"}]}
                """.formatted(resumable, seed, LENGTH, pace);
    }

    @Test
    void whileRedisIsDownResumableStartsAre503AndOtherStreamsGoOnAndAfterwardsEverythingWorksAgain() throws Exception {
        RedisServer.assumeAvailable();
        try (RedisServer redis = RedisServer.start();
                ChaosCluster cluster = ChaosCluster.start(redis, 2)) {
            String reference;
            try (ChunkFeed f = ChunkFeed.post(cluster.node(1).baseUrl(), lorem(false, 0))) {
                reference = ChunkFeed.text(f.readToEnd());
            }
            try (ChunkFeed plain = ChunkFeed.post(cluster.node(1).baseUrl(), lorem(false, PACE));
                    ChunkFeed resumable = ChunkFeed.post(cluster.node(1).baseUrl(), lorem(true, PACE))) {
                assertThat(plain.status()).isEqualTo(200);
                assertThat(resumable.status()).isEqualTo(200);
                plain.readThrough(5);
                resumable.readThrough(5);

                redis.stop();

                HttpResponse<String> refused =
                        ChunkFeed.exchange(cluster.node(1).baseUrl(), "POST", "/v1/stream", lorem(true, 0));
                assertThat(refused.statusCode())
                        .as("a resumable start while Redis is down")
                        .isEqualTo(503);
                assertThat(refused.headers().firstValue("Content-Type"))
                        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
                assertThat(refused.body()).contains("\"code\":\"store_unavailable\"");

                List<StreamChunk> all = plain.readToEnd();
                ChunkFeed.assertGapFree(all, 0, "non-resumable stream while Redis is down");
                assertThat(ChunkFeed.dones(all)).hasSize(1);
                assertThat(((DoneChunk) all.getLast()).finishReason()).isEqualTo(FinishReason.STOP);
                assertThat(ChunkFeed.text(all)).as("text (" + SEED + ")").isEqualTo(reference);

                // the resumable stream cannot store its chunks: its response ends without a done and without
                // [DONE], and the client's resume is answered with the typed 503 while Redis is down
                List<StreamChunk> cut = resumable.readToEnd();
                System.out.printf(
                        "outage: the resumable stream's client read %d chunks (through seq %d), then the response"
                                + " ended without [DONE]%n",
                        cut.size(), resumable.lastSeq());
                ChunkFeed.assertGapFree(cut, 0, "resumable stream cut by the outage");
                assertThat(ChunkFeed.dones(cut))
                        .as("done chunks of the cut stream")
                        .isEmpty();
                assertThat(resumable.sawDoneMarker())
                        .as("[DONE] after a cut stream")
                        .isFalse();
                try (ChunkFeed retry =
                        ChunkFeed.resume(cluster.node(2).baseUrl(), resumable.streamId(), resumable.lastSeq())) {
                    assertThat(retry.status())
                            .as("a resume while Redis is down")
                            .isEqualTo(503);
                    assertThat(retry.errorBody()).contains("\"code\":\"store_unavailable\"");
                }
            }

            redis.restart();
            cluster.awaitLog(1, "Redis at \\S+ answers again", EVENT);
            cluster.awaitLog(2, "Redis at \\S+ answers again", EVENT);

            try (ChunkFeed again = ChunkFeed.post(cluster.node(1).baseUrl(), lorem(true, PACE))) {
                assertThat(again.status())
                        .as("a resumable start after Redis is back")
                        .isEqualTo(200);
                again.readThrough(3);
                try (ChunkFeed resumed = ChunkFeed.resume(cluster.node(2).baseUrl(), again.streamId(), -1)) {
                    assertThat(resumed.status()).isEqualTo(200);
                    List<StreamChunk> all = resumed.readToEnd();
                    ChunkFeed.assertGapFree(all, 0, "resumed on n2 after Redis came back");
                    assertThat(((DoneChunk) all.getLast()).finishReason()).isEqualTo(FinishReason.STOP);
                    assertThat(ChunkFeed.text(all)).isEqualTo(reference);
                }
                assertThat(ChunkFeed.text(again.readToEnd())).isEqualTo(reference);
            }
        }
    }

    @Test
    void serveExits2WithOneLineWhenRedisIsNotThere() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort(); // nothing listens there once it is closed
        }
        String url = "redis://127.0.0.1:" + closed + "/0";
        Path dir = Files.createTempDirectory("aistream-no-redis");
        try {
            Path config = Files.writeString(dir.resolve("aistream.json"), "{\"redis\": {\"url\": \"" + url + "\"}}");
            Ended fromFile = serve(List.of("--config", config.toString()), Map.of());
            Ended fromEnv = serve(List.of(), Map.of("AISTREAM_REDIS_URL", url));
            for (Ended e : List.of(fromFile, fromEnv)) {
                System.out.println("no redis: exit " + e.status() + ", stderr: " + e.stderr());
                assertThat(e.status()).as("exit status; stderr: " + e.stderr()).isEqualTo(2);
                List<String> lines =
                        e.stderr().lines().filter(l -> !l.isBlank()).toList();
                assertThat(lines).as("stderr").hasSize(1);
                assertThat(lines.getFirst()).contains("Redis").contains(url);
                assertThat(e.stdout()).doesNotContain("listening");
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private record Ended(int status, String stdout, String stderr) {}

    /** Runs {@code aistream serve --port 0 <args>} with these variables and returns how it ended. */
    private static Ended serve(List<String> args, Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HostileGateway.HEAP,
                "-XX:+ExitOnOutOfMemoryError",
                "-jar",
                GatewayProcess.defaultJar().toString(),
                "serve",
                "--port",
                "0"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("AISTREAM_") || k.endsWith("_API_KEY"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        if (!p.waitFor(45, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("serve with no Redis did not exit; stderr: " + err.getNow(""));
        }
        return new Ended(p.exitValue(), out.join(), err.join());
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }
}
