package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.json.Jackson;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseReader;
import io.aistream.testing.RawHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Background responses ({@code background: true}) of POST /v1/responses on the wire against a real gateway with two
 * keys: a streamed one whose client drops mid-stream and resumes with {@code starting_after} (gap-free, no
 * duplicates, the same events as an undisturbed follower), a queued one polled to its end, cancel, and the 400s and
 * 404s around them. Streams are paced simulated ones with fixed seeds; the tests wait on events, never on time.
 */
@Timeout(60)
class ResponsesBackgroundWireTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final String ALICE = "alice-key-0123456789";
    private static final String BOB = "bob-key-0123456789ab";
    private static final long SEED = 7;

    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start(b -> b.apiKeys(List.of(ALICE, BOB)));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static String body(boolean stream, String options) {
        return "{\"model\":\"simulated/lorem\",\"input\":\"write\",\"background\":true,\"stream\":" + stream
                + ",\"provider_options\":" + options + "}";
    }

    private static String paced() {
        System.out.println("seed " + SEED);
        return "{\"seed\":" + SEED + ",\"length\":40,\"tokensPerSecond\":200}";
    }

    private static RawHttp call(String method, String path, String key, String json) throws Exception {
        return RawHttp.request(
                gateway.port(),
                method,
                path,
                json == null
                        ? Map.of("Authorization", "Bearer " + key)
                        : Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json"),
                json);
    }

    private static JsonNode json(RawHttp r, int status) throws Exception {
        String text = r.bodyText();
        assertThat(r.status()).as(text).isEqualTo(status);
        return JSON.readTree(text);
    }

    private static JsonNode data(SseEvent e) {
        return JSON.readTree(e.data());
    }

    /** Every event up to the end of the response. */
    private static List<SseEvent> rest(RawHttp r) {
        SseReader reader = r.sse();
        List<SseEvent> events = new ArrayList<>();
        for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
            events.add(e.get());
        }
        return events;
    }

    private static String id(SseEvent created) {
        return data(created).path("response").path("id").asString();
    }

    @Test
    void aDroppedStreamGoesOnAndResumesAfterItsLastSequenceNumberWithoutGapsOrDuplicates() throws Exception {
        RawHttp first = call("POST", "/v1/responses", ALICE, body(true, paced()));
        assertThat(first.status()).isEqualTo(200);
        SseReader reader = first.sse();
        List<SseEvent> seen = new ArrayList<>();
        int deltas = 0;
        while (deltas < 5) {
            SseEvent e = reader.next().orElseThrow();
            seen.add(e);
            if (e.event().equals("response.output_text.delta")) {
                deltas++;
            }
        }
        String id = id(seen.getFirst());
        assertThat(data(seen.getFirst()).path("response").path("background").asBoolean())
                .isTrue();
        // an undisturbed follower from the start, before the first client leaves
        RawHttp undisturbed = call("GET", "/v1/responses/" + id + "?stream=true", ALICE, null);
        assertThat(undisturbed.status()).isEqualTo(200);
        first.close(); // the client drops mid-stream

        long last = data(seen.getLast()).path("sequence_number").asLong();
        RawHttp resumed = call("GET", "/v1/responses/" + id + "?stream=true&starting_after=" + last, ALICE, null);
        assertThat(resumed.status()).isEqualTo(200);
        List<SseEvent> after = rest(resumed);
        assertThat(after).isNotEmpty();
        List<SseEvent> all = new ArrayList<>(seen);
        all.addAll(after);
        List<SseEvent> expected = rest(undisturbed);

        assertThat(all).isEqualTo(expected);
        for (int i = 0; i < all.size(); i++) {
            assertThat(data(all.get(i)).path("sequence_number").asLong()).isEqualTo(i);
        }
        assertThat(all.getLast().event()).isEqualTo("response.completed"); // the stream went on without its client
        JsonNode done = json(call("GET", "/v1/responses/" + id, ALICE, null), 200);
        assertThat(done.path("status").asString()).isEqualTo("completed");
        assertThat(done.path("background").asBoolean()).isTrue();
        assertThat(done.path("output"))
                .isEqualTo(data(all.getLast()).path("response").path("output"));
        // after the end: the replay from a sequence number is still exact
        List<SseEvent> tail =
                rest(call("GET", "/v1/responses/" + id + "?stream=true&starting_after=" + last, ALICE, null));
        assertThat(tail).isEqualTo(all.subList((int) last + 1, all.size()));
        // and from the start, its head rebuilt from the kept object
        assertThat(rest(call("GET", "/v1/responses/" + id + "?stream=true", ALICE, null)))
                .isEqualTo(all);
    }

    @Test
    void aQueuedResponseIsAnsweredAtOnceAndRetrievedWhenItEnds() throws Exception {
        JsonNode queued = json(call("POST", "/v1/responses", ALICE, body(false, paced())), 200);
        assertThat(queued.path("status").asString()).isEqualTo("queued");
        assertThat(queued.path("background").asBoolean()).isTrue();
        assertThat(queued.path("output")).isEmpty();
        String id = queued.path("id").asString();
        // wait on the response's own end, not on time
        List<SseEvent> events = rest(call("GET", "/v1/responses/" + id + "?stream=true", ALICE, null));
        assertThat(events.getLast().event()).isEqualTo("response.completed");
        JsonNode done = json(call("GET", "/v1/responses/" + id, ALICE, null), 200);
        assertThat(done.path("status").asString()).isEqualTo("completed");
        assertThat(done.path("output")
                        .get(0)
                        .path("content")
                        .get(0)
                        .path("text")
                        .asString())
                .isNotBlank();
        // another key does not see it
        assertThat(call("GET", "/v1/responses/" + id, BOB, null).status()).isEqualTo(404);
        assertThat(call("GET", "/v1/responses/" + id + "?stream=true", BOB, null)
                        .status())
                .isEqualTo(404);
        // a finished response cannot be cancelled
        JsonNode refused = json(call("POST", "/v1/responses/" + id + "/cancel", ALICE, null), 400);
        assertThat(refused.path("error").path("message").asString()).contains("already ended", "completed");
    }

    @Test
    void aRunningResponseIsInProgressUntilCancelledAndCancelIsIdempotent() throws Exception {
        String stalled = "{\"seed\":" + SEED + ",\"length\":40,\"tokensPerSecond\":200,\"stallAfter\":3}";
        JsonNode queued = json(call("POST", "/v1/responses", ALICE, body(false, stalled)), 200);
        String id = queued.path("id").asString();
        RawHttp follower = call("GET", "/v1/responses/" + id + "?stream=true", ALICE, null);
        SseReader reader = follower.sse();
        int deltas = 0;
        while (deltas < 3) {
            if (reader.next().orElseThrow().event().equals("response.output_text.delta")) {
                deltas++;
            }
        }
        JsonNode running = json(call("GET", "/v1/responses/" + id, ALICE, null), 200);
        assertThat(running.path("status").asString()).isEqualTo("in_progress");
        assertThat(call("POST", "/v1/responses/" + id + "/cancel", BOB, null).status())
                .isEqualTo(404);

        JsonNode cancelled = json(call("POST", "/v1/responses/" + id + "/cancel", ALICE, null), 200);
        assertThat(cancelled.path("status").asString()).isEqualTo("cancelled");
        assertThat(cancelled.path("error").isNull()).isTrue();
        assertThat(cancelled.path("id").asString()).isEqualTo(id);
        List<SseEvent> end = new ArrayList<>();
        for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
            end.add(e.get());
        }
        assertThat(end.getLast().event()).isEqualTo("response.failed"); // the follower's stream ends too
        assertThat(json(call("GET", "/v1/responses/" + id, ALICE, null), 200)
                        .path("status")
                        .asString())
                .isEqualTo("cancelled");
        assertThat(json(call("POST", "/v1/responses/" + id + "/cancel", ALICE, null), 200)
                        .path("status")
                        .asString())
                .isEqualTo("cancelled");
    }

    @Test
    void backgroundNeedsStoreAndOnlyBackgroundResponsesAreCancelledOrStreamedAgain() throws Exception {
        JsonNode refused = json(
                call(
                        "POST",
                        "/v1/responses",
                        ALICE,
                        "{\"model\":\"simulated/echo\",\"input\":\"hi\",\"background\":true,\"store\":false}"),
                400);
        assertThat(refused.path("error").path("param").asString()).isEqualTo("background");
        assertThat(refused.path("error").path("message").asString()).contains("store");

        JsonNode plain =
                json(call("POST", "/v1/responses", ALICE, "{\"model\":\"simulated/echo\",\"input\":\"hi\"}"), 200);
        assertThat(plain.path("background").asBoolean()).isFalse();
        String id = plain.path("id").asString();
        assertThat(json(call("POST", "/v1/responses/" + id + "/cancel", ALICE, null), 400)
                        .path("error")
                        .path("message")
                        .asString())
                .contains("background");
        assertThat(json(call("GET", "/v1/responses/" + id + "?stream=true", ALICE, null), 400)
                        .path("error")
                        .path("param")
                        .asString())
                .isEqualTo("stream");
        assertThat(call("POST", "/v1/responses/resp_nope/cancel", ALICE, null).status())
                .isEqualTo(404);
        assertThat(call("GET", "/v1/responses/resp_nope?stream=true", ALICE, null)
                        .status())
                .isEqualTo(404);
        assertThat(json(call("GET", "/v1/responses/x?stream=true&starting_after=-2", ALICE, null), 400)
                        .path("error")
                        .path("param")
                        .asString())
                .isEqualTo("starting_after");
    }

    @Test
    void aFinishedResponseWhoseBufferLostItsStartAnswersItsTerminalEventWithTheWholeResponse() throws Exception {
        // a resume buffer of 4 chunks: a longer response keeps only its last ones; unpaced, so the buffer drops its
        // chunks as fast as they come, and the keeper (its producer's tap) still builds the whole response
        try (TestGateway small =
                TestGateway.start(b -> b.apiKeys(List.of(ALICE)).resumeMaxChunks(4))) {
            Map<String, String> auth = Map.of("Authorization", "Bearer " + ALICE);
            JsonNode queued;
            try (RawHttp post = RawHttp.request(
                    small.port(),
                    "POST",
                    "/v1/responses",
                    Map.of("Authorization", "Bearer " + ALICE, "Content-Type", "application/json"),
                    body(false, "{\"seed\":" + SEED + ",\"length\":12}"))) {
                queued = json(post, 200);
            }
            String id = queued.path("id").asString();
            // waits on the response's own state (GET answers in_progress until it is kept)
            JsonNode[] done = new JsonNode[1];
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                try (RawHttp get = RawHttp.request(small.port(), "GET", "/v1/responses/" + id, auth, null)) {
                    done[0] = json(get, 200);
                }
                return done[0].path("status").asString().equals("completed");
            });
            List<SseEvent> terminal = rest(RawHttp.request(
                    small.port(), "GET", "/v1/responses/" + id + "?stream=true&starting_after=2", auth, null));
            assertThat(terminal).hasSize(1);
            assertThat(terminal.getFirst().event()).isEqualTo("response.completed");
            JsonNode only = data(terminal.getFirst());
            assertThat(only.path("sequence_number").asLong()).isEqualTo(3);
            assertThat(only.path("response").path("output")).isEqualTo(done[0].path("output"));
            assertThat(only.path("response")
                            .path("output")
                            .get(0)
                            .path("content")
                            .get(0)
                            .path("text")
                            .asString())
                    .isNotBlank();
        }
    }
}
