package io.aistream.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.provider.simulated.SimulatedProvider;
import io.aistream.server.config.ServerConfig;
import io.aistream.server.config.WebSocketConfig;
import io.aistream.testing.WsClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/** {@code /v1/ws} on WebFlux (Spring's reactive WebSocket on Reactor Netty), with a JDK client. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebSocketTest {
    private static final String ECHO = "{\"provider\":\"simulated\",\"model\":\"echo\","
            + "\"providerOptions\":{\"tokensPerSecond\":0},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello there, socket\"}]}";
    private static final String STALLING = "{\"provider\":\"simulated\",\"model\":\"lorem\","
            + "\"providerOptions\":{\"seed\":" + NativeStreamTest.SEED + ",\"length\":40,\"tokensPerSecond\":0,"
            + "\"stallAfter\":2},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static ServerConfig config(WebSocketConfig ws) {
        return ServerConfig.builder()
                .port(0)
                .provider(new SimulatedProvider())
                .webSocket(ws)
                .build();
    }

    private static List<String> deltas(List<JsonNode> messages) {
        return messages.stream()
                .filter(m -> "content".equals(m.path("type").asString("")))
                .map(m -> m.get("delta").asString())
                .toList();
    }

    @Test
    void aStreamStartsSendsItsChunksAndEnds() throws Exception {
        try (WebFluxServer server = WebFluxServer.start(config(WebSocketConfig.defaults()));
                WsClient ws = WsClient.connect(server.port())) {
            ws.start("a", ECHO);
            List<JsonNode> got = ws.untilDone("a");
            assertThat(String.join("", deltas(got))).isEqualTo("Hello there, socket");
            assertThat(got.getLast().get("finishReason").asString()).isEqualTo("stop");
            // the socket goes on: a second stream on it
            ws.start("b", ECHO);
            assertThat(String.join("", deltas(ws.untilDone("b")))).isEqualTo("Hello there, socket");
            assertThat(ws.isClosed()).isFalse();
        }
    }

    @Test
    void abortEndsAStreamAborted() throws Exception {
        try (WebFluxServer server = WebFluxServer.start(config(WebSocketConfig.defaults()));
                WsClient ws = WsClient.connect(server.port())) {
            ws.start("a", STALLING);
            List<JsonNode> first = ws.until(m -> "content".equals(m.path("type").asString("")));
            assertThat(deltas(first)).isNotEmpty();
            ws.send("{\"type\":\"abort\",\"stream\":\"a\"}");
            JsonNode done = ws.untilDone("a").getLast();
            assertThat(done.get("finishReason").asString()).isEqualTo("aborted");
        }
    }

    @Test
    void aMessageOverTheLimitIsATypedErrorThenClose1009() throws Exception {
        try (WebFluxServer server =
                        WebFluxServer.start(config(WebSocketConfig.defaults().withMaxMessageBytes(1024)));
                WsClient ws = WsClient.connect(server.port())) {
            ws.send("{\"type\":\"start\",\"stream\":\"a\",\"request\":{\"provider\":\"simulated\",\"messages\":"
                    + "[{\"role\":\"user\",\"content\":\"" + "x".repeat(2000) + "\"}]}}");
            JsonNode error = ws.next();
            assertThat(error.at("/error/code").asString()).isEqualTo("message_too_large");
            assertThat(error.at("/error/message").asString()).contains("1024 bytes");
            assertThat(ws.awaitClose()).isEqualTo(new WsClient.Close(1009, "message_too_large"));
        }
    }

    /** Pieces of one message (continuation frames), each small, together over the limit; 2-byte characters. */
    @Test
    void aFragmentedMessageOverTheLimitIsATypedErrorThenClose1009() throws Exception {
        try (WebFluxServer server =
                        WebFluxServer.start(config(WebSocketConfig.defaults().withMaxMessageBytes(1024)));
                WsClient ws = WsClient.connect(server.port())) {
            String ok = "{\"type\":\"abort\",\"stream\":\"" + "é".repeat(480) + "\"}";
            ws.sendPiece(ok.substring(0, 300), false);
            ws.sendPiece(ok.substring(300), true);
            assertThat(ws.next().at("/error/code").asString()).isEqualTo("invalid_stream_name");
            for (int i = 0; i < 6; i++) {
                ws.sendPiece("é".repeat(100), false);
            }
            assertThat(ws.next().at("/error/code").asString()).isEqualTo("message_too_large");
            assertThat(ws.awaitClose()).isEqualTo(new WsClient.Close(1009, "message_too_large"));
        }
    }

    /** A frame over the server's own frame limit: Reactor Netty refuses it; the socket closes with 1009. */
    @Test
    void aFrameOverTheServersLimitCloses1009() throws Exception {
        try (WebFluxServer server =
                        WebFluxServer.start(config(WebSocketConfig.defaults().withMaxMessageBytes(1024)));
                WsClient ws = WsClient.connect(server.port())) {
            // the server may close while the client still writes the frame: the send may fail, the close counts
            ws.socket().sendText("x".repeat(70_000), true).exceptionally(failure -> null);
            assertThat(ws.awaitClose().code()).isEqualTo(1009);
        }
    }

    @Test
    void binaryIsAnErrorThenClose1003() throws Exception {
        try (WebFluxServer server = WebFluxServer.start(config(WebSocketConfig.defaults()));
                WsClient ws = WsClient.connect(server.port())) {
            ws.sendBinary(new byte[] {1, 2, 3});
            assertThat(ws.next().at("/error/code").asString()).isEqualTo("binary_not_supported");
            assertThat(ws.awaitClose().code()).isEqualTo(1003);
        }
    }
}
