package io.aistream.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ChunkError;
import io.aistream.chunk.CompletionResponse;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.ReasoningState;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCall;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.chunk.Usage;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.ProviderDescriptor;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.spi.WireFormat;
import io.aistream.server.http.BufferedResponse;
import io.aistream.stream.VirtualTimeSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Messages event stream, event by event, and read back by our own Anthropic provider's decoder. */
class MessagesEventsTest {
    private static final String STREAM = "st_abc";
    private static final String START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":"
            + "\"msg_abc\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"fixed/x\",\"content\":[],"
            + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":7,"
            + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":0}}}\n\n";

    private static String encode(StreamChunk... chunks) {
        BufferedResponse response = new BufferedResponse();
        VirtualTimeSource time = new VirtualTimeSource();
        try (MessagesEvents events =
                MessagesEvents.open(response, STREAM, "fixed/x", 7, time, Duration.ofSeconds(15), () -> {})) {
            for (StreamChunk c : chunks) {
                assertThat(events.send(c)).isTrue();
            }
        }
        assertThat(response.headers()).contains(Map.entry("X-Stream-Id", STREAM));
        assertThat(response.headers())
                .anySatisfy(h ->
                        assertThat(h.getKey() + ": " + h.getValue()).startsWith("Content-Type: text/event-stream"));
        return text(response);
    }

    private static String event(String type, String json) {
        return "event: " + type + "\ndata: " + json + "\n\n";
    }

    private static String blockStart(int index, String block) {
        return event(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":" + index + ",\"content_block\":" + block + "}");
    }

    private static String delta(int index, String delta) {
        return event(
                "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":" + delta + "}");
    }

    private static String blockStop(int index) {
        return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
    }

    private static String end(String reason, long in, long out) {
        return event(
                        "message_delta",
                        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + reason
                                + "\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":" + in
                                + ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":"
                                + out + "}}")
                + event("message_stop", "{\"type\":\"message_stop\"}");
    }

    private static DoneChunk done(FinishReason reason, long in, long out) {
        return DoneChunk.of(reason, Usage.of(in, out), "fixed", "x");
    }

    @Test
    void text() {
        assertThat(encode(
                        ContentChunk.of("Hel"),
                        ContentChunk.of(""),
                        ContentChunk.of("lo \"w\"\n"),
                        done(FinishReason.STOP, 3, 2)))
                .isEqualTo(START
                        + blockStart(0, "{\"type\":\"text\",\"text\":\"\"}")
                        + delta(0, "{\"type\":\"text_delta\",\"text\":\"Hel\"}")
                        + delta(0, "{\"type\":\"text_delta\",\"text\":\"lo \\\"w\\\"\\n\"}")
                        + blockStop(0)
                        + end("end_turn", 3, 2));
    }

    @Test
    void claudeStatesSignAndRedactBlocksAndOtherStatesOnlyEndThem() {
        assertThat(encode(
                        ReasoningChunk.of("", ReasoningState.signature(ReasoningState.BEDROCK, "b-sig")),
                        ReasoningChunk.of("Hm.", ReasoningState.signature(ReasoningState.GOOGLE, "g-sig")),
                        ReasoningChunk.of("More."),
                        ReasoningChunk.of("", ReasoningState.redacted(ReasoningState.ANTHROPIC, "red")),
                        ContentChunk.of("Yes"),
                        DoneChunk.of(FinishReason.STOP, new Usage(100, 9, 109, 60, 10, 0), "fixed", "x")))
                .as("a signature with no open block is a block of its own; a Gemini signature has no place here")
                .isEqualTo(START
                        + blockStart(0, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}")
                        + delta(0, "{\"type\":\"signature_delta\",\"signature\":\"b-sig\"}")
                        + blockStop(0)
                        + blockStart(1, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}")
                        + delta(1, "{\"type\":\"thinking_delta\",\"thinking\":\"Hm.\"}")
                        + blockStop(1)
                        + blockStart(2, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}")
                        + delta(2, "{\"type\":\"thinking_delta\",\"thinking\":\"More.\"}")
                        + blockStop(2)
                        + blockStart(3, "{\"type\":\"redacted_thinking\",\"data\":\"red\"}")
                        + blockStop(3)
                        + blockStart(4, "{\"type\":\"text\",\"text\":\"\"}")
                        + delta(4, "{\"type\":\"text_delta\",\"text\":\"Yes\"}")
                        + blockStop(4)
                        + event(
                                "message_delta",
                                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                                        + "\"usage\":{\"input_tokens\":30,\"cache_creation_input_tokens\":10,"
                                        + "\"cache_read_input_tokens\":60,\"output_tokens\":9}}")
                        + event("message_stop", "{\"type\":\"message_stop\"}"));
    }

    @Test
    void thinkingThenText() {
        assertThat(encode(
                        ReasoningChunk.of("Hm."),
                        ReasoningChunk.of(" Yes."),
                        ContentChunk.of("Yes"),
                        done(FinishReason.STOP, 4, 9)))
                .isEqualTo(START
                        + blockStart(0, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}")
                        + delta(0, "{\"type\":\"thinking_delta\",\"thinking\":\"Hm.\"}")
                        + delta(0, "{\"type\":\"thinking_delta\",\"thinking\":\" Yes.\"}")
                        + blockStop(0)
                        + blockStart(1, "{\"type\":\"text\",\"text\":\"\"}")
                        + delta(1, "{\"type\":\"text_delta\",\"text\":\"Yes\"}")
                        + blockStop(1)
                        + end("end_turn", 4, 9));
    }

    @Test
    void toolUseWithAndWithoutTheProvidersId() {
        assertThat(encode(
                        ContentChunk.of("Calling."),
                        ToolCallChunk.of(ToolCallDelta.start(0, "call_1", "get_weather", "{\"ci")),
                        ToolCallChunk.of(ToolCallDelta.arguments(0, "ty\": \"Paris\"}")),
                        ToolCallChunk.of(new ToolCallDelta(1, Optional.empty(), Optional.of("get_time"), "")),
                        done(FinishReason.TOOL_CALLS, 10, 7)))
                .isEqualTo(START
                        + blockStart(0, "{\"type\":\"text\",\"text\":\"\"}")
                        + delta(0, "{\"type\":\"text_delta\",\"text\":\"Calling.\"}")
                        + blockStop(0)
                        + blockStart(
                                1, "{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"get_weather\",\"input\":{}}")
                        + delta(1, "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"ci\"}")
                        + delta(1, "{\"type\":\"input_json_delta\",\"partial_json\":\"ty\\\": \\\"Paris\\\"}\"}")
                        + blockStop(1)
                        + blockStart(
                                2, "{\"type\":\"tool_use\",\"id\":\"toolu_abc_1\",\"name\":\"get_time\",\"input\":{}}")
                        + blockStop(2)
                        + end("tool_use", 10, 7));
    }

    @Test
    void maxTokensRefusalAndNoUsage() {
        assertThat(encode(ContentChunk.of("cut"), DoneChunk.of(FinishReason.LENGTH)))
                .isEqualTo(START
                        + blockStart(0, "{\"type\":\"text\",\"text\":\"\"}")
                        + delta(0, "{\"type\":\"text_delta\",\"text\":\"cut\"}")
                        + blockStop(0)
                        + end("max_tokens", 7, 0)); // without a report: the estimate and 0
        assertThat(encode(DoneChunk.of(FinishReason.CONTENT_FILTER).withRefusal("No.")))
                .isEqualTo(START
                        + blockStart(0, "{\"type\":\"text\",\"text\":\"\"}")
                        + delta(0, "{\"type\":\"text_delta\",\"text\":\"No.\"}")
                        + blockStop(0)
                        + end("refusal", 7, 0));
    }

    @Test
    void anErrorIsOneErrorEventAndTheEnd() {
        ChunkError limited =
                new ChunkError("rate_limited", "slow down", true, Optional.of("fixed"), OptionalInt.of(429));
        assertThat(encode(ContentChunk.of("a"), ErrorChunk.of(limited), DoneChunk.of(FinishReason.ERROR)))
                .isEqualTo(
                        START
                                + blockStart(0, "{\"type\":\"text\",\"text\":\"\"}")
                                + delta(0, "{\"type\":\"text_delta\",\"text\":\"a\"}")
                                + event(
                                        "error",
                                        "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"fixed: slow down\"}}"));
        // an Anthropic upstream's own error type is kept
        ChunkError overloaded =
                new ChunkError("overloaded_error", "Overloaded", true, Optional.of("claude"), OptionalInt.of(529));
        assertThat(encode(ErrorChunk.of(overloaded), DoneChunk.of(FinishReason.ERROR)))
                .endsWith(
                        event(
                                "error",
                                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"claude: Overloaded\"}}"));
    }

    @Test
    void anAbortIsAnApiErrorEvent() {
        assertThat(encode(ContentChunk.of("a"), DoneChunk.of(FinishReason.ABORTED)))
                .endsWith(
                        delta(0, "{\"type\":\"text_delta\",\"text\":\"a\"}")
                                + event(
                                        "error",
                                        "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"the stream was aborted before it finished\"}}"));
    }

    @Test
    void aPingAfterSilence() {
        BufferedResponse response = new BufferedResponse();
        VirtualTimeSource time = new VirtualTimeSource();
        try (MessagesEvents events =
                MessagesEvents.open(response, STREAM, "fixed/x", 7, time, Duration.ofSeconds(15), () -> {})) {
            time.advance(Duration.ofSeconds(15));
            // the ping is written on a virtual thread: wait for it, then go on
            org.awaitility.Awaitility.await()
                    .until(() -> text(response).endsWith("event: ping\ndata: {\"type\":\"ping\"}\n\n"));
            events.send(done(FinishReason.STOP, 1, 0));
        }
        assertThat(text(response))
                .isEqualTo(START + "event: ping\ndata: {\"type\":\"ping\"}\n\n" + end("end_turn", 1, 0));
    }

    // --- round trip through our own Anthropic provider's decoder

    private static List<StreamChunk> decode(String body, long seed) {
        ProviderDescriptor anthropic = ServiceLoader.load(ProviderDescriptor.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(d -> d.id().equals("anthropic"))
                .findFirst()
                .orElseThrow();
        StreamDecoder decoder =
                anthropic.decoder("anthropic", WireFormat.SSE, new DecoderContext("anthropic", "claude-x"));
        List<StreamChunk> out = new ArrayList<>();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SplittableRandom random = new SplittableRandom(seed);
        for (int off = 0; off < bytes.length; ) {
            int len = Math.min(bytes.length - off, 1 + random.nextInt(40));
            decoder.feed(bytes, off, len, out::add);
            off += len;
        }
        decoder.end(out::add);
        return out;
    }

    private static void roundTrip(StreamChunk... chunks) {
        String body = encode(chunks);
        CompletionResponse sent = CompletionResponse.accumulate(List.of(chunks));
        long seed = new SplittableRandom().nextLong();
        CompletionResponse got = CompletionResponse.accumulate(decode(body, seed));
        String why = "seed " + seed + ", body:\n" + body;
        assertThat(got.content())
                .as(why)
                .isEqualTo(sent.content() + sent.refusal().orElse(""));
        assertThat(got.reasoning()).as(why).isEqualTo(sent.reasoning());
        assertThat(got.toolCalls().stream().map(MessagesEventsTest::call))
                .as(why)
                .containsExactlyElementsOf(sent.toolCalls().stream()
                        .map(c -> call(c).replace("id=;", "id=toolu_abc_" + c.index() + ";"))
                        .toList());
        assertThat(got.finishReason()).as(why).isEqualTo(sent.finishReason());
        if (sent.finishReason().orElseThrow() == FinishReason.ERROR) {
            assertThat(got.errors()).as(why).hasSize(1);
            assertThat(got.errors().getFirst().message())
                    .as(why)
                    .isEqualTo(sent.errors()
                                    .getLast()
                                    .provider()
                                    .map(p -> p + ": ")
                                    .orElse("")
                            + sent.errors().getLast().message());
        } else {
            assertThat(got.usage()).as(why).isEqualTo(sent.usage());
        }
    }

    private static String call(ToolCall c) {
        return "id=" + c.callId() + ";name=" + c.name() + ";args=" + c.arguments();
    }

    @Test
    void ourDecoderReadsBackWhatWeEncode() {
        roundTrip(ContentChunk.of("Hel"), ContentChunk.of("lo wörld ✓"), done(FinishReason.STOP, 3, 2));
        roundTrip(ReasoningChunk.of("Hm."), ContentChunk.of("Yes"), done(FinishReason.STOP, 4, 9));
        roundTrip(
                ReasoningChunk.of("Think."),
                ContentChunk.of("Calling."),
                ToolCallChunk.of(ToolCallDelta.start(0, "call_1", "get_weather", "{\"ci")),
                ToolCallChunk.of(ToolCallDelta.arguments(0, "ty\": \"Paris\"}")),
                ToolCallChunk.of(new ToolCallDelta(1, Optional.empty(), Optional.of("get_time"), "{}")),
                done(FinishReason.TOOL_CALLS, 10, 7));
        roundTrip(ContentChunk.of("cut"), done(FinishReason.LENGTH, 1, 1));
        roundTrip(ContentChunk.of("x"), done(FinishReason.CONTENT_FILTER, 1, 1).withRefusal(" No."));
        roundTrip(
                ContentChunk.of("a"),
                ErrorChunk.of(
                        new ChunkError("rate_limited", "slow down", true, Optional.of("fixed"), OptionalInt.of(429))),
                DoneChunk.of(FinishReason.ERROR));
    }

    private static String text(BufferedResponse response) {
        return new String(response.bytes(), StandardCharsets.UTF_8);
    }
}
