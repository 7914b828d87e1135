package io.aistream.provider.gemini;

import static io.aistream.provider.DecoderTestSupport.feed;
import static io.aistream.testing.Chunks.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.ReasoningState;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.chunk.Usage;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.sse.SseLimitExceededException;
import io.aistream.sse.SseLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class GeminiStreamDecoderTest {
    private static final DecoderContext CONTEXT = new DecoderContext("gemini", "gemini-2.5-flash");

    private final List<StreamChunk> out = new ArrayList<>();

    private static String event(String json) {
        return "data: " + json + "\r\n\r\n";
    }

    private List<StreamChunk> decodeSse(String body) {
        StreamDecoder decoder = new GeminiStreamDecoder(CONTEXT);
        feed(decoder, body, out);
        decoder.end(out::add);
        return out;
    }

    @Test
    void aStreamCutBeforeAFinishReasonIsIncomplete() {
        decodeSse(event("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}]}}]}"));

        assertThat(out).hasSize(3);
        assertThat(out.get(0)).isEqualTo(ContentChunk.of("Hel"));
        assertThat(((ErrorChunk) out.get(1)).error().code()).isEqualTo("incomplete_stream");
        assertThat(done(out).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void aFinishChunkWhoseEventIsNotTerminatedIsLost() {
        decodeSse("data: {\"candidates\":[{\"finishReason\":\"STOP\"}]}\r\n");

        assertThat(((ErrorChunk) out.get(0)).error().code()).isEqualTo("incomplete_stream");
    }

    @Test
    void anEmptyBodyIsIncomplete() {
        decodeSse("");

        assertThat(((ErrorChunk) out.get(0)).error().code()).isEqualTo("incomplete_stream");
        assertThat(out).hasSize(2);
    }

    @Test
    void malformedJsonIsReportedOnceAndLaterInputIsIgnored() {
        StreamDecoder decoder = new GeminiStreamDecoder(CONTEXT);
        feed(decoder, event("{\"candidates\":[{\"content\":"), out);
        feed(decoder, event("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"late\"}]}}]}"), out);
        decoder.end(out::add);

        assertThat(out).hasSize(2);
        ErrorChunk error = (ErrorChunk) out.get(0);
        assertThat(error.error().code()).isEqualTo("malformed_event");
        assertThat(error.error().message()).contains("not valid JSON");
        assertThat(error.error().provider()).contains("gemini");
        assertThat(done(out).finishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(decoder.isDone()).isTrue();
    }

    @Test
    void severalFunctionCallsGetIndexesInOrderAndIdsWhenGeminiSendsNone() {
        decodeSse(event("""
                {"candidates":[{"content":{"parts":[
                  {"text":"Checking."},
                  {"functionCall":{"name":"a","args":{"x":[1,2]}}},
                  {"functionCall":{"name":"b","id":"fc-7"}}]},
                 "finishReason":"STOP"}]}""".replace("\n", "")));

        assertThat(out).hasSize(4);
        assertThat(out.get(1)).isEqualTo(ToolCallChunk.of(ToolCallDelta.start(0, "call_0", "a", "{\"x\":[1,2]}")));
        assertThat(out.get(2)).isEqualTo(ToolCallChunk.of(ToolCallDelta.start(1, "fc-7", "b", "{}")));
        assertThat(done(out).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }

    @Test
    void aThoughtSignatureTravelsOnTheChunkOfThePartThatCarriedIt() {
        decodeSse(event("{\"candidates\":[{\"content\":{\"parts\":["
                + "{\"text\":\"plan\",\"thought\":true,\"thoughtSignature\":\"s1\"},"
                + "{\"text\":\"\",\"thought\":true,\"thoughtSignature\":\"s2\"},"
                + "{\"text\":\"Hi\",\"thoughtSignature\":\"s3\"},"
                + "{\"thoughtSignature\":\"s4\"},"
                + "{\"functionCall\":{\"name\":\"f\",\"args\":{}},\"thoughtSignature\":\"s5\"},"
                + "{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"AA==\"},\"thoughtSignature\":\"s6\"},"
                + "{\"text\":\"\",\"thoughtSignature\":\"\"}]},\"finishReason\":\"STOP\"}]}"));

        assertThat(out.subList(0, out.size() - 1))
                .containsExactly(
                        ReasoningChunk.of("plan", google("s1")),
                        ReasoningChunk.of("", google("s2")),
                        ContentChunk.of("Hi", google("s3")),
                        ContentChunk.of("", google("s4")),
                        ToolCallChunk.of(ToolCallDelta.start(0, "call_0", "f", "{}"), google("s5")));
    }

    private static ReasoningState google(String signature) {
        return ReasoningState.signature(ReasoningState.GOOGLE, signature);
    }

    @Test
    void onlyTheFirstCandidateIsStreamedAndMissingPartsAreSkipped() {
        decodeSse(event(
                        "{\"candidates\":[{\"index\":1,\"content\":{\"parts\":[{\"text\":\"other\"}]}},"
                                + "{\"content\":{\"parts\":[{\"text\":\"\",\"thoughtSignature\":\"c2ln\"},{\"inlineData\":{}},{\"text\":\"mine\"}]}}]}")
                + event("{\"candidates\":[{\"index\":0}]}")
                + event("{\"candidates\":[],\"usageMetadata\":{}}")
                + event("{\"candidates\":[{\"index\":0,\"finishReason\":\"RECITATION\"}]}"));

        assertThat(out)
                .containsExactly(
                        // an empty text part carrying only a signature is kept for its signature
                        ContentChunk.of("", ReasoningState.signature(ReasoningState.GOOGLE, "c2ln")),
                        ContentChunk.of("mine"),
                        DoneChunk.of(FinishReason.CONTENT_FILTER)
                                .withMetadata(
                                        Optional.empty(), Optional.of("gemini"), Optional.of("gemini-2.5-flash")));
    }

    @Test
    void unknownFinishReasonsMapToOtherAndTheStreamsModelIsReported() {
        decodeSse(
                event(
                        "{\"candidates\":[{\"finishReason\":\"MALFORMED_FUNCTION_CALL\"}],\"modelVersion\":\"gemini-2.5-pro-001\","
                                + "\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":2,\"thoughtsTokenCount\":3}}"));

        assertThat(done(out).finishReason()).isEqualTo(FinishReason.OTHER);
        assertThat(done(out).model()).contains("gemini-2.5-pro-001");
        assertThat(done(out).usage()).contains(new Usage(5, 5, 10).withReasoning(3));
    }

    @Test
    void anErrorChunkCarriesStatusRetryabilityAndTheHttpCode() {
        decodeSse(event("{\"error\":{\"code\":500,\"message\":\"Internal error encountered.\"}}"));

        ErrorChunk error = (ErrorChunk) out.get(0);
        assertThat(error.error().code()).isEqualTo("500");
        assertThat(error.error().message()).isEqualTo("Internal error encountered.");
        assertThat(error.error().retryable()).isTrue();
        assertThat(error.error().status()).isEqualTo(OptionalInt.of(500));
        assertThat(out).hasSize(2);
    }

    @Test
    void aNonRetryableErrorStatusIsNotRetryable() {
        decodeSse(event("{\"error\":{\"code\":400,\"message\":\"Bad\",\"status\":\"INVALID_ARGUMENT\"}}"));

        assertThat(((ErrorChunk) out.get(0)).error().retryable()).isFalse();
        assertThat(((ErrorChunk) out.get(0)).error().code()).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void anSseEventBeyondTheLimitThrows() {
        StreamDecoder decoder = GeminiStreamDecoder.sse(CONTEXT, new SseLimits(64, 64));

        assertThatThrownBy(() -> feed(decoder, "data: " + "x".repeat(100), out))
                .isInstanceOf(SseLimitExceededException.class);
    }

    @Test
    void arrayElementsAreEmittedAsSoonAsTheyClose() {
        StreamDecoder decoder = new GeminiStreamDecoder(CONTEXT);
        feed(decoder, "[{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a } ] \\\" {\"}]}}]}\r\n", out);

        assertThat(out).containsExactly(ContentChunk.of("a } ] \" {"));

        feed(decoder, ",\r\n{\"candidates\":[{\"finishReason\":\"STOP\"}]}\r\n]", out);

        assertThat(out).hasSize(2);
        assertThat(done(out).finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(decoder.isDone()).isTrue();
        decoder.end(out::add);
        assertThat(out).hasSize(2);
    }

    @Test
    void anArrayCutInsideAnElementIsIncomplete() {
        StreamDecoder decoder = GeminiStreamDecoder.jsonArray(CONTEXT, SseLimits.DEFAULTS);
        feed(decoder, "[{\"candidates\":[{\"finishReason\":\"STOP\"}]}\r\n,\r\n{\"candid", out);
        decoder.end(out::add);

        assertThat(((ErrorChunk) out.get(0)).error().code()).isEqualTo("incomplete_stream");
    }

    @Test
    void somethingOtherThanAnArrayOfObjectsIsMalformed() {
        StreamDecoder decoder = GeminiStreamDecoder.jsonArray(CONTEXT, SseLimits.DEFAULTS);
        feed(decoder, "[\"text\"]", out);

        assertThat(((ErrorChunk) out.get(0)).error().code()).isEqualTo("malformed_event");
        assertThat(out).hasSize(2);
    }

    @Test
    void anArrayElementBeyondTheLimitThrows() {
        StreamDecoder decoder = GeminiStreamDecoder.jsonArray(CONTEXT, new SseLimits(1024, 100));

        assertThatThrownBy(() -> feed(decoder, "[{\"text\":\"" + "y".repeat(200), out))
                .isInstanceOf(SseLimitExceededException.class);
    }
}
