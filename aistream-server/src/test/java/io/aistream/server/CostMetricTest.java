package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ChunkJson;
import io.aistream.chunk.DoneChunk;
import io.aistream.json.Jackson;
import io.aistream.provider.registry.ProviderRegistry;
import io.aistream.server.config.ServerConfig;
import io.aistream.sse.SseEvent;
import io.aistream.testing.RawHttp;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A price table in the config gives the done chunk its cost and adds it to
 * {@code aistream_cost_total{key,model}}, labelled with the caller's key digest prefix, never the key.
 */
@Timeout(30)
class CostMetricTest {
    private static final String KEY = "alice-key-0123456789";

    @Test
    void aPricedStreamThroughTheGatewayHasItsCostOnDoneAndInTheMetric() throws Exception {
        ProviderRegistry registry = ProviderRegistry.builder()
                .config(Jackson.mapper().readTree("""
                        {"prices": {"simulated/echo": {"input": 2, "output": 10}}}"""), Set.of())
                .build();
        Map<String, String> auth = Map.of("Authorization", "Bearer " + KEY);
        try (AistreamServer server = AistreamServer.start(ServerConfig.builder()
                .port(0)
                .apiKeys(List.of(KEY))
                .providers(registry.asProviders())
                .build())) {
            for (int i = 0; i < 2; i++) {
                try (RawHttp http = RawHttp.request(
                        server.port(),
                        "POST",
                        "/v1/stream",
                        auth,
                        "{\"provider\":\"simulated\",\"model\":\"echo\","
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}")) {
                    List<SseEvent> events = http.events(http.sse(), 10);
                    String done = events.get(events.size() - 2).data();
                    assertThat(ChunkJson.parse(done))
                            .isInstanceOfSatisfying(
                                    DoneChunk.class,
                                    d -> assertThat(d.cost())
                                            .contains(new BigDecimal("0.000036"))); // 3 × 2 + 3 × 10 per million
                }
            }
            Awaitility.await().until(() -> server.activeStreams() == 0);

            try (RawHttp metrics = RawHttp.request(server.port(), "GET", "/metrics", auth, null)) {
                String text = metrics.bodyText();
                assertThat(text).doesNotContain(KEY);
                Matcher m = Pattern.compile("aistream_cost_total\\{key=\"" + Pattern.quote(principal(KEY))
                                + "\",model=\"simulated/echo\"} (\\S+)")
                        .matcher(text);
                assertThat(m.find()).as(text).isTrue();
                assertThat(Double.parseDouble(m.group(1)))
                        .isCloseTo(0.000072, org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    /** The gateway's principal of a key: {@code key:} and the first 4 bytes of its SHA-256, in hex. */
    private static String principal(String key) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        return "key:" + HexFormat.of().formatHex(digest, 0, 4);
    }
}
