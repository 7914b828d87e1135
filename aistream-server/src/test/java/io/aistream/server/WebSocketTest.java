package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.server.config.WebSocketConfig;
import io.aistream.testing.ControlledSource;
import io.aistream.testing.WsClient;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

@Timeout(30)
class WebSocketTest {
    private static final String TEST_REQUEST =
            "{\"provider\":\"test\",\"model\":\"script\"," + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String RESUMABLE_REQUEST = "{\"provider\":\"test\",\"model\":\"script\",\"resumable\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static List<JsonNode> of(List<JsonNode> messages, String stream) {
        return messages.stream()
                .filter(m -> stream.equals(m.path("stream").asString("")))
                .toList();
    }

    private static List<String> deltas(List<JsonNode> messages) {
        return messages.stream()
                .filter(m -> "content".equals(m.path("type").asString("")))
                .map(m -> m.get("delta").asString())
                .toList();
    }

    private static List<Long> seqs(List<JsonNode> messages) {
        return messages.stream()
                .filter(m -> m.has("seq"))
                .map(m -> m.get("seq").asLong())
                .toList();
    }

    @Test
    void threeInterleavedStreamsOnOneSocketKeepTheirOrderAndContent() throws Exception {
        try (TestGateway gateway = TestGateway.start();
                WsClient ws = WsClient.connect(gateway.port())) {
            List<ControlledSource> sources = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                ws.start(name, TEST_REQUEST);
                sources.add(gateway.provider.nextSource());
            }
            List<JsonNode> received = new ArrayList<>();
            // round-robin, each chunk received before the next is emitted: the socket carries them interleaved
            for (int i = 0; i < 4; i++) {
                for (int s = 0; s < 3; s++) {
                    String name = List.of("a", "b", "c").get(s);
                    sources.get(s).emit(ContentChunk.of(name + i));
                    JsonNode m = ws.next();
                    assertThat(m.get("stream").asString()).isEqualTo(name);
                    received.add(m);
                }
            }
            sources.forEach(s -> s.emit(DoneChunk.of(FinishReason.STOP)));
            for (int s = 0; s < 3; s++) {
                received.add(ws.next());
            }
            for (String name : List.of("a", "b", "c")) {
                List<JsonNode> mine = of(received, name);
                assertThat(deltas(mine)).containsExactly(name + 0, name + 1, name + 2, name + 3);
                assertThat(seqs(mine)).containsExactly(0L, 1L, 2L, 3L, 4L);
                assertThat(mine.getLast().get("type").asString()).isEqualTo("done");
                assertThat(mine.getLast().get("finishReason").asString()).isEqualTo("stop");
                assertThat(mine)
                        .extracting(m -> m.get("id").asString())
                        .allMatch(id -> id.startsWith("st_"))
                        .containsOnly(mine.getFirst().get("id").asString());
            }
            assertThat(received.stream().map(m -> m.get("id").asString()).distinct())
                    .hasSize(3);
            // the tag comes first, then the chunk exactly as the SSE endpoint writes it
            assertThat(WsClient.JSON.writeValueAsString(received.getFirst()))
                    .startsWith("{\"stream\":\"a\",\"id\":\"st_")
                    .contains("\"seq\":0,\"type\":\"content\",\"delta\":\"a0\"");
        }
    }

    @Test
    void abortStopsOneStreamAndCancelsItsUpstreamOnly() throws Exception {
        try (TestGateway gateway = TestGateway.start();
                WsClient ws = WsClient.connect(gateway.port())) {
            ws.start("a", TEST_REQUEST);
            var a = gateway.provider.nextSource();
            ws.start("b", TEST_REQUEST);
            var b = gateway.provider.nextSource();
            a.emit(ContentChunk.of("a0"));
            b.emit(ContentChunk.of("b0"));
            List<JsonNode> received = new ArrayList<>(List.of(ws.next(), ws.next()));

            ws.send("{\"type\":\"abort\",\"stream\":\"a\"}");
            a.awaitCancel();
            received.addAll(ws.untilDone("a"));
            JsonNode done = of(received, "a").getLast();
            assertThat(done.get("type").asString()).isEqualTo("done");
            assertThat(done.get("finishReason").asString()).isEqualTo("aborted");

            b.emit(ContentChunk.of("b1"), DoneChunk.of(FinishReason.STOP));
            received.addAll(ws.untilDone("b"));
            assertThat(b.isCancelled()).isFalse();
            assertThat(deltas(of(received, "b"))).containsExactly("b0", "b1");
            assertThat(of(received, "b").getLast().get("finishReason").asString())
                    .isEqualTo("stop");

            // aborting a finished stream is quietly nothing; a name never seen is an error
            ws.send("{\"type\":\"abort\",\"stream\":\"zzz\"}");
            JsonNode error = ws.next();
            assertThat(error.get("type").asString()).isEqualTo("error");
            assertThat(error.get("stream").asString()).isEqualTo("zzz");
            assertThat(error.at("/error/code").asString()).isEqualTo("unknown_stream");
        }
    }

    @Test
    void resumeOnANewSocketGivesExactlyTheMissingChunks() throws Exception {
        try (TestGateway gateway = TestGateway.start()) {
            WsClient first = WsClient.connect(gateway.port());
            first.start("a", RESUMABLE_REQUEST);
            var source = gateway.provider.nextSource();
            for (int i = 0; i < 5; i++) {
                source.emit(ContentChunk.of("t" + i));
            }
            List<JsonNode> kept = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                kept.add(first.next()); // the client keeps 0..2; 3 and 4 are lost with the socket
            }
            first.abort();
            // a resumable stream keeps generating without its socket
            for (int i = 5; i < 8; i++) {
                source.emit(ContentChunk.of("t" + i));
            }
            assertThat(source.isCancelled()).isFalse();

            try (WsClient second = WsClient.connect(gateway.port())) {
                second.send("{\"type\":\"resume\",\"stream\":\"a\",\"after\":"
                        + kept.getLast().get("seq").asLong() + "}");
                List<JsonNode> more = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    more.add(second.next());
                }
                source.emit(DoneChunk.of(FinishReason.STOP));
                more.addAll(second.untilDone("a"));
                kept.addAll(more);
                assertThat(seqs(kept)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
                assertThat(deltas(kept)).containsExactly("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7");
                assertThat(kept).allMatch(m -> m.get("stream").asString().equals("a"));

                // the server stream id works too (the name the messages then carry)
                String id = kept.getFirst().get("id").asString();
                second.send("{\"type\":\"resume\",\"stream\":\"" + id + "\",\"after\":6}");
                List<JsonNode> tail = second.untilDone(id);
                assertThat(seqs(tail)).containsExactly(7L, 8L);
                assertThat(second.drain()).isEmpty();
            }
        }
    }

    @Test
    void resumeErrorsAreTyped() throws Exception {
        try (TestGateway gateway = TestGateway.start();
                WsClient ws = WsClient.connect(gateway.port())) {
            ws.send("{\"type\":\"resume\",\"stream\":\"nope\",\"after\":3}");
            JsonNode unknown = ws.next();
            assertThat(unknown.at("/error/code").asString()).isEqualTo("unknown_stream");
            assertThat(unknown.get("stream").asString()).isEqualTo("nope");

            ws.start("plain", TEST_REQUEST);
            var source = gateway.provider.nextSource();
            source.emit(ContentChunk.of("x"));
            String id = ws.next().get("id").asString();
            try (WsClient other = WsClient.connect(gateway.port())) {
                other.send("{\"type\":\"resume\",\"stream\":\"" + id + "\"}");
                assertThat(other.next().at("/error/code").asString()).isEqualTo("not_resumable");
            }
            source.emit(DoneChunk.of(FinishReason.STOP));
            ws.untilDone("plain");
        }
    }

    @Test
    void badJsonIsAnErrorThenClose1003() throws Exception {
        try (TestGateway gateway = TestGateway.start();
                WsClient ws = WsClient.connect(gateway.port())) {
            ws.send("{not json");
            JsonNode error = ws.next();
            assertThat(error.get("type").asString()).isEqualTo("error");
            assertThat(error.get("stream").isNull()).isTrue();
            assertThat(error.at("/error/code").asString()).isEqualTo("invalid_json");
            assertThat(ws.awaitClose()).isEqualTo(new WsClient.Close(1003, "invalid_json"));
        }
    }

    @Test
    void binaryMessageIsAnErrorThenClose1003() throws Exception {
        try (TestGateway gateway = TestGateway.start();
                WsClient ws = WsClient.connect(gateway.port())) {
            ws.sendBinary(new byte[] {1, 2, 3});
            assertThat(ws.next().at("/error/code").asString()).isEqualTo("binary_not_supported");
            assertThat(ws.awaitClose().code()).isEqualTo(1003);
        }
    }

    @Test
    void unknownTypeAndBadRequestsAreErrorsAndTheSocketStaysOpen() throws Exception {
        try (TestGateway gateway = TestGateway.start();
                WsClient ws = WsClient.connect(gateway.port())) {
            ws.send("{\"type\":\"subscribe\",\"stream\":\"a\"}");
            JsonNode unknown = ws.next();
            assertThat(unknown.at("/error/code").asString()).isEqualTo("unknown_type");
            assertThat(unknown.at("/error/field").asString()).isEqualTo("type");
            assertThat(unknown.get("stream").asString()).isEqualTo("a");

            ws.send("{\"type\":\"start\",\"request\":" + TEST_REQUEST + "}");
            JsonNode noName = ws.next();
            assertThat(noName.at("/error/field").asString()).isEqualTo("stream");
            assertThat(noName.get("stream").isNull()).isTrue();

            ws.start("bad", "{\"provider\":\"test\",\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}");
            JsonNode bad = ws.next();
            assertThat(bad.at("/error/code").asString()).isEqualTo("invalid_request");
            assertThat(bad.at("/error/field").asString()).startsWith("request.messages");
            assertThat(bad.get("stream").asString()).isEqualTo("bad");

            ws.start("nowhere", "{\"provider\":\"nowhere\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            JsonNode provider = ws.next();
            assertThat(provider.at("/error/code").asString()).isEqualTo("unknown_provider");
            assertThat(provider.at("/error/status").asInt()).isEqualTo(404);

            // still open: a stream works
            ws.start("ok", TEST_REQUEST);
            gateway.provider.nextSource().emit(ContentChunk.of("fine"), DoneChunk.of(FinishReason.STOP));
            assertThat(deltas(ws.untilDone("ok"))).containsExactly("fine");
            assertThat(ws.isClosed()).isFalse();
        }
    }

    @Test
    void aDuplicateStreamNameIsRefusedAndTheFirstGoesOn() throws Exception {
        try (TestGateway gateway = TestGateway.start();
                WsClient ws = WsClient.connect(gateway.port())) {
            ws.start("a", TEST_REQUEST);
            var source = gateway.provider.nextSource();
            ws.start("a", TEST_REQUEST);
            JsonNode dup = ws.next();
            assertThat(dup.at("/error/code").asString()).isEqualTo("duplicate_stream");
            assertThat(dup.get("stream").asString()).isEqualTo("a");
            source.emit(ContentChunk.of("one"), DoneChunk.of(FinishReason.STOP));
            assertThat(deltas(ws.untilDone("a"))).containsExactly("one");
            // once ended, the name may be used again
            ws.start("a", TEST_REQUEST);
            gateway.provider.nextSource().emit(ContentChunk.of("two"), DoneChunk.of(FinishReason.STOP));
            assertThat(deltas(ws.untilDone("a"))).containsExactly("two");
        }
    }

    @Test
    void tooManyStreamsOnOneSocketIsRefused() throws Exception {
        try (TestGateway gateway = TestGateway.start(
                        b -> b.webSocket(WebSocketConfig.defaults().withMaxStreamsPerSocket(1)));
                WsClient ws = WsClient.connect(gateway.port())) {
            ws.start("a", TEST_REQUEST);
            var source = gateway.provider.nextSource();
            ws.start("b", TEST_REQUEST);
            JsonNode refused = ws.next();
            assertThat(refused.at("/error/code").asString()).isEqualTo("too_many_streams");
            assertThat(refused.get("stream").asString()).isEqualTo("b");
            source.emit(DoneChunk.of(FinishReason.STOP));
            ws.untilDone("a");
        }
    }

    @Test
    void aMessageOverTheLimitIsATypedErrorThenClose1009() throws Exception {
        try (TestGateway gateway = TestGateway.start(
                        b -> b.webSocket(WebSocketConfig.defaults().withMaxMessageBytes(1024)));
                WsClient ws = WsClient.connect(gateway.port())) {
            ws.send(
                    "{\"type\":\"start\",\"stream\":\"a\",\"request\":{\"provider\":\"test\",\"messages\":[{\"role\":\"user\","
                            + "\"content\":\"" + "x".repeat(2000) + "\"}]}}");
            JsonNode error = ws.next();
            assertThat(error.at("/error/code").asString()).isEqualTo("message_too_large");
            assertThat(error.at("/error/message").asString()).contains("1024 bytes");
            assertThat(error.get("stream").isNull()).isTrue();
            assertThat(ws.awaitClose()).isEqualTo(new WsClient.Close(1009, "message_too_large"));
        }
    }

    /** The limit counts a fragmented message's pieces together, in UTF-8 bytes; each piece alone is small. */
    @Test
    void aFragmentedMessageOverTheLimitIsATypedErrorThenClose1009() throws Exception {
        try (TestGateway gateway = TestGateway.start(
                        b -> b.webSocket(WebSocketConfig.defaults().withMaxMessageBytes(1024)));
                WsClient ws = WsClient.connect(gateway.port())) {
            // a message just under the limit, in pieces, is served
            String ok = "{\"type\":\"abort\",\"stream\":\"" + "é".repeat(480) + "\"}";
            ws.sendPiece(ok.substring(0, 300), false);
            ws.sendPiece(ok.substring(300), true);
            // (the name is too long, 480 chars > 256: refused, but read whole and parsed)
            assertThat(ws.next().at("/error/code").asString()).isEqualTo("invalid_stream_name");
            // 2-byte characters: 600 chars are 1,200 bytes, past the 1,024-byte limit
            for (int i = 0; i < 6; i++) {
                ws.sendPiece("é".repeat(100), false);
            }
            JsonNode error = ws.next();
            assertThat(error.at("/error/code").asString()).isEqualTo("message_too_large");
            assertThat(ws.awaitClose()).isEqualTo(new WsClient.Close(1009, "message_too_large"));
        }
    }

    @Test
    void aStreamNameWithAControlCharacterIsRefusedByName() throws Exception {
        try (TestGateway gateway = TestGateway.start();
                WsClient ws = WsClient.connect(gateway.port())) {
            ws.send("{\"type\":\"start\",\"stream\":\"a\\u0000\",\"request\":" + TEST_REQUEST + "}");
            JsonNode error = ws.next();
            assertThat(error.at("/error/code").asString()).isEqualTo("invalid_stream_name");
            assertThat(error.at("/error/field").asString()).isEqualTo("stream");
            assertThat(error.at("/error/message").asString())
                    .contains("control characters")
                    .contains("U+0000");
            assertThat(error.get("stream").isNull()).isTrue();
            // nothing was started, and the socket stays open
            ws.start("ok", TEST_REQUEST);
            gateway.provider.nextSource().emit(ContentChunk.of("fine"), DoneChunk.of(FinishReason.STOP));
            assertThat(deltas(ws.untilDone("ok"))).containsExactly("fine");
        }
    }

    /** A resume position past the last seq is the client's error, typed, for live and finished streams. */
    @Test
    void resumeAfterTheLastSeqIsATypedErrorNotASilentDone() throws Exception {
        try (TestGateway gateway = TestGateway.start();
                WsClient ws = WsClient.connect(gateway.port())) {
            ws.start("a", RESUMABLE_REQUEST);
            var source = gateway.provider.nextSource();
            source.emit(ContentChunk.of("x"), ContentChunk.of("y")); // seqs 0, 1
            ws.next();
            ws.next();
            try (WsClient other = WsClient.connect(gateway.port())) {
                other.send("{\"type\":\"resume\",\"stream\":\"a\",\"after\":2}");
                JsonNode live = other.next();
                assertThat(live.at("/error/code").asString()).isEqualTo("invalid_position");
                assertThat(live.at("/error/field").asString()).isEqualTo("after");
                assertThat(live.at("/error/status").asInt()).isEqualTo(400);
                assertThat(live.at("/error/message").asString())
                        .isEqualTo("after 2 is past the last chunk of stream a: its last seq is 1 so far");
                assertThat(live.get("stream").asString()).isEqualTo("a");

                source.emit(DoneChunk.of(FinishReason.STOP)); // seq 2
                ws.untilDone("a");
                other.send("{\"type\":\"resume\",\"stream\":\"a\",\"after\":9223372036854775807}");
                JsonNode finished = other.next();
                assertThat(finished.at("/error/code").asString()).isEqualTo("invalid_position");
                assertThat(finished.at("/error/message").asString())
                        .isEqualTo("after 9223372036854775807 is past the last chunk of stream a: its last seq is 2"
                                + " (its done)");
                // the done's own seq is a valid position: nothing more to send but the end
                other.send("{\"type\":\"resume\",\"stream\":\"a\",\"after\":1}");
                assertThat(seqs(other.untilDone("a"))).containsExactly(2L);
                assertThat(other.drain()).isEmpty();
            }
        }
    }

    @Test
    void upgradeNeedsAKeyInTheHeaderTheQueryOrTheSubProtocol() throws Exception {
        try (TestGateway gateway = TestGateway.start(b -> b.apiKeys(List.of("k1-0123456789abcdef")))) {
            assertThatThrownBy(() -> WsClient.connect(gateway.port()))
                    .isInstanceOfSatisfying(
                            WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
            assertThatThrownBy(() -> WsClient.connect(gateway.port(), "?access_token=wrong", Map.of()))
                    .isInstanceOfSatisfying(
                            WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
            // bearer.<key> alone would make the server echo the key: refused
            assertThatThrownBy(() -> WsClient.connect(
                            gateway.port(), "", Map.of("Sec-WebSocket-Protocol", "bearer.k1-0123456789abcdef")))
                    .isInstanceOfSatisfying(
                            WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(400));

            for (WsClient ws : List.of(
                    WsClient.connect(gateway.port(), "", Map.of("Authorization", "Bearer k1-0123456789abcdef")),
                    WsClient.connect(gateway.port(), "?access_token=k1-0123456789abcdef", Map.of()),
                    WsClient.connect(
                            gateway.port(),
                            "",
                            Map.of("Sec-WebSocket-Protocol", "aistream.v1, bearer.k1-0123456789abcdef")))) {
                try (ws) {
                    ws.start("a", TEST_REQUEST);
                    gateway.provider.nextSource().emit(ContentChunk.of("ok"), DoneChunk.of(FinishReason.STOP));
                    assertThat(deltas(ws.untilDone("a"))).containsExactly("ok");
                }
            }
            try (WsClient ws = WsClient.connect(
                    gateway.port(), "", Map.of("Sec-WebSocket-Protocol", "aistream.v1, bearer.k1-0123456789abcdef"))) {
                assertThat(ws.socket().getSubprotocol()).isEqualTo("aistream.v1");
            }
        }
    }

    @Test
    void upgradeFromAnOriginNotAllowedIs403() throws Exception {
        try (TestGateway gateway = TestGateway.start(b -> b.corsOrigins(List.of("https://app.example")))) {
            assertThatThrownBy(() -> WsClient.connect(gateway.port(), "", Map.of("Origin", "https://evil.example")))
                    .isInstanceOfSatisfying(
                            WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
            try (WsClient ws = WsClient.connect(gateway.port(), "", Map.of("Origin", "https://app.example"))) {
                ws.start("a", TEST_REQUEST);
                gateway.provider.nextSource().emit(DoneChunk.of(FinishReason.STOP));
                ws.untilDone("a");
            }
        }
    }

    /** The abort only has to happen: its latency is not asserted (a wall-clock window is flaky under load). */
    @Test
    void closingTheSocketAbortsNonResumableStreamsAndKeepsResumableOnes() throws Exception {
        try (TestGateway gateway = TestGateway.start()) {
            for (int run = 0; run < 5; run++) {
                WsClient ws = WsClient.connect(gateway.port());
                ws.start("plain", TEST_REQUEST);
                var plain = gateway.provider.nextSource();
                ws.start("kept", RESUMABLE_REQUEST);
                var kept = gateway.provider.nextSource();
                plain.emit(ContentChunk.of("p"));
                kept.emit(ContentChunk.of("k"));
                ws.next();
                ws.next();
                if (run % 2 == 0) {
                    ws.abort();
                } else {
                    ws.close();
                }
                plain.awaitCancel();
                kept.emit(ContentChunk.of("k2"));
                assertThat(kept.isCancelled()).isFalse();
                kept.emit(DoneChunk.of(FinishReason.STOP));
            }
        }
    }
}
