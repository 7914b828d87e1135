package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ChunkJson;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.Usage;
import io.aistream.sse.SseEvent;
import io.aistream.testing.RawHttp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stream stopped with DELETE ends with a done that carries the usage the provider reported so far,
 * the provider and the model; a provider that reported nothing gives a done without a usage field
 * (unknown, not zero). The same holds for a stream that breaks inside the gateway.
 */
@Timeout(30)
class AbortUsageTest {

    private static String doneData(List<SseEvent> events) {
        assertThat(events.getLast().data()).isEqualTo("[DONE]");
        return events.get(events.size() - 2).data();
    }

    private static void delete(TestGateway gateway, String id) throws Exception {
        try (RawHttp delete = RawHttp.request(gateway.port(), "DELETE", "/v1/streams/" + id, Map.of(), null)) {
            assertThat(delete.status()).isEqualTo(200);
        }
    }

    @Test
    void deleteEndsWithTheUsageReportedSoFarTheProviderAndTheModel() throws Exception {
        try (TestGateway gateway = TestGateway.start();
                RawHttp http = RawHttp.postJson(
                        gateway.port(),
                        "/v1/stream",
                        "{\"provider\":\"simulated\",\"model\":\"lorem\",\"providerOptions\":{\"seed\":7,"
                                + "\"stallAfter\":2},\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}]}")) {
            String id = http.header("X-Stream-Id").orElseThrow();
            var events = http.sse();
            assertThat(http.events(events, 2)).hasSize(2); // the simulation stalls after two pieces

            delete(gateway, id);

            String done = doneData(http.events(events, 10));
            assertThat(ChunkJson.parse(done)).isInstanceOfSatisfying(DoneChunk.class, d -> {
                assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED);
                assertThat(d.usage()).contains(Usage.of(2, 2));
                assertThat(d.provider()).contains("simulated");
                assertThat(d.model()).contains("lorem");
            });
        }
    }

    @Test
    void deleteOfAStreamWhoseProviderReportedNothingHasNoUsageField() throws Exception {
        try (TestGateway gateway = TestGateway.start();
                RawHttp http = gateway.stream("")) {
            String id = http.header("X-Stream-Id").orElseThrow();
            var source = gateway.provider.nextSource();
            source.emit(ContentChunk.of("a"));
            var events = http.sse();
            assertThat(http.events(events, 1)).hasSize(1);

            delete(gateway, id);

            String done = doneData(http.events(events, 10));
            assertThat(done).contains("\"finishReason\":\"aborted\"").doesNotContain("usage");
        }
    }

    @Test
    void aStreamThatBreaksInsideTheGatewayEndsWithTheUsageReportedSoFar() throws Exception {
        try (TestGateway gateway = TestGateway.start();
                RawHttp http = gateway.stream("")) {
            var source = gateway.provider.nextSource();
            source.reportSoFar(Usage.of(12, 1), "test", "script").emit(ContentChunk.of("a"));
            var events = http.sse();
            assertThat(http.events(events, 1)).hasSize(1);

            source.breakWith(new StackOverflowError("a decoder recursed too deep"));

            List<SseEvent> rest = http.events(events, 10);
            assertThat(rest.get(rest.size() - 3).data()).contains("\"code\":\"internal\"");
            assertThat(ChunkJson.parse(doneData(rest))).isInstanceOfSatisfying(DoneChunk.class, d -> {
                assertThat(d.finishReason()).isEqualTo(FinishReason.ERROR);
                assertThat(d.usage()).contains(Usage.of(12, 1));
                assertThat(d.provider()).contains("test");
                assertThat(d.model()).contains("script");
            });
        }
    }
}
