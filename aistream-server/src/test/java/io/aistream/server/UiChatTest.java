package io.aistream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.chunk.Usage;
import io.aistream.json.Jackson;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseReader;
import io.aistream.testing.RawHttp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /v1/ui/chat} and its resume/stop routes, over real sockets. */
@Timeout(30)
class UiChatTest {
    private static final JsonMapper JSON = Jackson.mapper();

    private static String userMessage(String text) {
        return "{\"id\":\"u1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"" + text + "\"}]}";
    }

    private static RawHttp post(TestGateway g, String chatId, String gatewayFields, String text) throws IOException {
        String id = chatId == null ? "" : "\"id\":\"" + chatId + "\",";
        return RawHttp.postJson(
                g.port(),
                "/v1/ui/chat",
                "{" + id + "\"messages\":[" + userMessage(text) + "]," + "\"trigger\":\"submit-message\","
                        + gatewayFields + "}");
    }

    /** Reads UI chunks until {@code [DONE]} (included as the text "[DONE]") or the end. */
    private static List<String> readAll(RawHttp http) {
        return read(http.sse(), Integer.MAX_VALUE);
    }

    private static List<String> read(SseReader reader, int count) {
        List<String> data = new ArrayList<>();
        while (data.size() < count) {
            Optional<SseEvent> e = reader.next();
            if (e.isEmpty()) {
                break;
            }
            assertThat(e.get().lastEventId()).isEmpty();
            assertThat(e.get().event()).isEqualTo("message");
            data.add(e.get().data());
            if (e.get().data().equals("[DONE]")) {
                break;
            }
        }
        return data;
    }

    private static void assertAcceptedByAiSdk5(List<String> data) {
        for (String d : data) {
            if (!d.equals("[DONE]")) {
                assertThat(AiSdk5ChunkSchema.violations(JSON.readTree(d))).as(d).isEmpty();
            }
        }
    }

    private static List<String> types(List<String> data) {
        return data.stream()
                .map(d -> d.equals("[DONE]") ? d : JSON.readTree(d).get("type").stringValue())
                .toList();
    }

    @Test
    void textAnswerIsTheExactChunkSequenceWithTheProtocolHeaders() throws Exception {
        try (TestGateway g = TestGateway.start();
                RawHttp http =
                        post(g, "chat-1", "\"provider\":\"simulated\",\"model\":\"echo\"", "Hello there, gateway!")) {
            assertThat(http.status()).isEqualTo(200);
            assertThat(http.header("Content-Type")).contains("text/event-stream");
            assertThat(http.header("x-vercel-ai-ui-message-stream")).contains("v1");
            assertThat(http.header("Cache-Control")).contains("no-cache");
            assertThat(http.header("X-Accel-Buffering")).contains("no");
            String id = http.header("X-Stream-Id").orElseThrow();
            List<String> data = readAll(http);
            assertThat(data)
                    .containsExactly(
                            "{\"type\":\"start\",\"messageId\":\"msg-" + id + "\",\"messageMetadata\":{\"streamId\":\""
                                    + id + "\"}}",
                            "{\"type\":\"start-step\"}",
                            "{\"type\":\"text-start\",\"id\":\"text-0\"}",
                            "{\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"Hello \"}",
                            "{\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"there, \"}",
                            "{\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"gateway!\"}",
                            "{\"type\":\"text-end\",\"id\":\"text-0\"}",
                            "{\"type\":\"finish-step\"}",
                            "{\"type\":\"finish\",\"messageMetadata\":{\"streamId\":\"" + id
                                    + "\",\"finishReason\":\"stop\","
                                    + "\"usage\":{\"inputTokens\":3,\"outputTokens\":3,\"totalTokens\":6},"
                                    + "\"provider\":\"simulated\",\"model\":\"echo\"}}",
                            "[DONE]");
            assertAcceptedByAiSdk5(data);
        }
    }

    @Test
    void theRawBytesAreDataLinesOnly() throws Exception {
        try (TestGateway g = TestGateway.start();
                RawHttp http = post(g, null, "\"model\":\"simulated/echo\",\"resumable\":false", "hi")) {
            String id = http.header("X-Stream-Id").orElseThrow();
            assertThat(http.bodyText())
                    .isEqualTo("data: {\"type\":\"start\",\"messageId\":\"msg-" + id
                            + "\",\"messageMetadata\":{\"streamId\":\"" + id + "\"}}\n\n"
                            + "data: {\"type\":\"start-step\"}\n\n"
                            + "data: {\"type\":\"text-start\",\"id\":\"text-0\"}\n\n"
                            + "data: {\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"hi\"}\n\n"
                            + "data: {\"type\":\"text-end\",\"id\":\"text-0\"}\n\n"
                            + "data: {\"type\":\"finish-step\"}\n\n"
                            + "data: {\"type\":\"finish\",\"messageMetadata\":{\"streamId\":\"" + id
                            + "\",\"finishReason\":\"stop\","
                            + "\"usage\":{\"inputTokens\":1,\"outputTokens\":1,\"totalTokens\":2},\"provider\":\"simulated\",\"model\":\"echo\"}}\n\n"
                            + "data: [DONE]\n\n");
        }
    }

    @Test
    void oneWritePerNativeChunkAndKeepAlivesOnAVirtualClock() throws Exception {
        io.aistream.stream.VirtualTimeSource clock = new io.aistream.stream.VirtualTimeSource();
        try (TestGateway g = TestGateway.start(b -> b.timeSource(clock));
                RawHttp http = post(g, "chat-k", "\"provider\":\"test\",\"model\":\"script\"", "x")) {
            String id = http.header("X-Stream-Id").orElseThrow();
            var source = g.provider.nextSource();
            assertThat(http.nextHttpChunk())
                    .isEqualTo("data: {\"type\":\"start\",\"messageId\":\"msg-" + id
                            + "\",\"messageMetadata\":{\"streamId\":\"" + id
                            + "\"}}\n\ndata: {\"type\":\"start-step\"}\n\n");
            clock.advance(java.time.Duration.ofSeconds(15));
            assertThat(http.nextHttpChunk()).isEqualTo(": keepalive\n\n");
            source.emit(ContentChunk.of("a"));
            assertThat(http.nextHttpChunk())
                    .isEqualTo("data: {\"type\":\"text-start\",\"id\":\"text-0\"}\n\n"
                            + "data: {\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"a\"}\n\n");
            source.emit(DoneChunk.of(FinishReason.STOP));
            assertThat(http.nextHttpChunk())
                    .startsWith("data: {\"type\":\"text-end\",\"id\":\"text-0\"}\n\n"
                            + "data: {\"type\":\"finish-step\"}\n\ndata: {\"type\":\"finish\",");
            assertThat(http.nextHttpChunk()).isEqualTo("data: [DONE]\n\n");
            assertThat(http.nextHttpChunk()).isNull();
        }
    }

    @Test
    void reasoningComesAsAReasoningPartBeforeTheText() throws Exception {
        try (TestGateway g = TestGateway.start();
                RawHttp http = RawHttp.postJson(
                        g.port(),
                        "/v1/ui/chat?provider=simulated&model=reasoning",
                        "{\"id\":\"c\",\"messages\":[" + userMessage("why")
                                + "],\"providerOptions\":{\"length\":6}}")) {
            List<String> data = readAll(http);
            assertAcceptedByAiSdk5(data);
            List<String> types = types(data);
            // the reasoning model: max(5, 6/3) reasoning words, then 6 answer words
            List<String> expected = new ArrayList<>(List.of("start", "start-step", "reasoning-start"));
            expected.addAll(java.util.Collections.nCopies(5, "reasoning-delta"));
            expected.addAll(List.of("reasoning-end", "text-start"));
            expected.addAll(java.util.Collections.nCopies(6, "text-delta"));
            expected.addAll(List.of("text-end", "finish-step", "finish", "[DONE]"));
            assertThat(types).containsExactlyElementsOf(expected);
            assertThat(JSON.readTree(data.get(2)).get("id").stringValue()).isEqualTo("reasoning-0");
            assertThat(JSON.readTree(data.get(3)).get("id").stringValue()).isEqualTo("reasoning-0");
            assertThat(JSON.readTree(data.get(9)).get("id").stringValue()).isEqualTo("text-1");
            assertThat(JSON.readTree(data.get(10)).get("id").stringValue()).isEqualTo("text-1");
        }
    }

    @Test
    void aToolCallStreamsItsInputAndEndsWithToolCalls() throws Exception {
        String tools = "\"tools\":[{\"name\":\"get_weather\",\"description\":\"Weather\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}]";
        try (TestGateway g = TestGateway.start();
                RawHttp http =
                        post(g, "chat-t", "\"provider\":\"simulated\",\"model\":\"tools\"," + tools, "weather?")) {
            String id = http.header("X-Stream-Id").orElseThrow();
            List<String> data = readAll(http);
            assertAcceptedByAiSdk5(data);
            assertThat(data.subList(2, data.size()))
                    .containsExactly(
                            "{\"type\":\"text-start\",\"id\":\"text-0\"}",
                            "{\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"Let \"}",
                            "{\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"me \"}",
                            "{\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"call \"}",
                            "{\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"get_weather. \"}",
                            "{\"type\":\"text-end\",\"id\":\"text-0\"}",
                            "{\"type\":\"tool-input-start\",\"toolCallId\":\"call_sim_1\",\"toolName\":\"get_weather\"}",
                            "{\"type\":\"tool-input-delta\",\"toolCallId\":\"call_sim_1\",\"inputTextDelta\":\"{\\\"city\\\":\"}",
                            "{\"type\":\"tool-input-delta\",\"toolCallId\":\"call_sim_1\",\"inputTextDelta\":\"\\\"Paris\\\"}\"}",
                            "{\"type\":\"tool-input-available\",\"toolCallId\":\"call_sim_1\",\"toolName\":\"get_weather\","
                                    + "\"input\":{\"city\":\"Paris\"}}",
                            "{\"type\":\"finish-step\"}",
                            "{\"type\":\"finish\",\"messageMetadata\":{\"streamId\":\"" + id
                                    + "\",\"finishReason\":\"tool_calls\","
                                    + "\"usage\":{\"inputTokens\":1,\"outputTokens\":7,\"totalTokens\":8},"
                                    + "\"provider\":\"simulated\",\"model\":\"tools\"}}",
                            "[DONE]");
        }
    }

    @Test
    void aToolResultFromTheClientGoesBackAsHistory() throws Exception {
        // the follow-up request useChat sends after addToolResult: the assistant message with the tool part
        String assistant = "{\"id\":\"msg-a\",\"role\":\"assistant\",\"parts\":[{\"type\":\"step-start\"},"
                + "{\"type\":\"text\",\"text\":\"Let me call get_weather. \",\"state\":\"done\"},"
                + "{\"type\":\"tool-get_weather\",\"toolCallId\":\"call_sim_1\",\"state\":\"output-available\","
                + "\"input\":{\"city\":\"Paris\"},\"output\":{\"temp\":21}}]}";
        try (TestGateway g = TestGateway.start();
                RawHttp http = RawHttp.postJson(
                        g.port(),
                        "/v1/ui/chat",
                        "{\"id\":\"c\",\"messages\":[" + userMessage("weather in Paris") + "," + assistant + "],"
                                + "\"trigger\":\"submit-message\",\"messageId\":\"msg-a\",\"provider\":\"simulated\",\"model\":\"echo\"}")) {
            assertThat(http.status()).isEqualTo(200);
            List<String> data = readAll(http);
            // the answer continues the assistant message: same message id
            assertThat(JSON.readTree(data.getFirst()).get("messageId").stringValue())
                    .isEqualTo("msg-a");
            assertThat(types(data)).endsWith("finish", "[DONE]");
            assertAcceptedByAiSdk5(data);
        }
    }

    @Test
    void anErrorMidStreamBecomesAnErrorChunkThenTheFinish() throws Exception {
        try (TestGateway g = TestGateway.start();
                RawHttp http = post(
                        g,
                        "chat-e",
                        "\"provider\":\"simulated\",\"model\":\"lorem\",\"providerOptions\":{\"failAfter\":2}",
                        "go")) {
            String id = http.header("X-Stream-Id").orElseThrow();
            List<String> data = readAll(http);
            assertAcceptedByAiSdk5(data);
            assertThat(types(data))
                    .containsExactly(
                            "start",
                            "start-step",
                            "text-start",
                            "text-delta",
                            "text-delta",
                            "error",
                            "text-end",
                            "finish-step",
                            "finish",
                            "[DONE]");
            assertThat(data.get(5))
                    .isEqualTo(
                            "{\"type\":\"error\",\"errorText\":\"simulated failure after 2 chunks (upstream_error)\"}");
            assertThat(JSON.readTree(data.get(8))
                            .get("messageMetadata")
                            .get("finishReason")
                            .stringValue())
                    .isEqualTo("error");
            assertThat(id).startsWith("st_");
        }
    }

    @Test
    void richerFieldsOnlyWhenAskedFor() throws Exception {
        try (TestGateway g = TestGateway.start();
                RawHttp http = post(
                        g,
                        null,
                        "\"provider\":\"simulated\",\"model\":\"echo\",\"uiStream\":{\"finishReason\":true,\"providerMetadata\":true}",
                        "x")) {
            String id = http.header("X-Stream-Id").orElseThrow();
            List<String> data = readAll(http);
            assertThat(data)
                    .contains("{\"type\":\"text-end\",\"id\":\"text-0\",\"providerMetadata\":{\"aistream\":"
                            + "{\"streamId\":\"" + id + "\",\"provider\":\"simulated\",\"model\":\"echo\"}}}");
            JsonNode finish = JSON.readTree(data.get(data.size() - 2));
            assertThat(finish.get("finishReason").stringValue()).isEqualTo("stop");
            // ai@5.0.0 would reject finish.finishReason (ai@6 accepts it); providerMetadata is fine for both
            assertThat(AiSdk5ChunkSchema.violations(finish))
                    .containsExactly("finish: unrecognized key 'finishReason' (strictObject)");
        }
    }

    @Test
    void aDisconnectedClientResumesTheChatFromItsStartAndFollowsLive() throws Exception {
        try (TestGateway g = TestGateway.start()) {
            RawHttp first = post(g, "chat-r", "\"provider\":\"test\",\"model\":\"script\"", "hi");
            String id = first.header("X-Stream-Id").orElseThrow();
            var source = g.provider.nextSource();
            source.emit(ContentChunk.of("Hel"), ContentChunk.of("lo"));
            List<String> before = read(first.sse(), 4);
            assertThat(types(before)).containsExactly("start", "start-step", "text-start", "text-delta");
            first.close();
            source.emit(ReasoningChunk.of("hmm"));

            // this route takes no position (the SDK rebuilds the message from a replay from the start):
            // a Last-Event-ID or ?after, even one that would overflow, is ignored
            try (RawHttp resumed = RawHttp.request(
                    g.port(),
                    "GET",
                    "/v1/ui/chat/chat-r/stream?after=9223372036854775807",
                    Map.of("Last-Event-ID", "9223372036854775807"),
                    null)) {
                assertThat(resumed.status()).isEqualTo(200);
                assertThat(resumed.header("x-vercel-ai-ui-message-stream")).contains("v1");
                assertThat(resumed.header("X-Stream-Id")).contains(id);
                SseReader reader = resumed.sse();
                List<String> replay = read(reader, 8);
                // a replay from the start, identical to what the first client saw
                assertThat(replay.subList(0, 4)).isEqualTo(before);
                assertThat(types(replay))
                        .containsExactly(
                                "start",
                                "start-step",
                                "text-start",
                                "text-delta",
                                "text-delta",
                                "text-end",
                                "reasoning-start",
                                "reasoning-delta");
                assertThat(source.isCancelled()).isFalse();
                source.emit(DoneChunk.of(FinishReason.STOP, Usage.of(1, 3), "test", "script"));
                source.end();
                assertThat(types(read(reader, 10))).containsExactly("reasoning-end", "finish-step", "finish", "[DONE]");
            }
            org.awaitility.Awaitility.await().until(() -> g.server.activeStreams() == 0);
            // finished: nothing active any more
            try (RawHttp after = RawHttp.request(g.port(), "GET", "/v1/ui/chat/chat-r/stream", Map.of(), null)) {
                assertThat(after.status()).isEqualTo(204);
            }
        }
    }

    @Test
    void resumingAChatWithNothingActiveAnswers204() throws Exception {
        try (TestGateway g = TestGateway.start();
                RawHttp none = RawHttp.request(g.port(), "GET", "/v1/ui/chat/never-seen/stream", Map.of(), null)) {
            assertThat(none.status()).isEqualTo(204);
            assertThat(none.bodyText()).isEmpty();
            // a non-resumable stream is not registered for its chat
            try (RawHttp http =
                    post(g, "chat-n", "\"provider\":\"test\",\"model\":\"script\",\"resumable\":false", "x")) {
                var source = g.provider.nextSource();
                source.emit(ContentChunk.of("a"));
                assertThat(read(http.sse(), 4)).hasSize(4);
                try (RawHttp r = RawHttp.request(g.port(), "GET", "/v1/ui/chat/chat-n/stream", Map.of(), null)) {
                    assertThat(r.status()).isEqualTo(204);
                }
                source.emit(DoneChunk.of(FinishReason.STOP));
                source.end();
            }
        }
    }

    @Test
    void aNonResumableStreamStopsUpstreamWhenTheClientGoes() throws Exception {
        try (TestGateway g = TestGateway.start()) {
            RawHttp http = post(g, "chat-d", "\"provider\":\"test\",\"model\":\"script\",\"resumable\":false", "x");
            var source = g.provider.nextSource();
            source.emit(ContentChunk.of("a"));
            assertThat(read(http.sse(), 4)).hasSize(4);
            http.close();
            source.awaitCancel();
        }
    }

    @Test
    void deleteOfTheStreamIdEndsTheAnswerWithAbort() throws Exception {
        try (TestGateway g = TestGateway.start();
                RawHttp http = post(g, "chat-a", "\"provider\":\"test\",\"model\":\"script\"", "x")) {
            String id = http.header("X-Stream-Id").orElseThrow();
            var source = g.provider.nextSource();
            source.emit(ContentChunk.of("a"), ToolCallChunk.of(ToolCallDelta.start(0, "call_1", "f", "{\"x\":")));
            SseReader reader = http.sse();
            assertThat(types(read(reader, 7)))
                    .containsExactly(
                            "start",
                            "start-step",
                            "text-start",
                            "text-delta",
                            "text-end",
                            "tool-input-start",
                            "tool-input-delta");
            try (RawHttp delete = RawHttp.request(g.port(), "DELETE", "/v1/streams/" + id, Map.of(), null)) {
                assertThat(delete.status()).isEqualTo(200);
            }
            List<String> rest = read(reader, 10);
            // an incomplete tool call stays incomplete; no finish after an abort
            assertThat(rest).containsExactly("{\"type\":\"abort\"}", "[DONE]");
            source.awaitCancel();
        }
    }

    @Test
    void deleteOfTheChatStreamStopsItsActiveStream() throws Exception {
        try (TestGateway g = TestGateway.start();
                RawHttp http = post(g, "chat-s", "\"provider\":\"test\",\"model\":\"script\"", "x")) {
            String id = http.header("X-Stream-Id").orElseThrow();
            var source = g.provider.nextSource();
            SseReader reader = http.sse();
            assertThat(read(reader, 2)).hasSize(2);
            try (RawHttp delete = RawHttp.request(g.port(), "DELETE", "/v1/ui/chat/chat-s/stream", Map.of(), null)) {
                assertThat(delete.status()).isEqualTo(200);
                assertThat(delete.bodyText())
                        .isEqualTo("{\"chatId\":\"chat-s\",\"streamId\":\"" + id + "\",\"aborted\":true}");
            }
            assertThat(read(reader, 10)).containsExactly("{\"type\":\"abort\"}", "[DONE]");
            source.awaitCancel();
            org.awaitility.Awaitility.await().until(() -> g.server.activeStreams() == 0);
            try (RawHttp again = RawHttp.request(g.port(), "DELETE", "/v1/ui/chat/chat-s/stream", Map.of(), null)) {
                assertThat(again.status()).isEqualTo(204);
            }
        }
    }

    @Test
    void aNewAnswerInTheSameChatSupersedesTheRunningOne() throws Exception {
        try (TestGateway g = TestGateway.start();
                RawHttp first = post(g, "chat-x", "\"provider\":\"test\",\"model\":\"script\"", "1")) {
            var firstSource = g.provider.nextSource();
            SseReader firstReader = first.sse();
            assertThat(read(firstReader, 2)).hasSize(2);
            try (RawHttp second = post(g, "chat-x", "\"provider\":\"test\",\"model\":\"script\"", "2")) {
                String secondId = second.header("X-Stream-Id").orElseThrow();
                var secondSource = g.provider.nextSource();
                firstSource.awaitCancel();
                assertThat(read(firstReader, 10)).containsExactly("{\"type\":\"abort\"}", "[DONE]");
                assertThat(secondSource.isCancelled()).isFalse();
                try (RawHttp resumed = RawHttp.request(g.port(), "GET", "/v1/ui/chat/chat-x/stream", Map.of(), null)) {
                    assertThat(resumed.header("X-Stream-Id")).contains(secondId);
                }
                secondSource.emit(DoneChunk.of(FinishReason.STOP));
                secondSource.end();
                assertThat(types(readAll(second))).endsWith("finish", "[DONE]");
            }
        }
    }

    @Test
    void anotherKeyCannotResumeOrStopTheChat() throws Exception {
        try (TestGateway g =
                        TestGateway.start(b -> b.apiKeys(List.of("key-a-0123456789abcdef", "key-b-0123456789abcdef")));
                RawHttp http = RawHttp.request(
                        g.port(),
                        "POST",
                        "/v1/ui/chat",
                        Map.of("Content-Type", "application/json", "Authorization", "Bearer key-a-0123456789abcdef"),
                        "{\"id\":\"shared\",\"messages\":[" + userMessage("x") + "],"
                                + "\"provider\":\"test\",\"model\":\"script\"}")) {
            assertThat(http.status()).isEqualTo(200);
            var source = g.provider.nextSource();
            try (RawHttp other = RawHttp.request(
                    g.port(),
                    "GET",
                    "/v1/ui/chat/shared/stream",
                    Map.of("Authorization", "Bearer key-b-0123456789abcdef"),
                    null)) {
                assertThat(other.status()).isEqualTo(204);
            }
            try (RawHttp other = RawHttp.request(
                    g.port(),
                    "DELETE",
                    "/v1/ui/chat/shared/stream",
                    Map.of("Authorization", "Bearer key-b-0123456789abcdef"),
                    null)) {
                assertThat(other.status()).isEqualTo(204);
            }
            try (RawHttp anonymous = RawHttp.request(g.port(), "GET", "/v1/ui/chat/shared/stream", Map.of(), null)) {
                assertThat(anonymous.status()).isEqualTo(401);
            }
            assertThat(source.isCancelled()).isFalse();
            source.emit(DoneChunk.of(FinishReason.STOP));
            source.end();
            assertThat(types(readAll(http))).endsWith("finish", "[DONE]");
        }
    }

    private static void assertBadRequest(TestGateway g, String body, String field) throws IOException {
        try (RawHttp http = RawHttp.postJson(g.port(), "/v1/ui/chat", body)) {
            assertThat(http.status()).as(body).isEqualTo(400);
            JsonNode error = JSON.readTree(http.bodyText()).get("error");
            assertThat(error.get("code").stringValue()).isEqualTo("invalid_request");
            assertThat(error.get("field").stringValue()).as(body).isEqualTo(field);
        }
    }

    @Test
    void badInputIsA400NamingTheField() throws Exception {
        String ok = "\"provider\":\"simulated\",\"model\":\"echo\"";
        try (TestGateway g = TestGateway.start()) {
            assertBadRequest(g, "{" + ok + "}", "messages");
            assertBadRequest(g, "{\"messages\":[]," + ok + "}", "messages");
            assertBadRequest(g, "{\"messages\":[" + userMessage("x") + "]}", "provider");
            assertBadRequest(g, "{\"messages\":[{\"role\":\"robot\",\"parts\":[]}]," + ok + "}", "messages[0].role");
            assertBadRequest(g, "{\"messages\":[{\"role\":\"user\"}]," + ok + "}", "messages[0].parts");
            assertBadRequest(
                    g,
                    "{\"messages\":[{\"role\":\"user\",\"parts\":[{\"type\":\"video\"}]}]," + ok + "}",
                    "messages[0].parts[0].type");
            assertBadRequest(
                    g,
                    "{\"messages\":[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":5}]}]," + ok + "}",
                    "messages[0].parts[0].text");
            assertBadRequest(
                    g,
                    "{\"messages\":[{\"role\":\"user\",\"parts\":[{\"type\":\"file\",\"mediaType\":\"application/pdf\","
                            + "\"url\":\"data:application/pdf;base64,AAAA\"}]}]," + ok + "}",
                    "messages[0].parts[0].mediaType");
            assertBadRequest(
                    g, "{\"messages\":[" + userMessage("x") + "],\"trigger\":\"resume\"," + ok + "}", "trigger");
            assertBadRequest(
                    g,
                    "{\"messages\":[" + userMessage("x") + "],\"backpressure\":\"drop\"," + ok + "}",
                    "backpressure");
            assertBadRequest(
                    g,
                    "{\"messages\":[" + userMessage("x") + "],\"uiStream\":{\"colour\":true}," + ok + "}",
                    "uiStream.colour");
            assertBadRequest(
                    g, "{\"messages\":[" + userMessage("x") + "],\"temperature\":9," + ok + "}", "temperature");
            assertBadRequest(g, "{\"messages\":[" + userMessage("x") + "],\"id\":\"a/b\"," + ok + "}", "id");
            assertBadRequest(
                    g,
                    "{\"messages\":[" + userMessage("x") + "],\"provider\":\"simulated\",\"model\":\"nope\"}",
                    "model");
            try (RawHttp http = RawHttp.postJson(
                    g.port(), "/v1/ui/chat", "{\"messages\":[" + userMessage("x") + "]," + "\"provider\":\"nope\"}")) {
                assertThat(http.status()).isEqualTo(404);
                assertThat(http.bodyText()).contains("\"field\":\"provider\"").contains("simulated");
            }
            try (RawHttp http = RawHttp.postJson(g.port(), "/v1/ui/chat", "{not json")) {
                assertThat(http.status()).isEqualTo(400);
                assertThat(http.bodyText()).doesNotContain("Exception");
            }
        }
    }
}
