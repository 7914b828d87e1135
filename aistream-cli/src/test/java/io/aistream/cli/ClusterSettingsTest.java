package io.aistream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.server.config.ClusterConfig;
import io.aistream.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve}'s cluster settings: the config file's {@code redis} and {@code nodeId}, and their variables. */
class ClusterSettingsTest {
    @TempDir
    Path dir;

    private ServerConfig load(String json, Map<String, String> env) throws Exception {
        Optional<Path> file = Optional.empty();
        if (json != null) {
            file = Optional.of(dir.resolve("gateway.json"));
            Files.writeString(file.get(), json);
        }
        return ServeSettings.load(file, Optional.empty(), Optional.empty(), env)
                .config()
                .build();
    }

    @Test
    void withoutRedisANodeIsOnItsOwn() throws Exception {
        assertThat(load("{}", Map.of()).cluster()).isEmpty();
        assertThat(load(null, Map.of()).cluster()).isEmpty();
    }

    @Test
    void theFileNamesRedisTheNodeAndItsLease() throws Exception {
        ClusterConfig c = load(
                        "{\"redis\": {\"url\": \"redis://10.0.0.5:6380/2\", \"leaseMillis\": 3000, \"renewMillis\": 500,"
                                + " \"keyPrefix\": \"chat:\"}, \"nodeId\": \"web-1\"}",
                        Map.of())
                .cluster()
                .orElseThrow();
        assertThat(c)
                .isEqualTo(new ClusterConfig(
                        "redis://10.0.0.5:6380/2", "web-1", Duration.ofMillis(3000), Duration.ofMillis(500), "chat:"));
    }

    @Test
    void theVariablesWinOverTheFile() throws Exception {
        ClusterConfig c = load(
                        "{\"redis\": {\"url\": \"redis://file:6379\"}, \"nodeId\": \"from-file\"}",
                        Map.of("AISTREAM_REDIS_URL", "redis://env:6379/1", "AISTREAM_NODE_ID", "from-env"))
                .cluster()
                .orElseThrow();
        assertThat(c.redisUrl()).isEqualTo("redis://env:6379/1");
        assertThat(c.nodeId()).isEqualTo("from-env");
        assertThat(c.lease()).isEqualTo(ClusterConfig.DEFAULT_LEASE);

        ClusterConfig envOnly = load(null, Map.of("AISTREAM_REDIS_URL", "redis://127.0.0.1:6379"))
                .cluster()
                .orElseThrow();
        assertThat(envOnly.nodeId()).matches("[a-z0-9.-]+-\\d+-[0-9a-f]{6}");
    }

    @Test
    void serveExitsTwoWithOneLineWhenRedisCannotBeReached() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort(); // closed again when this returns: nothing listens there
        }
        Path config = dir.resolve("cluster.json");
        Files.writeString(config, "{\"port\": 0, \"redis\": {\"url\": \"redis://127.0.0.1:" + closedPort + "/0\"}}");
        CliRun run = CliRun.run("", "serve", "--config", config.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        // (in this test JVM, serve also warns that -XX:+ExitOnOutOfMemoryError is missing; the launcher sets it)
        List<String> lines = run.err()
                .strip()
                .lines()
                .filter(l -> !l.contains("ExitOnOutOfMemoryError"))
                .toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst())
                .startsWith("aistream serve: Redis at redis://127.0.0.1:" + closedPort + "/0 cannot be reached: ")
                .containsIgnoringCase("refused");
        assertThat(run.out()).doesNotContain("listening");
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> load("{\"redis\": {}}", Map.of()))
                .isInstanceOf(ServeSettings.BadSettings.class)
                .hasMessageContaining("redis.url")
                .hasMessageContaining("is required");
        assertThatThrownBy(() -> load("{\"redis\": {\"url\": \"http://x:1\"}}", Map.of()))
                .isInstanceOf(ServeSettings.BadSettings.class)
                .hasMessageContaining("redis:// or rediss://");
        assertThatThrownBy(() -> load("{\"redis\": {\"url\": \"redis://x:1\", \"leaseMillis\": 100}}", Map.of()))
                .isInstanceOf(ServeSettings.BadSettings.class)
                .hasMessageContaining("lease (100 ms) must be at least 3 × renewEvery (1000 ms)");
        assertThatThrownBy(() -> load("{\"redis\": {\"url\": \"redis://x:1\", \"port\": 1}}", Map.of()))
                .isInstanceOf(ServeSettings.BadSettings.class)
                .hasMessageContaining("port");
        assertThatThrownBy(() -> load("{\"nodeId\": \"n1\"}", Map.of()))
                .isInstanceOf(ServeSettings.BadSettings.class)
                .hasMessageContaining("no redis");
        assertThatThrownBy(
                        () -> load(null, Map.of("AISTREAM_REDIS_URL", "redis://x:1", "AISTREAM_NODE_ID", "has space")))
                .isInstanceOf(ServeSettings.BadSettings.class)
                .hasMessageContaining("nodeId");
    }
}
