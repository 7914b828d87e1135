package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.json.Jackson;
import io.aistream.testing.RawHttp;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** GET /v1/models and /v1/models/{id} on the wire: OpenAI's shapes, its errors, authentication. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpenAiModelsTest {
    private static final JsonMapper JSON = Jackson.mapper();

    private static JsonNode get(TestGateway g, String path, Map<String, String> headers, int status) throws Exception {
        try (RawHttp http = RawHttp.request(g.port(), "GET", path, headers, null)) {
            assertThat(http.status()).as(path).isEqualTo(status);
            assertThat(http.header("content-type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            return JSON.readTree(http.bodyText());
        }
    }

    @Test
    void listsEveryNameTheChatEndpointTakesInOpenAisShape() throws Exception {
        try (TestGateway g = TestGateway.start()) {
            JsonNode list = get(g, "/v1/models", Map.of(), 200);
            assertThat(list.get("object").asString()).isEqualTo("list");
            List<String> ids = list.get("data")
                    .valueStream()
                    .map(m -> m.get("id").asString())
                    .toList();
            // the controlled provider lists two models; the simulated one lists its scripts
            assertThat(ids)
                    .contains("test", "test/script", "test/other", "simulated", "simulated/echo")
                    .isSorted();
            for (JsonNode m : list.get("data")) {
                assertThat(m.get("object").asString()).isEqualTo("model");
                assertThat(m.get("created").isIntegralNumber()).isTrue();
                String id = m.get("id").asString();
                assertThat(m.get("owned_by").asString())
                        .isEqualTo(id.contains("/") ? id.substring(0, id.indexOf('/')) : id);
            }
        }
    }

    @Test
    void retrievesAModelByIdWithOrWithoutItsProvider() throws Exception {
        try (TestGateway g = TestGateway.start()) {
            assertThat(get(g, "/v1/models/test/script", Map.of(), 200).get("id").asString())
                    .isEqualTo("test/script");
            assertThat(get(g, "/v1/models/simulated", Map.of(), 200)
                            .get("owned_by")
                            .asString())
                    .isEqualTo("simulated");

            JsonNode missing = get(g, "/v1/models/test/nope", Map.of(), 404).get("error");
            assertThat(missing.get("code").asString()).isEqualTo("model_not_found");
            assertThat(missing.get("type").asString()).isEqualTo("invalid_request_error");
            assertThat(missing.get("message").asString()).contains("test/nope");
        }
    }

    @Test
    void asksForTheKeyInOpenAisShapeWhenKeysAreSet() throws Exception {
        try (TestGateway g = TestGateway.start(b -> b.apiKeys(List.of("k-one-0123456789abc")))) {
            try (RawHttp http = RawHttp.request(g.port(), "GET", "/v1/models", Map.of(), null)) {
                assertThat(http.status()).isEqualTo(401);
                assertThat(http.header("www-authenticate")).contains("Bearer");
                assertThat(JSON.readTree(http.bodyText())
                                .get("error")
                                .get("code")
                                .asString())
                        .isEqualTo("invalid_api_key");
            }
            assertThat(get(g, "/v1/models/test/script", Map.of("Authorization", "Bearer k-one-0123456789abc"), 200)
                            .get("id")
                            .asString())
                    .isEqualTo("test/script");
        }
    }

    @Test
    void anEncodedSlashInTheIdIsDecodedAndRoutesNowhereElse() throws Exception {
        try (TestGateway g = TestGateway.start()) {
            // what the official SDKs send for models.retrieve("simulated/echo")
            assertThat(get(g, "/v1/models/simulated%2Fecho", Map.of(), 200)
                            .get("id")
                            .asString())
                    .isEqualTo("simulated/echo");
            assertThat(get(g, "/v1/models/test%2fscript", Map.of(), 200)
                            .get("id")
                            .asString())
                    .isEqualTo("test/script");
            // an encoded slash stays inside its segment: it cannot climb out of the id or into another route
            JsonNode climbing =
                    get(g, "/v1/models/a%2F..%2F..%2Fhealth", Map.of(), 404).get("error");
            assertThat(climbing.get("code").asString()).isEqualTo("model_not_found");
            assertThat(get(g, "/v1%2Fmodels", Map.of(), 404)
                            .get("error")
                            .get("code")
                            .asString())
                    .isEqualTo("not_found");
            assertThat(get(g, "/v1/streams/x%2F..%2F..%2Fhealth", Map.of(), 404)
                            .get("error")
                            .has("code"))
                    .isTrue();
            // nor into the static files (the demo page is served from '/')
            assertThat(get(g, "/x%2F..%2F..%2Fpom.xml", Map.of(), 404)
                            .get("error")
                            .get("code")
                            .asString())
                    .isEqualTo("not_found");
        }
    }
}
