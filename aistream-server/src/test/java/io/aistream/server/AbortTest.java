package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ChunkJson;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.sse.SseEvent;
import io.aistream.testing.RawHttp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AbortTest {

    private static void assertEndsAborted(List<SseEvent> events) {
        assertThat(events).hasSizeGreaterThanOrEqualTo(2);
        assertThat(events.getLast().data()).isEqualTo("[DONE]");
        assertThat(ChunkJson.parse(events.get(events.size() - 2).data()))
                .isInstanceOfSatisfying(
                        DoneChunk.class, d -> assertThat(d.finishReason()).isEqualTo(FinishReason.ABORTED));
    }

    @Test
    void deleteAbortsAResumableStreamForTheOriginalClientAndAResumedFollower() throws Exception {
        try (TestGateway gateway = TestGateway.start()) {
            RawHttp original = gateway.stream("\"resumable\":true");
            String id = original.header("X-Stream-Id").orElseThrow();
            var source = gateway.provider.nextSource();
            source.emit(ContentChunk.of("a"), ContentChunk.of("b"));
            var originalEvents = original.sse();
            assertThat(original.events(originalEvents, 2)).hasSize(2);

            RawHttp follower =
                    RawHttp.request(gateway.port(), "GET", "/v1/streams/" + id, Map.of("Last-Event-ID", "0"), null);
            var followerEvents = follower.sse();
            assertThat(follower.events(followerEvents, 1))
                    .extracting(SseEvent::lastEventId)
                    .containsExactly("1");

            try (RawHttp delete = RawHttp.request(gateway.port(), "DELETE", "/v1/streams/" + id, Map.of(), null)) {
                assertThat(delete.status()).isEqualTo(200);
                assertThat(delete.bodyText()).isEqualTo("{\"id\":\"" + id + "\",\"aborted\":true}");
            }
            source.awaitCancel();
            assertEndsAborted(original.events(originalEvents, 10));
            assertEndsAborted(follower.events(followerEvents, 10));
            original.close();
            follower.close();

            try (RawHttp again = RawHttp.request(gateway.port(), "DELETE", "/v1/streams/" + id, Map.of(), null)) {
                assertThat(again.status()).isEqualTo(200);
                assertThat(again.bodyText()).isEqualTo("{\"id\":\"" + id + "\",\"aborted\":false}");
            }
            // a later resume sees the same end
            try (RawHttp late =
                    RawHttp.request(gateway.port(), "GET", "/v1/streams/" + id, Map.of("Last-Event-ID", "1"), null)) {
                assertEndsAborted(late.events(late.sse(), 10));
            }
        }
    }

    @Test
    void deleteAbortsANonResumableStream() throws Exception {
        try (TestGateway gateway = TestGateway.start();
                RawHttp http = gateway.stream("")) {
            String id = http.header("X-Stream-Id").orElseThrow();
            var source = gateway.provider.nextSource();
            source.emit(ContentChunk.of("a"));
            var events = http.sse();
            assertThat(http.events(events, 1)).hasSize(1);
            try (RawHttp delete = RawHttp.request(gateway.port(), "DELETE", "/v1/streams/" + id, Map.of(), null)) {
                assertThat(delete.status()).isEqualTo(200);
            }
            assertEndsAborted(http.events(events, 10));
            assertThat(source.isCancelled()).isTrue();
        }
    }

    @Test
    void deleteOfAnUnknownStreamIs404() throws Exception {
        try (TestGateway gateway = TestGateway.start();
                RawHttp delete = RawHttp.request(gateway.port(), "DELETE", "/v1/streams/st_unknown", Map.of(), null)) {
            assertThat(delete.status()).isEqualTo(404);
            assertThat(delete.header("Content-Type")).contains("application/json; charset=utf-8");
        }
    }

    @Test
    void anotherKeyCannotSeeOrStopMyStream() throws Exception {
        try (TestGateway gateway =
                        TestGateway.start(b -> b.apiKeys(List.of("alice-key-0123456789", "bob-key-0123456789ab")));
                RawHttp http = RawHttp.request(
                        gateway.port(),
                        "POST",
                        "/v1/stream",
                        Map.of("Authorization", "Bearer alice-key-0123456789"),
                        "{\"provider\":\"test\",\"resumable\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
            String id = http.header("X-Stream-Id").orElseThrow();
            var source = gateway.provider.nextSource();
            for (String method : List.of("GET", "DELETE")) {
                try (RawHttp other = RawHttp.request(
                        gateway.port(),
                        method,
                        "/v1/streams/" + id,
                        Map.of("Authorization", "Bearer bob-key-0123456789ab"),
                        null)) {
                    assertThat(other.status()).as(method).isEqualTo(404);
                }
            }
            assertThat(source.isCancelled()).isFalse();
            source.emit(DoneChunk.of(FinishReason.STOP));
        }
    }
}
