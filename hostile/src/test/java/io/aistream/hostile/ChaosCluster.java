package io.aistream.hostile;

import static org.awaitility.Awaitility.await;

import io.aistream.testing.GatewayProcess;
import io.aistream.testing.RedisServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gateway nodes ({@code aistream serve}, the shipped jar, one JVM each) on one real {@code redis-server}, for the
 * chaos tests. Each node is named {@code n1}, {@code n2}…, with short leases ({@value #LEASE_MILLIS} ms, renewed
 * every {@value #RENEW_MILLIS} ms) so that a dead node's streams are taken over within about two seconds, and a
 * key prefix of its own per cluster so that clusters sharing a Redis never meet. A killed node can be started
 * again on its old port and under its old name ({@link #restart}). Used by one test thread; {@link #close()}
 * stops every node (not Redis, which the test owns).
 */
final class ChaosCluster implements AutoCloseable {
    static final int LEASE_MILLIS = 1500;
    static final int RENEW_MILLIS = 300;
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final RedisServer redis;
    private final String prefix;
    private final List<GatewayProcess> nodes = new ArrayList<>();

    private ChaosCluster(RedisServer redis) {
        this.redis = redis;
        this.prefix = "chaos" + ProcessHandle.current().pid() + "-" + PREFIXES.incrementAndGet() + ":";
    }

    /** Starts {@code count} nodes on {@code redis} at once and waits until all listen. */
    static ChaosCluster start(RedisServer redis, int count) throws IOException {
        ChaosCluster c = new ChaosCluster(redis);
        List<CompletableFuture<GatewayProcess>> starting = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            int n = i;
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return c.launch(n, 0);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        try {
            for (CompletableFuture<GatewayProcess> f : starting) {
                c.nodes.add(f.join());
            }
        } catch (RuntimeException e) {
            starting.forEach(f -> f.thenAccept(GatewayProcess::close));
            throw e;
        }
        return c;
    }

    /** The config file of node {@code n}. */
    String config(int n) {
        return """
                {"nodeId": "n%d",
                 "redis": {"url": "%s", "leaseMillis": %d, "renewMillis": %d, "keyPrefix": "%s"}}
                """.formatted(n, redis.url(), LEASE_MILLIS, RENEW_MILLIS, prefix);
    }

    private GatewayProcess launch(int n, int port) throws IOException {
        return HostileGateway.start(GatewayProcess.Options.defaults()
                .withConfig(config(n))
                .withEnv(Map.of())
                .withPort(port));
    }

    /** Node {@code n} (1-based). */
    GatewayProcess node(int n) {
        return nodes.get(n - 1);
    }

    /** The nodes' ports, in order (the proxy's upstreams). */
    int[] ports() {
        return nodes.stream().mapToInt(GatewayProcess::port).toArray();
    }

    /** The Redis key prefix of this cluster. */
    String prefix() {
        return prefix;
    }

    /** Starts node {@code n} again (after it was killed) on its old port, under its old name. */
    void restart(int n) throws IOException {
        GatewayProcess old = node(n);
        if (old.alive()) {
            throw new IllegalStateException("node n" + n + " still runs");
        }
        nodes.set(n - 1, launch(n, old.port()));
    }

    /** Waits until node {@code n} logged a line matching {@code regex}; returns the first such line. */
    String awaitLog(int n, String regex, Duration atMost) {
        GatewayProcess g = node(n);
        await().alias("node n" + n + " logs /" + regex + "/")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !g.logLines(regex).isEmpty());
        return g.logLines(regex).getFirst();
    }

    /** The last lines of every node's output, for failure messages. */
    String tails() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            sb.append("---- node n")
                    .append(i + 1)
                    .append(" ----\n")
                    .append(nodes.get(i).tail())
                    .append('\n');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (GatewayProcess g : nodes) {
            g.close();
        }
    }
}
