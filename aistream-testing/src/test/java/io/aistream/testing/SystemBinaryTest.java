package io.aistream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** How redis-server and nginx are found, and what a test gets when one is missing. */
class SystemBinaryTest {
    @TempDir
    Path dir;

    private SystemBinary redisAt(Path debianPath) {
        return new SystemBinary("REDIS_SERVER", "redis-server", debianPath, "redis-server");
    }

    private Path executable(Path folder, String name) throws Exception {
        Files.createDirectories(folder);
        Path p = folder.resolve(name);
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void theVariableWinsThenPathThenTheDebianLocation() throws Exception {
        Path named = executable(dir.resolve("named"), "my-redis");
        Path onPath = executable(dir.resolve("bin"), "redis-server");
        Path debian = executable(dir.resolve("usr-bin"), "redis-server");
        SystemBinary redis = redisAt(debian);

        assertThat(redis.locate(Map.of(
                        "REDIS_SERVER",
                        named.toString(),
                        "PATH",
                        onPath.getParent().toString())))
                .hasValue(named);
        assertThat(redis.locate(Map.of("PATH", dir.resolve("nothing") + ":" + onPath.getParent())))
                .hasValue(onPath);
        assertThat(redis.locate(Map.of("PATH", dir.resolve("nothing").toString())))
                .hasValue(debian);
        assertThat(redis.locate(Map.of())).hasValue(debian);
    }

    @Test
    void aVariableNamingNoExecutableIsNotSilentlyReplaced() throws Exception {
        Path onPath = executable(dir.resolve("bin"), "redis-server");
        Map<String, String> env = Map.of(
                "REDIS_SERVER",
                dir.resolve("missing").toString(),
                "PATH",
                onPath.getParent().toString());
        SystemBinary redis = redisAt(onPath);

        assertThat(redis.locate(env)).isEmpty();
        assertThatThrownBy(() -> redis.require(env))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("REDIS_SERVER=" + dir.resolve("missing")
                        + " is not an executable redis-server; point it at one or unset it");
    }

    @Test
    void missingItFailsSayingHowToInstallIt() {
        SystemBinary redis = redisAt(dir.resolve("none"));
        Map<String, String> env = Map.of("PATH", dir.toString());

        assertThatThrownBy(() -> redis.assumeAvailable(env))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no redis-server")
                .hasMessageContaining("apt-get install -y redis-server")
                .hasMessageContaining("AISTREAM_CLUSTER_TESTS=skip");
    }

    @Test
    void missingWithSkipSetTheTestIsAbortedWithTheSameLine() {
        SystemBinary nginx = new SystemBinary("NGINX", "nginx", dir.resolve("none"), "nginx");
        Map<String, String> env = Map.of("PATH", dir.toString(), "AISTREAM_CLUSTER_TESTS", "skip");

        assertThatThrownBy(() -> nginx.assumeAvailable(env))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("apt-get install -y nginx");
        assertThatThrownBy(() -> nginx.require(env)).isInstanceOf(TestAbortedException.class);
    }

    @Test
    void presentSkipChangesNothing() throws Exception {
        Path debian = executable(dir.resolve("usr-bin"), "redis-server");
        SystemBinary redis = redisAt(debian);

        assertThat(redis.require(Map.of("AISTREAM_CLUSTER_TESTS", "skip"))).isEqualTo(debian);
    }
}
