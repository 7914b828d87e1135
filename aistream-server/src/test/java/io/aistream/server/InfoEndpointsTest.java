package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.testing.RawHttp;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class InfoEndpointsTest {

    @Test
    void metricsCountStreamsChunksAbortsAndResumes() throws Exception {
        try (TestGateway g = TestGateway.start()) {
            try (RawHttp r = RawHttp.postJson(
                    g.port(),
                    "/v1/stream",
                    "{\"provider\":\"simulated\",\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}")) {
                assertThat(r.bodyText()).endsWith("data: [DONE]\n\n");
            }
            RawHttp left = g.stream("");
            var source = g.provider.nextSource();
            left.close();
            source.awaitCancel();
            try (RawHttp r = RawHttp.request(g.port(), "GET", "/v1/streams/st_missing", Map.of(), null)) {
                assertThat(r.status()).isEqualTo(404);
            }
            org.awaitility.Awaitility.await().until(() -> g.server.activeStreams() == 0);
            try (RawHttp r = RawHttp.request(g.port(), "GET", "/metrics", Map.of(), null)) {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
                String text = r.bodyText();
                assertThat(text)
                        .contains("aistream_streams_active 0.0")
                        .contains("aistream_streams_started_total{provider=\"simulated\",resumable=\"false\"} 1.0")
                        .contains("aistream_chunks_total{provider=\"simulated\",type=\"content\"} 3.0")
                        .contains("aistream_chunks_total{provider=\"simulated\",type=\"done\"} 1.0")
                        .contains("aistream_time_to_first_chunk_seconds_count{provider=\"simulated\"} 1")
                        .contains("aistream_aborts_total{cause=\"client_disconnect\"} 1.0")
                        // every cause is there from the start, the WebSocket's and the UI chat's too
                        .contains("aistream_aborts_total{cause=\"client_abort\"} 0.0")
                        .contains("aistream_aborts_total{cause=\"superseded\"} 0.0")
                        .contains("aistream_resume_requests_total{outcome=\"not_found\"} 1.0")
                        .contains("aistream_retries_total{provider=\"simulated\"} 0.0");
            }
        }
    }

    @Test
    void healthListsTheLiveProviders() throws Exception {
        try (TestGateway g = TestGateway.start();
                RawHttp r = RawHttp.request(g.port(), "GET", "/health", Map.of(), null)) {
            assertThat(r.status()).isEqualTo(200);
            // every node names itself (host name, pid and a random suffix unless configured)
            assertThat(r.bodyText())
                    .matches("\\Q{\"status\":\"ok\",\"providers\":["
                            + "{\"name\":\"test\",\"models\":[\"script\",\"other\"]},"
                            + "{\"name\":\"simulated\",\"models\":[\"echo\",\"lorem\",\"reasoning\",\"tools\"]}],\"activeStreams\":0,"
                            + "\"nodeId\":\"\\E[a-z0-9.-]+-\\d+-[0-9a-f]{6}\"}");
        }
    }

    @Test
    void theDemoPageIsServedAtTheRoot() throws Exception {
        String script;
        try (TestGateway g = TestGateway.start();
                RawHttp r = RawHttp.request(g.port(), "GET", "/", Map.of(), null)) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type").orElseThrow()).startsWith("text/html");
            String html = r.bodyText();
            assertThat(html).contains("<title>aistream demo</title>").contains("<div id=\"root\">");
            Matcher m = Pattern.compile("src=\"\\./(assets/[^\"]+\\.js)\"").matcher(html);
            assertThat(m.find()).as("the page's script in %s", html).isTrue();
            script = "/" + m.group(1);
            try (RawHttp js = RawHttp.request(g.port(), "GET", script, Map.of(), null)) {
                assertThat(js.status()).isEqualTo(200);
                assertThat(js.header("Content-Type").orElseThrow()).contains("javascript");
                assertThat(js.bodyText()).contains("/v1/stream");
            }
        }
    }
}
