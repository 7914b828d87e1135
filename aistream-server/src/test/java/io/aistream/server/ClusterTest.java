package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ChunkJson;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.simulated.SimulatedProvider;
import io.aistream.server.config.ClusterConfig;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseReader;
import io.aistream.stream.TimeSource;
import io.aistream.testing.NginxProxy;
import io.aistream.testing.RawHttp;
import io.aistream.testing.RedisServer;
import io.aistream.testing.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three gateway nodes (real Jetty on real ports, in this JVM) on one real {@code redis-server}: a stream
 * started on one node is resumed on another and aborted from the third; followers on every node see the
 * same chunks; per-key limits count every node's streams; the health page names the node.
 */
@Timeout(120)
class ClusterTest {
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static RedisServer redis;

    private final List<TestGateway> nodes = new ArrayList<>();

    @BeforeAll
    static void redis() throws IOException {
        RedisServer.assumeAvailable();
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void startNodes() throws IOException {
        String prefix = "t" + PREFIXES.incrementAndGet() + ":";
        for (int i = 1; i <= 3; i++) {
            int n = i;
            nodes.add(TestGateway.start(b -> b.provider(new SimulatedProvider(TimeSource.system(), 200))
                    .maxStreamsPerKey(4)
                    .cluster(ClusterConfig.of(redis.url())
                            .withNodeId("node-" + n)
                            .withKeyPrefix(prefix))));
        }
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(TestGateway::close);
    }

    private int port(int node) {
        return nodes.get(node - 1).port();
    }

    private static String lorem(boolean resumable, int length) {
        return "{\"provider\":\"simulated\",\"model\":\"lorem\",\"resumable\":" + resumable
                + ",\"providerOptions\":{\"seed\":7,\"length\":" + length + "},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    /** Reads chunks until done (or the response ends); asserts gap-free seq from {@code from}. */
    private static List<StreamChunk> readAll(SseReader reader, long from) {
        List<StreamChunk> chunks = new ArrayList<>();
        for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
            if (e.get().data().equals("[DONE]")) {
                break;
            }
            StreamChunk c = ChunkJson.parse(e.get().data());
            assertThat(c.seq()).isEqualTo(from + chunks.size());
            chunks.add(c);
        }
        return chunks;
    }

    private static String text(List<StreamChunk> chunks) {
        StringBuilder sb = new StringBuilder();
        chunks.stream()
                .filter(ContentChunk.class::isInstance)
                .map(c -> ((ContentChunk) c).delta())
                .forEach(sb::append);
        return sb.toString();
    }

    @Test
    void aStreamStartedOnOneNodeIsResumedOnAnotherWithEveryChunkOnce() throws Exception {
        RawHttp start = RawHttp.postJson(port(1), "/v1/stream", lorem(true, 40));
        assertThat(start.status()).isEqualTo(200);
        String id = start.header("X-Stream-Id").orElseThrow();
        SseReader first = start.sse();
        List<StreamChunk> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SseEvent e = first.next().orElseThrow();
            got.add(ChunkJson.parse(e.data()));
        }
        start.close();
        long last = got.getLast().seq();
        RawHttp resumed =
                RawHttp.request(port(2), "GET", "/v1/streams/" + id, Map.of("Last-Event-ID", "" + last), null);
        assertThat(resumed.status()).isEqualTo(200);
        got.addAll(readAll(resumed.sse(), last + 1));
        assertThat(got.getLast()).isInstanceOf(DoneChunk.class);
        assertThat(((DoneChunk) got.getLast()).finishReason()).isEqualTo(FinishReason.STOP);

        // the whole stream again from a third node, from the start
        RawHttp replay = RawHttp.request(port(3), "GET", "/v1/streams/" + id, Map.of(), null);
        assertThat(replay.status()).isEqualTo(200);
        List<StreamChunk> all = readAll(replay.sse(), 0);
        assertThat(all).hasSameSizeAs(got);
        assertThat(text(all)).isEqualTo(text(got)).isNotEmpty();
    }

    @Test
    void deleteOnAThirdNodeStopsTheProducerAndEveryFollowerOnEveryNodeGetsAborted() throws Exception {
        RawHttp start = RawHttp.postJson(port(1), "/v1/stream", lorem(true, 4000));
        String id = start.header("X-Stream-Id").orElseThrow();
        SseReader producerSide = start.sse();
        producerSide.next().orElseThrow();
        RawHttp f2 = RawHttp.request(port(2), "GET", "/v1/streams/" + id, Map.of(), null);
        RawHttp f3 = RawHttp.request(port(3), "GET", "/v1/streams/" + id, Map.of(), null);
        SseReader r2 = f2.sse();
        SseReader r3 = f3.sse();
        r2.next().orElseThrow();
        r3.next().orElseThrow();

        RawHttp delete = RawHttp.request(port(3), "DELETE", "/v1/streams/" + id, Map.of(), null);
        assertThat(delete.status()).isEqualTo(200);
        assertThat(new String(delete.body().readAllBytes(), StandardCharsets.UTF_8))
                .contains("\"aborted\":true");

        for (SseReader r : List.of(producerSide, r2, r3)) {
            List<StreamChunk> rest = new ArrayList<>();
            for (Optional<SseEvent> e = r.next();
                    e.isPresent() && !e.get().data().equals("[DONE]");
                    e = r.next()) {
                rest.add(ChunkJson.parse(e.get().data()));
            }
            assertThat(rest.getLast()).isInstanceOf(DoneChunk.class);
            assertThat(((DoneChunk) rest.getLast()).finishReason()).isEqualTo(FinishReason.ABORTED);
        }
        RawHttp again = RawHttp.request(port(2), "DELETE", "/v1/streams/" + id, Map.of(), null);
        assertThat(new String(again.body().readAllBytes(), StandardCharsets.UTF_8))
                .contains("\"aborted\":false");
    }

    @Test
    void aNonResumableStreamOnAnotherNodeIsAbortableAndAnswers409ToAResume() throws Exception {
        RawHttp start = RawHttp.postJson(port(1), "/v1/stream", lorem(false, 4000));
        String id = start.header("X-Stream-Id").orElseThrow();
        SseReader reader = start.sse();
        reader.next().orElseThrow();
        // announced off the request's thread: wait until another node knows it
        int status = org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> {
                            try (RawHttp r = RawHttp.request(port(2), "GET", "/v1/streams/" + id, Map.of(), null)) {
                                return r.status();
                            }
                        },
                        st -> st != 404);
        assertThat(status).isEqualTo(409);
        RawHttp delete = RawHttp.request(port(2), "DELETE", "/v1/streams/" + id, Map.of(), null);
        assertThat(delete.status()).isEqualTo(200);
        List<StreamChunk> rest = readAll(reader, 1);
        assertThat(((DoneChunk) rest.getLast()).finishReason()).isEqualTo(FinishReason.ABORTED);
    }

    @Test
    void theLimitPerKeyCountsEveryNodesStreams() throws Exception {
        List<RawHttp> open = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            RawHttp s = RawHttp.postJson(port(1 + i % 3), "/v1/stream", lorem(true, 4000));
            assertThat(s.status()).isEqualTo(200);
            open.add(s);
        }
        RawHttp refused = RawHttp.postJson(port(3), "/v1/stream", lorem(false, 10));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(new String(refused.body().readAllBytes(), StandardCharsets.UTF_8))
                .contains("too_many_streams")
                .contains("over all gateway nodes");
        for (RawHttp s : open) {
            String id = s.header("X-Stream-Id").orElseThrow();
            RawHttp.request(port(2), "DELETE", "/v1/streams/" + id, Map.of(), null)
                    .status();
        }
    }

    private static String uiChat(String chatId, int length) {
        return "{\"id\":\"" + chatId + "\",\"messages\":[{\"id\":\"u1\",\"role\":\"user\",\"parts\":"
                + "[{\"type\":\"text\",\"text\":\"hi\"}]}],\"trigger\":\"submit-message\","
                + "\"model\":\"simulated/lorem\",\"providerOptions\":{\"seed\":3,\"length\":" + length + "}}";
    }

    private static List<String> uiEvents(SseReader reader) {
        List<String> data = new ArrayList<>();
        for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
            data.add(e.get().data());
            if (e.get().data().equals("[DONE]")) {
                break;
            }
        }
        return data;
    }

    @Test
    void aUseChatStreamIsResumedAndSupersededOnOtherNodes() throws Exception {
        RawHttp first = RawHttp.postJson(port(1), "/v1/ui/chat", uiChat("chat-1", 4000));
        assertThat(first.status()).isEqualTo(200);
        SseReader firstReader = first.sse();
        firstReader.next().orElseThrow();
        // the chat's resume route, on another node, replays the same message from its start
        RawHttp resumed = RawHttp.request(port(2), "GET", "/v1/ui/chat/chat-1/stream", Map.of(), null);
        assertThat(resumed.status()).isEqualTo(200);
        SseReader resumedReader = resumed.sse();
        assertThat(resumedReader.next().orElseThrow().data()).contains("\"type\":\"start\"");
        // a new message in the chat, sent to a third node, aborts the chat's earlier stream on node 1
        RawHttp second = RawHttp.postJson(port(3), "/v1/ui/chat", uiChat("chat-1", 5));
        assertThat(second.status()).isEqualTo(200);
        List<String> rest = uiEvents(firstReader);
        assertThat(rest).last().isEqualTo("[DONE]");
        assertThat(String.join("\n", rest)).contains("\"type\":\"abort\"");
        assertThat(uiEvents(second.sse())).last().isEqualTo("[DONE]");
        // the chat now points at the second stream, wherever it is asked
        RawHttp afterwards = RawHttp.request(port(1), "DELETE", "/v1/ui/chat/chat-1/stream", Map.of(), null);
        assertThat(afterwards.status()).isIn(200, 204);
    }

    @Test
    void aWebSocketResumesAndAbortsAStreamOfAnotherNode() throws Exception {
        RawHttp start = RawHttp.postJson(port(1), "/v1/stream", lorem(true, 4000));
        String id = start.header("X-Stream-Id").orElseThrow();
        start.sse().next().orElseThrow();
        start.close();
        try (WsClient ws = WsClient.connect(port(2))) {
            ws.send("{\"type\":\"resume\",\"stream\":\"" + id + "\",\"after\":0}");
            var first = ws.next();
            assertThat(first.get("seq").asLong()).isEqualTo(1);
            ws.send("{\"type\":\"abort\",\"stream\":\"" + id + "\"}");
            var done = ws.until(m -> WsClient.isDone(m, id)).getLast();
            assertThat(done.get("finishReason").asString()).isEqualTo("aborted");
        }
    }

    @Test
    void aNodeThatStopsHandsItsStreamOverAndTheClientGetsOneContinuousAnswerElsewhere() throws Exception {
        // the undisturbed answer, from start to done, on node 3
        RawHttp whole = RawHttp.postJson(port(3), "/v1/stream", lorem(false, 120));
        List<StreamChunk> undisturbed = readAll(whole.sse(), 0);
        assertThat(text(undisturbed)).isNotEmpty();

        RawHttp start = RawHttp.postJson(port(1), "/v1/stream", lorem(true, 120));
        String id = start.header("X-Stream-Id").orElseThrow();
        SseReader reader = start.sse();
        List<StreamChunk> got = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            got.add(ChunkJson.parse(reader.next().orElseThrow().data()));
        }
        nodes.get(0).close(); // a graceful stop: its running stream is handed over, not aborted
        long last = got.getLast().seq();
        RawHttp resumed =
                RawHttp.request(port(2), "GET", "/v1/streams/" + id, Map.of("Last-Event-ID", "" + last), null);
        assertThat(resumed.status()).isEqualTo(200);
        got.addAll(readAll(resumed.sse(), last + 1));

        DoneChunk done = (DoneChunk) got.getLast();
        assertThat(done.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(done.recovered()).isTrue();
        assertThat(text(got)).isEqualTo(text(undisturbed));
        // every chunk once: a replay from the start on node 3 is the same sequence
        List<StreamChunk> replay = readAll(
                RawHttp.request(port(3), "GET", "/v1/streams/" + id, Map.of(), null)
                        .sse(),
                0);
        assertThat(replay).hasSameSizeAs(got);
        assertThat(text(replay)).isEqualTo(text(undisturbed));
    }

    @Test
    void behindARoundRobinProxyEveryRequestOfAStreamMayLandOnAnotherNode() throws Exception {
        NginxProxy.assumeAvailable();
        try (NginxProxy proxy = NginxProxy.start(port(1), port(2), port(3))) {
            RawHttp start = RawHttp.postJson(proxy.port(), "/v1/stream", lorem(true, 4000));
            assertThat(start.status()).isEqualTo(200);
            String id = start.header("X-Stream-Id").orElseThrow();
            SseReader reader = start.sse();
            List<StreamChunk> got = new ArrayList<>();
            got.add(ChunkJson.parse(reader.next().orElseThrow().data()));
            start.close();
            // the next two requests go to the two other nodes: a resume, then a DELETE
            RawHttp resumed = RawHttp.request(
                    proxy.port(),
                    "GET",
                    "/v1/streams/" + id,
                    Map.of("Last-Event-ID", "" + got.getLast().seq()),
                    null);
            assertThat(resumed.status()).isEqualTo(200);
            SseReader resumedReader = resumed.sse();
            got.add(ChunkJson.parse(resumedReader.next().orElseThrow().data()));
            RawHttp delete = RawHttp.request(proxy.port(), "DELETE", "/v1/streams/" + id, Map.of(), null);
            assertThat(delete.status()).isEqualTo(200);
            got.addAll(readAll(resumedReader, got.getLast().seq() + 1));
            assertThat(((DoneChunk) got.getLast()).finishReason()).isEqualTo(FinishReason.ABORTED);
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).seq()).isEqualTo(i);
            }
            // three requests, three different nodes (nginx logs a request when its response has ended)
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> proxy.accessLog()
                                    .lines()
                                    .filter(l -> l.contains(id))
                                    .count()
                            == 2);
            assertThat(proxy.accessLog()
                            .lines()
                            .filter(l -> l.contains(id))
                            .map(l -> l.replaceAll(".*upstream=(\\S+).*", "$1"))
                            .distinct())
                    .hasSize(2); // the POST carries no id in its path: its node is the third
            assertThat(proxy.accessLog()
                            .lines()
                            .map(l -> l.replaceAll(".*upstream=(\\S+).*", "$1"))
                            .distinct())
                    .hasSize(3);
        }
    }

    @Test
    void healthNamesTheNode() throws Exception {
        RawHttp health = RawHttp.request(port(2), "GET", "/health", Map.of(), null);
        assertThat(new String(health.body().readAllBytes(), StandardCharsets.UTF_8))
                .contains("\"nodeId\":\"node-2\"")
                .contains("\"cluster\":\"redis\"");
    }
}
