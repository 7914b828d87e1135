package io.aistream.server.openai;

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
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.chunk.UnknownChunk;
import io.aistream.chunk.Usage;
import io.aistream.json.Jackson;
import io.aistream.provider.registry.ProtocolCatalog;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link ResponsesEvents}: the exact event sequence for each kind of stream, and a round trip through the
 * provider side's own Responses decoder, which must give back what went in.
 */
class ResponsesEventsTest {
    private static final JsonMapper JSON = Jackson.mapper();
    private static final ResponseObject HEAD =
            new ResponseObject("resp_st_1", 1700000000, "fixed/text", JSON.createObjectNode());

    private static final List<StreamChunk> TEXT = List.of(
            ContentChunk.of("Hel"),
            ContentChunk.of("lo \"wörld\"\n"),
            DoneChunk.of(FinishReason.STOP, Usage.of(3, 2), "fixed", "text"));
    private static final List<StreamChunk> MIXED = List.of(
            ReasoningChunk.of("Think."),
            ReasoningChunk.of(" More."),
            ContentChunk.of("Calling."),
            ToolCallChunk.of(ToolCallDelta.start(0, "call_1", "get_weather", "{\"ci")),
            ToolCallChunk.of(ToolCallDelta.arguments(0, "ty\": \"Paris\"}")),
            ToolCallChunk.of(new ToolCallDelta(1, Optional.empty(), Optional.of("get_time"), "{}")),
            DoneChunk.of(FinishReason.TOOL_CALLS, Usage.of(10, 7), "fixed", "mixed"));
    private static final List<StreamChunk> INTERLEAVED_CALLS = List.of(
            ToolCallChunk.of(ToolCallDelta.start(0, "call_a", "a", "{\"x\"")),
            ToolCallChunk.of(ToolCallDelta.start(1, "call_b", "b", "{\"y\"")),
            ToolCallChunk.of(ToolCallDelta.arguments(0, ":1}")),
            ToolCallChunk.of(ToolCallDelta.arguments(1, ":2}")),
            ContentChunk.of("done"),
            DoneChunk.of(FinishReason.TOOL_CALLS));
    private static final List<StreamChunk> LENGTH =
            List.of(ContentChunk.of("cut"), DoneChunk.of(FinishReason.LENGTH, Usage.of(1, 1), "fixed", "long"));
    private static final List<StreamChunk> FILTERED =
            List.of(ContentChunk.of("bad"), DoneChunk.of(FinishReason.CONTENT_FILTER));
    private static final List<StreamChunk> FAILED = List.of(
            ContentChunk.of("a"),
            ErrorChunk.of(new ChunkError("rate_limited", "slow down", true, Optional.of("fixed"), OptionalInt.of(429))),
            DoneChunk.of(FinishReason.ERROR));
    private static final List<StreamChunk> ABORTED =
            List.of(ToolCallChunk.of(ToolCallDelta.start(0, "call_1", "f", "{")), DoneChunk.of(FinishReason.ABORTED));
    private static final List<StreamChunk> REFUSAL = List.of(
            ContentChunk.of("Well"),
            new UnknownChunk("", 0, "future", "{}"),
            DoneChunk.of(FinishReason.STOP).withRefusal("I can't help with that."));

    /** The stream's events as {@code type json-without-type-and-sequence} lines; sequence numbers checked. */
    private static List<String> events(List<StreamChunk> chunks) {
        List<String> lines = new ArrayList<>();
        long seq = 0;
        for (SseEvent e : sse(chunks)) {
            ObjectNode data = (ObjectNode) JSON.readTree(e.data());
            assertThat(data.get("type").stringValue()).isEqualTo(e.event());
            assertThat(data.get("sequence_number").longValue()).isEqualTo(seq++);
            data.remove("type");
            data.remove("sequence_number");
            lines.add(e.event() + " " + data);
        }
        return lines;
    }

    private static String text(List<StreamChunk> chunks) {
        return text(HEAD, chunks);
    }

    private static String text(ResponseObject head, List<StreamChunk> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResponsesEvents events = new ResponsesEvents(head, "st_1", out);
        events.start();
        chunks.forEach(events::on);
        events.close();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<SseEvent> sse(List<StreamChunk> chunks) {
        List<SseEvent> all = new ArrayList<>();
        try (SseReader reader =
                new SseReader(new ByteArrayInputStream(text(chunks).getBytes(StandardCharsets.UTF_8)))) {
            reader.forEach(all::add);
        }
        return all;
    }

    @Test
    void aReasoningItemWithoutSummaryIsOpenedByItsStateAndCarriesTheEncryptedContentAskedFor() {
        ObjectNode echo = JSON.createObjectNode();
        echo.putArray("include").add(ResponsesEvents.ENCRYPTED_REASONING);
        ResponseObject head = new ResponseObject("resp_st_1", 1700000000, "fixed/text", echo);
        List<String> items = new ArrayList<>();
        try (SseReader reader = new SseReader(new ByteArrayInputStream(text(
                        head,
                        List.of(
                                ReasoningChunk.of("", ReasoningState.openAiItem("rs_up", Optional.of("enc"))),
                                ContentChunk.of("Hi"),
                                DoneChunk.of(FinishReason.STOP)))
                .getBytes(StandardCharsets.UTF_8)))) {
            reader.forEach(e -> {
                if (!e.event().startsWith("response.output_text") && !e.event().startsWith("response.content_part")) {
                    JsonNode data = JSON.readTree(e.data());
                    items.add(e.event() + (data.has("item") ? " " + data.get("item") : ""));
                }
            });
        }
        assertThat(items)
                .as("no summary part events: the item had no summary text")
                .containsExactly(
                        "response.created",
                        "response.in_progress",
                        "response.output_item.added {\"id\":\"rs_up\",\"type\":\"reasoning\",\"summary\":[]}",
                        "response.output_item.done {\"id\":\"rs_up\",\"type\":\"reasoning\",\"summary\":[],"
                                + "\"encrypted_content\":\"enc\"}",
                        "response.output_item.added {\"id\":\"msg_1_1\",\"type\":\"message\",\"status\":\"in_progress\","
                                + "\"content\":[],\"role\":\"assistant\"}",
                        "response.output_item.done {\"id\":\"msg_1_1\",\"type\":\"message\",\"status\":\"completed\","
                                + "\"content\":[{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"Hi\"}],"
                                + "\"role\":\"assistant\"}",
                        "response.completed");
    }

    @Test
    void textIsOneMessageItem() {
        String wire = text(TEXT);
        assertThat(wire)
                .startsWith(
                        "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,"
                                + "\"response\":{\"id\":\"resp_st_1\",\"object\":\"response\",\"created_at\":1700000000,\"status\":\"in_progress\",");
        assertThat(wire)
                .contains(
                        "\n\nevent: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
                                + "\"sequence_number\":4,\"item_id\":\"msg_1_0\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hel\",\"logprobs\":[]}\n\n");
        assertThat(wire).endsWith("}}\n\n");
        List<String> events = events(TEXT);
        assertThat(events.subList(2, events.size() - 1))
                .containsExactly(
                        "response.output_item.added {\"output_index\":0,\"item\":{\"id\":\"msg_1_0\",\"type\":\"message\",\"status\":\"in_progress\",\"content\":[],\"role\":\"assistant\"}}",
                        "response.content_part.added {\"item_id\":\"msg_1_0\",\"output_index\":0,\"content_index\":0,\"part\":{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"\"}}",
                        "response.output_text.delta {\"item_id\":\"msg_1_0\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hel\",\"logprobs\":[]}",
                        "response.output_text.delta {\"item_id\":\"msg_1_0\",\"output_index\":0,\"content_index\":0,\"delta\":\"lo \\\"wörld\\\"\\n\",\"logprobs\":[]}",
                        "response.output_text.done {\"item_id\":\"msg_1_0\",\"output_index\":0,\"content_index\":0,\"text\":\"Hello \\\"wörld\\\"\\n\",\"logprobs\":[]}",
                        "response.content_part.done {\"item_id\":\"msg_1_0\",\"output_index\":0,\"content_index\":0,\"part\":{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"Hello \\\"wörld\\\"\\n\"}}",
                        "response.output_item.done {\"output_index\":0,\"item\":{\"id\":\"msg_1_0\",\"type\":\"message\",\"status\":\"completed\",\"content\":[{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"Hello \\\"wörld\\\"\\n\"}],\"role\":\"assistant\"}}");
        JsonNode completed = terminal(TEXT, "response.completed");
        assertThat(completed.get("status").stringValue()).isEqualTo("completed");
        assertThat(completed.get("output").toString())
                .isEqualTo(
                        "[{\"id\":\"msg_1_0\",\"type\":\"message\",\"status\":\"completed\",\"content\":[{\"type\":\"output_text\","
                                + "\"annotations\":[],\"logprobs\":[],\"text\":\"Hello \\\"wörld\\\"\\n\"}],\"role\":\"assistant\"}]");
        assertThat(completed.get("usage").toString())
                .isEqualTo(
                        "{\"input_tokens\":3,\"input_tokens_details\":{\"cached_tokens\":0,\"cache_write_tokens\":0},\"output_tokens\":2,"
                                + "\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":5}");
        assertThat(completed.get("error").isNull()).isTrue();
        assertThat(completed.get("incomplete_details").isNull()).isTrue();
    }

    @Test
    void createdAndInProgressCarryTheEmptyResponse() {
        List<String> events = events(TEXT);
        assertThat(events.get(0)).startsWith("response.created {\"response\":{\"id\":\"resp_st_1\",");
        assertThat(events.get(1)).startsWith("response.in_progress {\"response\":{\"id\":\"resp_st_1\",");
        JsonNode created = JSON.readTree(events.get(0).substring(events.get(0).indexOf(' ') + 1))
                .get("response");
        assertThat(created.propertyNames())
                .containsExactly(
                        "id",
                        "object",
                        "created_at",
                        "status",
                        "background",
                        "error",
                        "incomplete_details",
                        "instructions",
                        "max_output_tokens",
                        "max_tool_calls",
                        "model",
                        "output",
                        "parallel_tool_calls",
                        "previous_response_id",
                        "prompt_cache_key",
                        "reasoning",
                        "safety_identifier",
                        "service_tier",
                        "store",
                        "temperature",
                        "text",
                        "tool_choice",
                        "tools",
                        "top_logprobs",
                        "top_p",
                        "truncation",
                        "usage",
                        "user",
                        "metadata");
        assertThat(created.get("output").toString()).isEqualTo("[]");
        assertThat(created.get("usage").isNull()).isTrue();
        assertThat(created.get("store").booleanValue()).isTrue(); // OpenAI's default: the request did not say
        assertThat(created.get("previous_response_id").isNull()).isTrue();
        assertThat(created.get("model").stringValue()).isEqualTo("fixed/text");
    }

    @Test
    void reasoningTextAndToolCallsAreItemsInOrder() {
        assertThat(events(MIXED).subList(2, events(MIXED).size() - 1))
                .containsExactly(
                        "response.output_item.added {\"output_index\":0,\"item\":{\"id\":\"rs_1_0\",\"type\":\"reasoning\",\"summary\":[]}}",
                        "response.reasoning_summary_part.added {\"item_id\":\"rs_1_0\",\"output_index\":0,\"summary_index\":0,\"part\":{\"type\":\"summary_text\",\"text\":\"\"}}",
                        "response.reasoning_summary_text.delta {\"item_id\":\"rs_1_0\",\"output_index\":0,\"summary_index\":0,\"delta\":\"Think.\"}",
                        "response.reasoning_summary_text.delta {\"item_id\":\"rs_1_0\",\"output_index\":0,\"summary_index\":0,\"delta\":\" More.\"}",
                        "response.reasoning_summary_text.done {\"item_id\":\"rs_1_0\",\"output_index\":0,\"summary_index\":0,\"text\":\"Think. More.\"}",
                        "response.reasoning_summary_part.done {\"item_id\":\"rs_1_0\",\"output_index\":0,\"summary_index\":0,\"part\":{\"type\":\"summary_text\",\"text\":\"Think. More.\"}}",
                        "response.output_item.done {\"output_index\":0,\"item\":{\"id\":\"rs_1_0\",\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"Think. More.\"}]}}",
                        "response.output_item.added {\"output_index\":1,\"item\":{\"id\":\"msg_1_1\",\"type\":\"message\",\"status\":\"in_progress\",\"content\":[],\"role\":\"assistant\"}}",
                        "response.content_part.added {\"item_id\":\"msg_1_1\",\"output_index\":1,\"content_index\":0,\"part\":{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"\"}}",
                        "response.output_text.delta {\"item_id\":\"msg_1_1\",\"output_index\":1,\"content_index\":0,\"delta\":\"Calling.\",\"logprobs\":[]}",
                        "response.output_text.done {\"item_id\":\"msg_1_1\",\"output_index\":1,\"content_index\":0,\"text\":\"Calling.\",\"logprobs\":[]}",
                        "response.content_part.done {\"item_id\":\"msg_1_1\",\"output_index\":1,\"content_index\":0,\"part\":{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"Calling.\"}}",
                        "response.output_item.done {\"output_index\":1,\"item\":{\"id\":\"msg_1_1\",\"type\":\"message\",\"status\":\"completed\",\"content\":[{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"Calling.\"}],\"role\":\"assistant\"}}",
                        "response.output_item.added {\"output_index\":2,\"item\":{\"id\":\"fc_1_2\",\"type\":\"function_call\",\"status\":\"in_progress\",\"arguments\":\"\",\"call_id\":\"call_1\",\"name\":\"get_weather\"}}",
                        "response.function_call_arguments.delta {\"item_id\":\"fc_1_2\",\"output_index\":2,\"delta\":\"{\\\"ci\"}",
                        "response.function_call_arguments.delta {\"item_id\":\"fc_1_2\",\"output_index\":2,\"delta\":\"ty\\\": \\\"Paris\\\"}\"}",
                        "response.output_item.added {\"output_index\":3,\"item\":{\"id\":\"fc_1_3\",\"type\":\"function_call\",\"status\":\"in_progress\",\"arguments\":\"\",\"call_id\":\"call_1_1\",\"name\":\"get_time\"}}",
                        "response.function_call_arguments.delta {\"item_id\":\"fc_1_3\",\"output_index\":3,\"delta\":\"{}\"}",
                        "response.function_call_arguments.done {\"item_id\":\"fc_1_2\",\"output_index\":2,\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\": \\\"Paris\\\"}\"}",
                        "response.output_item.done {\"output_index\":2,\"item\":{\"id\":\"fc_1_2\",\"type\":\"function_call\",\"status\":\"completed\",\"arguments\":\"{\\\"city\\\": \\\"Paris\\\"}\",\"call_id\":\"call_1\",\"name\":\"get_weather\"}}",
                        "response.function_call_arguments.done {\"item_id\":\"fc_1_3\",\"output_index\":3,\"name\":\"get_time\",\"arguments\":\"{}\"}",
                        "response.output_item.done {\"output_index\":3,\"item\":{\"id\":\"fc_1_3\",\"type\":\"function_call\",\"status\":\"completed\",\"arguments\":\"{}\",\"call_id\":\"call_1_1\",\"name\":\"get_time\"}}");
        JsonNode completed = terminal(MIXED, "response.completed");
        assertThat(completed.get("output")).hasSize(4);
        assertThat(completed.get("output").get(2).get("arguments").stringValue())
                .isEqualTo("{\"city\": \"Paris\"}");
    }

    @Test
    void interleavedCallFragmentsStayInTheirItems() {
        List<String> events = events(INTERLEAVED_CALLS);
        assertThat(events)
                .filteredOn(e -> e.startsWith("response.function_call_arguments.delta"))
                .containsExactly(
                        "response.function_call_arguments.delta {\"item_id\":\"fc_1_0\",\"output_index\":0,\"delta\":\"{\\\"x\\\"\"}",
                        "response.function_call_arguments.delta {\"item_id\":\"fc_1_1\",\"output_index\":1,\"delta\":\"{\\\"y\\\"\"}",
                        "response.function_call_arguments.delta {\"item_id\":\"fc_1_0\",\"output_index\":0,\"delta\":\":1}\"}",
                        "response.function_call_arguments.delta {\"item_id\":\"fc_1_1\",\"output_index\":1,\"delta\":\":2}\"}");
        JsonNode output = terminal(INTERLEAVED_CALLS, "response.completed").get("output");
        assertThat(output.get(0).get("arguments").stringValue()).isEqualTo("{\"x\":1}");
        assertThat(output.get(1).get("arguments").stringValue()).isEqualTo("{\"y\":2}");
        assertThat(output.get(2).get("type").stringValue()).isEqualTo("message");
        // both calls end before the message starts
        int lastCallDone = events.indexOf(events.stream()
                .filter(e -> e.startsWith("response.output_item.done {\"output_index\":1"))
                .findFirst()
                .orElseThrow());
        assertThat(events.get(lastCallDone + 1)).startsWith("response.output_item.added {\"output_index\":2");
    }

    @Test
    void lengthAndContentFilterAreIncomplete() {
        JsonNode length = terminal(LENGTH, "response.incomplete");
        assertThat(length.get("status").stringValue()).isEqualTo("incomplete");
        assertThat(length.get("incomplete_details").toString()).isEqualTo("{\"reason\":\"max_output_tokens\"}");
        assertThat(length.get("output").get(0).get("status").stringValue()).isEqualTo("incomplete");
        assertThat(events(LENGTH))
                .contains(
                        "response.output_item.done {\"output_index\":0,\"item\":{\"id\":\"msg_1_0\",\"type\":\"message\","
                                + "\"status\":\"incomplete\",\"content\":[{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],"
                                + "\"text\":\"cut\"}],\"role\":\"assistant\"}}");
        JsonNode filtered = terminal(FILTERED, "response.incomplete");
        assertThat(filtered.get("incomplete_details").toString()).isEqualTo("{\"reason\":\"content_filter\"}");
        assertThat(filtered.get("usage").isNull()).isTrue();
    }

    @Test
    void anErrorIsAnErrorEventThenResponseFailed() {
        List<String> events = events(FAILED);
        assertThat(events.get(events.size() - 2))
                .isEqualTo("error {\"error\":{\"type\":\"rate_limit_error\",\"code\":\"rate_limited\","
                        + "\"message\":\"fixed: slow down\",\"param\":null}}");
        JsonNode failed = terminal(FAILED, "response.failed");
        assertThat(failed.get("status").stringValue()).isEqualTo("failed");
        assertThat(failed.get("error").toString())
                .isEqualTo("{\"code\":\"rate_limited\",\"message\":\"fixed: slow down\"}");
        // the open message is not ended by events; the failed response holds it, incomplete
        assertThat(events).noneMatch(e -> e.startsWith("response.output_item.done"));
        assertThat(failed.get("output").get(0).get("status").stringValue()).isEqualTo("incomplete");
        assertThat(failed.get("output").get(0).get("content").get(0).get("text").stringValue())
                .isEqualTo("a");
    }

    @Test
    void anAbortIsAFailedResponseWithStreamAborted() {
        List<String> events = events(ABORTED);
        assertThat(events.get(events.size() - 2))
                .isEqualTo("error {\"error\":{\"type\":\"server_error\",\"code\":\"stream_aborted\","
                        + "\"message\":\"the stream was aborted before it finished\",\"param\":null}}");
        JsonNode failed = terminal(ABORTED, "response.failed");
        assertThat(failed.get("error").get("code").stringValue()).isEqualTo("stream_aborted");
        assertThat(failed.get("output").get(0).toString())
                .isEqualTo(
                        "{\"id\":\"fc_1_0\",\"type\":\"function_call\",\"status\":\"incomplete\",\"arguments\":\"{\","
                                + "\"call_id\":\"call_1\",\"name\":\"f\"}");
    }

    @Test
    void aRefusalIsARefusalPartOfTheMessage() {
        assertThat(events(REFUSAL).subList(5, events(REFUSAL).size() - 1))
                .containsExactly(
                        "response.output_text.done {\"item_id\":\"msg_1_0\",\"output_index\":0,\"content_index\":0,\"text\":\"Well\",\"logprobs\":[]}",
                        "response.content_part.done {\"item_id\":\"msg_1_0\",\"output_index\":0,\"content_index\":0,\"part\":{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"Well\"}}",
                        "response.content_part.added {\"item_id\":\"msg_1_0\",\"output_index\":0,\"content_index\":1,\"part\":{\"type\":\"refusal\",\"refusal\":\"\"}}",
                        "response.refusal.delta {\"item_id\":\"msg_1_0\",\"output_index\":0,\"content_index\":1,\"delta\":\"I can't help with that.\"}",
                        "response.refusal.done {\"item_id\":\"msg_1_0\",\"output_index\":0,\"content_index\":1,\"refusal\":\"I can't help with that.\"}",
                        "response.content_part.done {\"item_id\":\"msg_1_0\",\"output_index\":0,\"content_index\":1,\"part\":{\"type\":\"refusal\",\"refusal\":\"I can't help with that.\"}}",
                        "response.output_item.done {\"output_index\":0,\"item\":{\"id\":\"msg_1_0\",\"type\":\"message\",\"status\":\"completed\",\"content\":[{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"Well\"},{\"type\":\"refusal\",\"refusal\":\"I can't help with that.\"}],\"role\":\"assistant\"}}");
    }

    @Test
    void withoutAWriterOnlyTheResponseIsBuiltAndItMatchesTheStreamedOne() {
        for (List<StreamChunk> chunks : List.of(TEXT, MIXED, INTERLEAVED_CALLS, LENGTH, FAILED, ABORTED, REFUSAL)) {
            ResponsesEvents quiet = new ResponsesEvents(HEAD, "st_1", null);
            quiet.start();
            chunks.forEach(quiet::on);
            List<SseEvent> events = sse(chunks);
            JsonNode streamed = JSON.readTree(events.getLast().data()).get("response");
            assertThat(quiet.response().orElseThrow().toString()).isEqualTo(streamed.toString());
        }
    }

    /**
     * Our encoder's bytes, fed to our own Responses decoder (whole and in seeded random splits), fold into
     * what the chunks fold into.
     */
    @Test
    void roundTripsThroughTheProvidersResponsesDecoder() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        for (List<StreamChunk> chunks : List.of(TEXT, MIXED, INTERLEAVED_CALLS, LENGTH, FILTERED, FAILED, REFUSAL)) {
            byte[] wire = text(chunks).getBytes(StandardCharsets.UTF_8);
            CompletionResponse in = CompletionResponse.accumulate(chunks);
            for (int split : List.of(wire.length, 1, 7, 64, 0)) {
                List<StreamChunk> decoded = decode(wire, split, random);
                CompletionResponse out = CompletionResponse.accumulate(decoded);
                String as = "seed " + seed + ", split " + split + ", " + chunks;
                assertThat(out.content()).as(as).isEqualTo(in.content());
                assertThat(out.reasoning()).as(as).isEqualTo(in.reasoning());
                assertThat(out.refusal()).as(as).isEqualTo(in.refusal());
                assertThat(out.finishReason()).as(as).isEqualTo(in.finishReason());
                assertThat(out.usage()).as(as).isEqualTo(in.usage());
                assertThat(out.toolCalls()).as(as).hasSameSizeAs(in.toolCalls());
                for (int i = 0; i < in.toolCalls().size(); i++) {
                    assertThat(out.toolCalls().get(i).name())
                            .as(as)
                            .isEqualTo(in.toolCalls().get(i).name());
                    assertThat(out.toolCalls().get(i).arguments())
                            .as(as)
                            .isEqualTo(in.toolCalls().get(i).arguments());
                    assertThat(out.toolCalls().get(i).callId()).as(as).isNotBlank();
                }
                assertThat(out.errors().stream().map(ChunkError::code).toList())
                        .as(as)
                        .isEqualTo(in.errors().stream().map(ChunkError::code).toList());
            }
        }
    }

    /** Feeds {@code wire} in pieces of {@code split} bytes (0: random sizes). */
    private static List<StreamChunk> decode(byte[] wire, int split, SplittableRandom random) {
        StreamDecoder decoder =
                ProtocolCatalog.byId("openai-responses").orElseThrow().newDecoder(new DecoderContext("upstream", "m"));
        List<StreamChunk> chunks = new ArrayList<>();
        int off = 0;
        while (off < wire.length) {
            int n = Math.min(wire.length - off, split > 0 ? split : random.nextInt(1, 40));
            decoder.feed(wire, off, n, chunks::add);
            off += n;
        }
        decoder.end(chunks::add);
        return chunks;
    }

    private static JsonNode terminal(List<StreamChunk> chunks, String type) {
        SseEvent last = sse(chunks).getLast();
        assertThat(last.event()).isEqualTo(type);
        return JSON.readTree(last.data()).get("response");
    }
}
