package io.aistream.provider.openai.responses;

import static io.aistream.provider.testing.ProviderFixtures.decoder;
import static io.aistream.testing.Chunks.done;
import static io.aistream.testing.Chunks.firstError;
import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.provider.ResponseSummary;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.testing.FixtureHarness;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Responses stream shapes the fixtures do not cover. */
class OpenAiResponsesDecoderTest {
    private static List<StreamChunk> decode(String body) {
        return FixtureHarness.decode(
                decoder(new OpenAiResponsesDecoder(new DecoderContext("openai", "gpt-4.1"))),
                body.getBytes(StandardCharsets.UTF_8),
                new int[0]);
    }

    private static String event(String type, String jsonFields) {
        return "event: " + type + "\ndata: {\"type\":\"" + type + "\"" + (jsonFields.isEmpty() ? "" : "," + jsonFields)
                + "}\n\n";
    }

    @Test
    void aStreamCutBeforeTheTerminalEventIsIncomplete() {
        List<StreamChunk> chunks =
                decode(event("response.output_text.delta", "\"item_id\":\"m\",\"delta\":\"Hi\"") + "data: [DONE]\n\n");
        assertThat(firstError(chunks).error().code()).isEqualTo("incomplete_stream");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void malformedJsonIsReportedAsMalformedEvent() {
        List<StreamChunk> chunks = decode("event: response.output_text.delta\ndata: {\"delta\":\n\n");
        assertThat(firstError(chunks).error().code()).isEqualTo("malformed_event");
        assertThat(chunks).hasSize(2);
    }

    @Test
    void failedResponseWithoutAnErrorEventReportsTheResponseError() {
        List<StreamChunk> chunks = decode(
                event(
                        "response.failed",
                        "\"response\":{\"model\":\"gpt-4.1-x\",\"status\":\"failed\",\"error\":{\"code\":\"rate_limit_exceeded\",\"message\":\"slow down\"},\"usage\":null}"));
        ErrorChunk e = firstError(chunks);
        assertThat(e.error().code()).isEqualTo("rate_limit_exceeded");
        assertThat(e.error().message()).isEqualTo("slow down");
        assertThat(e.error().retryable()).isTrue();
        assertThat(done(chunks).model()).contains("gpt-4.1-x");
    }

    @Test
    void incompleteForContentFilterMapsToContentFilterAndOtherReasonsToOther() {
        assertThat(done(decode(
                                event(
                                        "response.incomplete",
                                        "\"response\":{\"incomplete_details\":{\"reason\":\"content_filter\"},\"usage\":{\"input_tokens\":3,\"output_tokens\":2,\"total_tokens\":5}}")))
                        .finishReason())
                .isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(OpenAiResponsesDecoder.incompleteReason("max_tokens")).isEqualTo(FinishReason.LENGTH);
        assertThat(OpenAiResponsesDecoder.incompleteReason("something_new")).isEqualTo(FinishReason.OTHER);
    }

    @Test
    void argumentsThatOnlyArriveCompleteAreEmittedOnce() {
        List<StreamChunk> chunks = decode(event(
                        "response.output_item.added",
                        "\"item\":{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_1\",\"name\":\"f\",\"arguments\":\"\"}")
                + event("response.function_call_arguments.done", "\"item_id\":\"fc_1\",\"arguments\":\"{\\\"a\\\":1}\"")
                + event(
                        "response.output_item.done",
                        "\"item\":{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_1\",\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}")
                + event("response.completed", "\"response\":{\"status\":\"completed\"}"));
        assertThat(chunks.stream().filter(ToolCallChunk.class::isInstance)).hasSize(2);
        assertThat(ResponseSummary.of(chunks).path("toolCalls").toString())
                .isEqualTo("[{\"id\":\"call_1\",\"name\":\"f\",\"arguments\":{\"a\":1}}]");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }

    @Test
    void eventTypeFromTheEventLineIsUsedWhenTheJsonHasNone() {
        List<StreamChunk> chunks = decode("event: response.output_text.delta\ndata: {\"delta\":\"Hi\"}\n\n"
                + event("response.completed", "\"response\":{}") + "data: [DONE]\n\n");
        assertThat(ResponseSummary.of(chunks).path("text").asString()).isEqualTo("Hi");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(done(chunks).model()).contains("gpt-4.1");
    }
}
