package io.aistream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real redis-server: started, asked, killed, paused, restarted on its port. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisServerTest {

    @BeforeAll
    static void redisIsInstalled() {
        RedisServer.assumeAvailable();
    }

    @Test
    void startsOnALoopbackPortWithoutPersistenceAndAnswersCommands() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port() + "/0");
            assertThat(redis.command("PING")).isEqualTo("+PONG\r\n");
            assertThat(redis.command("SET", "aistream:k", "välue")).isEqualTo("+OK\r\n");
            assertThat(redis.command("GET", "aistream:k")).isEqualTo("$6\r\nvälue\r\n");
            assertThat(redis.command("GET", "missing")).isEqualTo("$-1\r\n");
            assertThat(redis.command("DBSIZE")).isEqualTo(":1\r\n");
            assertThat(redis.command("KEYS", "aistream:*")).isEqualTo("*1\r\n$10\r\naistream:k\r\n");
            assertThat(redis.command("CONFIG", "GET", "save")).isEqualTo("*2\r\n$4\r\nsave\r\n$0\r\n\r\n");
            assertThat(redis.command("CONFIG", "GET", "appendonly"))
                    .isEqualTo("*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
            assertThat(redis.command("CONFIG", "GET", "bind")).contains("127.0.0.1");
            assertThat(redis.command("DEBUG", "SLEEP", "0")).isEqualTo("+OK\r\n");
            assertThat(redis.command("NO-SUCH-COMMAND")).startsWith("-ERR unknown command");
            assertThat(redis.log()).contains("Ready to accept connections");
        }
    }

    @Test
    void killedItRefusesConnectionsAndRestartsEmptyOnTheSamePort() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            int port = redis.port();
            long firstPid = redis.pid();
            redis.command("SET", "a", "1");

            redis.kill();

            assertThat(redis.alive()).isFalse();
            assertThatThrownBy(() -> redis.command("PING")).isInstanceOf(ConnectException.class);

            redis.restart();

            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.pid()).isNotEqualTo(firstPid);
            assertThat(redis.alive()).isTrue();
            assertThat(redis.command("PING")).isEqualTo("+PONG\r\n");
            assertThat(redis.command("DBSIZE")).isEqualTo(":0\r\n");
            assertThat(redis.log()).contains("---- restart on port " + port);
        }
    }

    @Test
    void stopIsGracefulAndRestartOfARunningServerStopsItFirst() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            long firstPid = redis.pid();
            redis.restart(); // running: stopped, then started again

            assertThat(redis.pid()).isNotEqualTo(firstPid);
            assertThat(redis.log()).contains("Received SIGTERM");
            assertThat(redis.command("PING")).isEqualTo("+PONG\r\n");

            redis.stop();

            assertThat(redis.alive()).isFalse();
            assertThat(redis.log()).contains("ready to exit");
        }
    }

    @Test
    void clientKillClosesOtherConnections() throws Exception {
        try (RedisServer redis = RedisServer.start();
                Socket client = new Socket(InetAddress.getLoopbackAddress(), redis.port())) {
            client.setSoTimeout(30_000);
            client.getOutputStream().write(RedisServer.encode("PING"));
            InputStream in = client.getInputStream();
            assertThat(new String(in.readNBytes(7), StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");

            assertThat(redis.command("CLIENT", "KILL", "TYPE", "normal")).isEqualTo(":1\r\n");

            assertThat(in.read()).as("the killed connection ends").isEqualTo(-1);
        }
    }

    @Test
    void pausedItAnswersOnlyAfterResume() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            redis.pause();
            assertThat(Signals.isStopped(redis.pid())).hasValue(true);
            // the kernel accepts the connection; the reply waits for the process
            CompletableFuture<String> ping = CompletableFuture.supplyAsync(() -> {
                try {
                    return redis.command("PING");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(ping).isNotDone();

            redis.resume();

            assertThat(ping.get(30, TimeUnit.SECONDS)).isEqualTo("+PONG\r\n");
            assertThat(Signals.isStopped(redis.pid())).hasValue(false);
        }
    }

    @Test
    void closeOfAPausedServerEndsIt() throws Exception {
        RedisServer redis = RedisServer.start();
        long pid = redis.pid();
        redis.pause();

        redis.close();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    }

    @Test
    void aReplyIsReadWholeNestedAndBounded() throws Exception {
        String nested = "*3\r\n:1\r\n*2\r\n$3\r\nfoo\r\n$-1\r\n-ERR x\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // a second reply behind the first must stay unread
        RedisServer.readReply(new ByteArrayInputStream((nested + "+NEXT\r\n").getBytes(StandardCharsets.UTF_8)), out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(nested);

        assertThatThrownBy(() -> RedisServer.readReply(
                        new ByteArrayInputStream("$5\r\nab".getBytes(StandardCharsets.UTF_8)),
                        new ByteArrayOutputStream()))
                .hasMessageContaining("closed the connection");
        assertThatThrownBy(() -> RedisServer.readReply(
                        new ByteArrayInputStream(
                                ("$" + (RedisServer.MAX_REPLY_BYTES + 1) + "\r\n").getBytes(StandardCharsets.UTF_8)),
                        new ByteArrayOutputStream()))
                .hasMessageContaining("longer than " + RedisServer.MAX_REPLY_BYTES);
        assertThatThrownBy(() -> RedisServer.readReply(
                        new ByteArrayInputStream("HTTP/1.1 400\r\n".getBytes(StandardCharsets.UTF_8)),
                        new ByteArrayOutputStream()))
                .hasMessageContaining("not a RESP2 reply");
    }
}
