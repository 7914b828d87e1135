package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.json.Jackson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 11, item 6: a JSON endpoint answers 415 {@code unsupported_media_type}, in its own error shape,
 * to a body declared as anything but JSON — {@code text/plain} and the form types are what a page may
 * send cross-origin without a preflight. A request without {@code Content-Type} is read as JSON.
 */
@Timeout(60)
class ContentTypeTest {
    private static final JsonMapper JSON = Jackson.mapper();

    private record Endpoint(String path, String body, boolean openAiShape) {}

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("/v1/stream", RawExchange.NATIVE_ECHO, false),
            new Endpoint("/v1/chat/completions", RawExchange.OPENAI_ECHO, true),
            new Endpoint("/v1/ui/chat", RawExchange.UI_ECHO, false));

    private static RawExchange post(TestGateway g, Endpoint e, String contentType) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "127.0.0.1:" + g.port());
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return RawExchange.http11(g.port(), "POST", e.path(), headers, e.body());
    }

    @Test
    void nonJsonBodiesAre415InEachEndpointsShape() throws Exception {
        try (TestGateway g = TestGateway.start()) {
            for (Endpoint e : ENDPOINTS) {
                for (String type : List.of(
                        "text/plain",
                        "text/plain;charset=UTF-8",
                        "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x",
                        "text/json",
                        "application/jsonp",
                        "application/+json",
                        "json")) {
                    RawExchange r = post(g, e, type);
                    String what = e.path() + " " + type;
                    assertThat(r.status()).as(what).isEqualTo(415);
                    JsonNode error = JSON.readTree(r.body()).get("error");
                    assertThat(error.get("code").stringValue()).as(what).isEqualTo("unsupported_media_type");
                    assertThat(error.get("message").stringValue())
                            .as(what)
                            .isEqualToIgnoringCase(
                                    "the body must be JSON: send Content-Type: application/json (got '" + type + "')");
                    if (e.openAiShape()) {
                        assertThat(error.get("type").stringValue()).isEqualTo("invalid_request_error");
                    } else {
                        assertThat(error.has("type")).as(what).isFalse();
                    }
                }
            }
            assertThat(g.server.activeStreams()).isZero();
        }
    }

    @Test
    void jsonTypesWithParametersAndAMissingTypeAreRead() throws Exception {
        try (TestGateway g = TestGateway.start()) {
            for (Endpoint e : ENDPOINTS) {
                for (String type : new String[] {
                    "application/json",
                    "application/json; charset=utf-8",
                    "APPLICATION/JSON",
                    " application/json ;charset=UTF-8",
                    "application/vnd.aistream+json",
                    null
                }) {
                    RawExchange r = post(g, e, type);
                    assertThat(r.status()).as(e.path() + " " + type).isEqualTo(200);
                }
            }
        }
    }
}
