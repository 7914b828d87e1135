package io.aistream.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/** {@code aistream.endpoints.base-path} moves the mounted routes; the old paths are the application's again. */
@SpringBootTest(
        classes = TestApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.main.web-application-type=servlet",
            "aistream.endpoints.base-path=/ai",
            "aistream.simulated.tokensPerSecond=0"
        })
class MvcBasePathTest {
    @Autowired
    Environment environment;

    private HttpResponse<String> post(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + environment.getProperty("local.server.port") + path))
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(MountContract.lorem(5)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRoutesMoveUnderTheBasePath() throws Exception {
        HttpResponse<String> moved = post("/ai/v1/stream");
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(moved.body()).endsWith("data: [DONE]\n\n");
        assertThat(post("/v1/stream").statusCode()).isNotEqualTo(200);
    }
}
