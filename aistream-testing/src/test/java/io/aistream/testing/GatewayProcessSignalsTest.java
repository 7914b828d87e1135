package io.aistream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GatewayProcess}'s kill, pause, resume and start on a given port, on a real process: a stand-in jar
 * ({@link StandInGateway}) that prints the gateway's listening line, since the CLI jar is built after this
 * module.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayProcessSignalsTest {
    @TempDir
    Path dir;

    private GatewayProcess.Options options;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void standInJar() throws Exception {
        options = GatewayProcess.Options.defaults().withJar(StandInGateway.jar(dir));
    }

    @AfterEach
    void closeClient() {
        http.close();
    }

    private CompletableFuture<String> hello(GatewayProcess g) {
        return http.sendAsync(
                        HttpRequest.newBuilder(URI.create(g.baseUrl() + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .thenApply(HttpResponse::body);
    }

    @Test
    void killEndsItAtOnceAndANewNodeStartsOnTheOldPort() throws Exception {
        int port;
        try (GatewayProcess g = GatewayProcess.start(options)) {
            port = g.port();
            assertThat(hello(g).get(30, TimeUnit.SECONDS)).isEqualTo("ok " + g.pid());

            int status = g.kill();

            assertThat(status).isEqualTo(128 + 9);
            assertThat(g.alive()).isFalse();
            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                    .isInstanceOf(ConnectException.class);
            assertThat(g.log()).contains("aistream gateway listening on http://127.0.0.1:" + port + "/");
        }

        try (GatewayProcess again = GatewayProcess.start(options.withPort(port))) {
            assertThat(again.port()).isEqualTo(port);
            assertThat(hello(again).get(30, TimeUnit.SECONDS)).isEqualTo("ok " + again.pid());
        }
    }

    @Test
    void pausedItAnswersOnlyAfterResume() throws Exception {
        try (GatewayProcess g = GatewayProcess.start(options)) {
            g.pause();

            assertThat(Signals.isStopped(g.pid())).hasValue(true);
            assertThat(g.alive()).isTrue();
            CompletableFuture<String> answer = hello(g); // the kernel accepts; the reply waits for the process
            assertThat(answer).isNotDone();

            g.resume();

            assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo("ok " + g.pid());
            assertThat(Signals.isStopped(g.pid())).hasValue(false);
        }
    }

    @Test
    void aPausedNodeStillStopsGracefully() throws Exception {
        GatewayProcess g = GatewayProcess.start(options);
        g.pause();

        int status = g.stop(); // SIGTERM stays pending on a stopped process: stop() lets it run to handle it

        assertThat(status).isEqualTo(128 + 15);
        assertThat(g.alive()).isFalse();
        g.close();
    }

    @Test
    void theOldOptionsConstructorStillMeansAFreePort() {
        GatewayProcess.Options o = new GatewayProcess.Options(
                Path.of("x.jar"), List.of(), null, List.of(), Map.of(), java.time.Duration.ofSeconds(5));

        assertThat(o.port()).isZero();
        assertThat(o.withPort(8080).port()).isEqualTo(8080);
        assertThatThrownBy(() -> o.withPort(70_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port out of range 0..65535: 70000");
    }
}
