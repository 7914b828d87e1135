package io.aistream.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.server.assembly.GatewayRoutes;
import io.aistream.testing.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@code aistream.redis.url}: resumable streams are kept in that Redis and resume from it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@SpringBootTest(
        classes = TestApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.main.web-application-type=servlet", "aistream.simulated.tokens-per-second=0"})
class RedisResumeTest {
    static RedisServer redis;

    @Autowired
    Environment environment;

    @Autowired
    GatewayRoutes routes;

    @BeforeAll
    static void available() {
        RedisServer.assumeAvailable();
    }

    @DynamicPropertySource
    static void redisUrl(DynamicPropertyRegistry registry) {
        registry.add("aistream.redis.url", () -> {
            try {
                if (redis == null) {
                    redis = RedisServer.start();
                }
                return redis.url();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }

    @Test
    void aResumableStreamIsKeptInRedisAndResumesFromIt() throws Exception {
        assertThat(routes.resumeStore().getClass().getSimpleName()).contains("Redis");
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + environment.getProperty("local.server.port");
        HttpResponse<String> started = http.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/stream"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(SecuredContract.resumableLorem()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).isEqualTo(200);
        String id = started.headers().firstValue("x-stream-id").orElseThrow();
        assertThat(redis.command("KEYS", "*" + id + "*")).contains(id);
        HttpResponse<String> resumed = http.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/streams/" + id))
                        .header("last-event-id", "2")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(resumed.statusCode()).isEqualTo(200);
        String tail = started.body().substring(started.body().indexOf("id: 3\n"));
        assertThat(resumed.body()).endsWith(tail);
    }
}
