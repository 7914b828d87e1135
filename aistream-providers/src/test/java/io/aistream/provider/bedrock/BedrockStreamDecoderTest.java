package io.aistream.provider.bedrock;

import static io.aistream.provider.testing.ProviderFixtures.decoder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.AIStreamException;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.ReasoningState;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.Usage;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.testing.FixtureHarness;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BedrockStreamDecoderTest {
    private static final DecoderContext CONTEXT = new DecoderContext("my-bedrock", "amazon.nova-pro-v1:0");

    private static List<StreamChunk> decode(byte[] body, int readSize) {
        return decode(new BedrockStreamDecoder(CONTEXT), body, readSize);
    }

    private static List<StreamChunk> decode(BedrockStreamDecoder decoder, byte[] body, int readSize) {
        int n = readSize <= 0 ? 0 : (body.length - 1) / readSize;
        int[] cuts = new int[Math.max(n, 0)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = (i + 1) * readSize;
        }
        return FixtureHarness.decode(decoder(decoder), body, cuts);
    }

    private static ChunkError error(List<StreamChunk> chunks) {
        return chunks.stream()
                .filter(ErrorChunk.class::isInstance)
                .map(c -> ((ErrorChunk) c).error())
                .findFirst()
                .orElseThrow();
    }

    private static DoneChunk done(List<StreamChunk> chunks) {
        assertThat(chunks.stream().filter(DoneChunk.class::isInstance).count()).isEqualTo(1);
        assertThat(chunks.get(chunks.size() - 1)).isInstanceOf(DoneChunk.class);
        return (DoneChunk) chunks.get(chunks.size() - 1);
    }

    private static String text(List<StreamChunk> chunks) {
        StringBuilder sb = new StringBuilder();
        chunks.stream().filter(ContentChunk.class::isInstance).forEach(c -> sb.append(((ContentChunk) c).delta()));
        return sb.toString();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5})
    void corruptMessageCrcIsAMalformedEventThenDoneWithError(int readSize) {
        byte[] bad = Frames.eventFrame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"lost\"}}");
        bad[bad.length - 1] ^= 0x01;
        byte[] body = new Frames()
                .text("kept")
                .add(bad)
                .text("never")
                .stop("end_turn")
                .usage(1, 2, 3)
                .bytes();

        List<StreamChunk> chunks = decode(body, readSize);

        assertThat(text(chunks)).isEqualTo("kept");
        ChunkError error = error(chunks);
        assertThat(error.code()).isEqualTo("malformed_event");
        assertThat(error.message()).contains("checksum");
        assertThat(error.provider()).contains("my-bedrock");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void corruptPreludeCrcIsAMalformedEvent() {
        byte[] bad = Frames.eventFrame("messageStart", "{\"role\":\"assistant\"}");
        bad[9] ^= 0x40;

        List<StreamChunk> chunks = decode(new Frames().add(bad).stop("end_turn").bytes(), 3);

        assertThat(error(chunks).code()).isEqualTo("malformed_event");
        assertThat(error(chunks).message()).contains("prelude");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void frameLargerThanTheLimitFailsBeforeItsBodyIsBufferedAndKeepsFailing() {
        BedrockStreamDecoder decoder = new BedrockStreamDecoder(CONTEXT, 128);
        byte[] big = Frames.eventFrame(
                "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + "x".repeat(500) + "\"}}");
        List<StreamChunk> out = new ArrayList<>();

        assertThatThrownBy(() -> decoder.feed(big, 0, 12, out::add))
                .isInstanceOfSatisfying(
                        AIStreamException.class, e -> assertThat(e.code()).isEqualTo("event_too_large"))
                .hasMessageContaining("128");
        assertThatThrownBy(() -> decoder.feed(big, 12, 1, out::add)).isInstanceOf(AIStreamException.class);
        assertThatThrownBy(() -> decoder.end(out::add)).isInstanceOf(AIStreamException.class);
        assertThat(out).isEmpty();
    }

    @Test
    void frameAtTheLimitIsAccepted() {
        byte[] frame = Frames.eventFrame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"hi\"}}");
        byte[] body = new Frames().add(frame).stop("end_turn").bytes(); // the stop frame is the smaller one

        List<StreamChunk> chunks = decode(new BedrockStreamDecoder(CONTEXT, frame.length), body, 7);

        assertThat(text(chunks)).isEqualTo("hi");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void bodyCutInsideAFrameIsAnIncompleteStream() {
        byte[] body = new Frames().text("partial").text("cut here").bytes();

        List<StreamChunk> chunks = decode(Arrays.copyOf(body, body.length - 5), 2);

        assertThat(text(chunks)).isEqualTo("partial");
        assertThat(error(chunks).code()).isEqualTo("incomplete_stream");
        assertThat(error(chunks).retryable()).isTrue();
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void bodyEndingBeforeMessageStopIsAnIncompleteStream() {
        List<StreamChunk> chunks = decode(new Frames().text("Hello").bytes(), 0);

        assertThat(error(chunks).code()).isEqualTo("incomplete_stream");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void doneWaitsForMetadataAfterMessageStopAndCarriesUsageProviderAndModel() {
        BedrockStreamDecoder decoder = new BedrockStreamDecoder(CONTEXT);
        List<StreamChunk> out = new ArrayList<>();
        byte[] first = new Frames().text("Hi").stop("end_turn").bytes();
        decoder.feed(first, 0, first.length, out::add);
        assertThat(decoder.isDone()).isFalse();

        byte[] rest = new Frames().usage(12, 40, 55).text("ignored after done").bytes();
        decoder.feed(rest, 0, rest.length, out::add);
        assertThat(decoder.isDone()).isTrue();
        decoder.end(out::add);

        DoneChunk done = done(out);
        assertThat(text(out)).isEqualTo("Hi");
        assertThat(done.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(done.usage()).contains(new Usage(12, 40, 55));
        assertThat(done.provider()).contains("my-bedrock");
        assertThat(done.model()).contains("amazon.nova-pro-v1:0");
    }

    @Test
    void messageStopWithoutMetadataEndsAtEndOfBodyWithoutUsage() {
        BedrockStreamDecoder decoder = new BedrockStreamDecoder(CONTEXT);
        List<StreamChunk> chunks =
                decode(decoder, new Frames().text("Hi").stop("max_tokens").bytes(), 1);

        DoneChunk done = done(chunks);
        assertThat(done.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(done.usage()).isEmpty();
        assertThat(chunks).noneMatch(ErrorChunk.class::isInstance);
    }

    @Test
    void usageWithoutTotalAddsInputAndOutput() {
        byte[] body = new Frames()
                .stop("end_turn")
                .event("metadata", "{\"usage\":{\"inputTokens\":3,\"outputTokens\":4}}")
                .bytes();

        assertThat(done(decode(body, 0)).usage()).contains(new Usage(3, 4, 7));
    }

    @ParameterizedTest
    @CsvSource({
        "end_turn, stop",
        "stop_sequence, stop",
        "max_tokens, length",
        "model_context_window_exceeded, length",
        "tool_use, tool_calls",
        "guardrail_intervened, content_filter",
        "content_filtered, content_filter",
        "malformed_model_output, other",
        "malformed_tool_use, other",
        "something_new, other"
    })
    void stopReasonsMapOntoFinishReasons(String stopReason, String finishReason) {
        byte[] body = new Frames().text("x").stop(stopReason).usage(1, 1, 2).bytes();

        assertThat(done(decode(body, 0)).finishReason().wireName()).isEqualTo(finishReason);
    }

    @Test
    void endTurnWithToolCallsBecomesToolCallsAndCallsAreIndexedByFirstAppearance() {
        byte[] body = new Frames()
                .event(
                        "contentBlockStart",
                        "{\"contentBlockIndex\":3,\"start\":{\"toolUse\":{\"toolUseId\":\"t1\",\"name\":\"a\"}}}")
                .event(
                        "contentBlockStart",
                        "{\"contentBlockIndex\":1,\"start\":{\"toolUse\":{\"toolUseId\":\"t2\",\"name\":\"b\"}}}")
                .event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"{}\"}}}")
                .event(
                        "contentBlockDelta",
                        "{\"contentBlockIndex\":3,\"delta\":{\"toolUse\":{\"input\":\"{\\\"x\\\":1}\"}}}")
                .event(
                        "contentBlockDelta",
                        "{\"contentBlockIndex\":5,\"delta\":{\"toolUse\":{\"input\":\"{\\\"orphan\\\":true}\"}}}")
                .stop("end_turn")
                .usage(1, 1, 2)
                .bytes();

        List<StreamChunk> chunks = decode(body, 0);

        List<ToolCallChunk> calls = chunks.stream()
                .filter(ToolCallChunk.class::isInstance)
                .map(ToolCallChunk.class::cast)
                .toList();
        assertThat(calls).extracting(c -> c.toolCall().index()).containsExactly(0, 1, 1, 0, 2);
        assertThat(calls.get(0).toolCall().callId()).contains("t1");
        assertThat(calls.get(1).toolCall().name()).contains("b");
        assertThat(calls.get(3).toolCall().argumentsDelta()).isEqualTo("{\"x\":1}");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }

    @Test
    void throttlingExceptionFrameIsARetryableErrorWithItsTypeAsCode() {
        byte[] body = new Frames()
                .text("Hel")
                .add(Frames.exceptionFrame("throttlingException", "{\"message\":\"Too many requests, please wait.\"}"))
                .bytes();

        List<StreamChunk> chunks = decode(body, 3);

        assertThat(error(chunks))
                .isEqualTo(new ChunkError(
                        "throttlingException",
                        "Too many requests, please wait.",
                        true,
                        Optional.of("my-bedrock"),
                        OptionalInt.of(429)));
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void validationExceptionIsNotRetryable() {
        List<StreamChunk> chunks =
                decode(Frames.exceptionFrame("validationException", "{\"message\":\"bad input\"}"), 0);

        assertThat(error(chunks).code()).isEqualTo("validationException");
        assertThat(error(chunks).retryable()).isFalse();
        assertThat(error(chunks).status()).hasValue(400);
    }

    @Test
    void exceptionFrameWithoutJsonKeepsItsRawText() {
        List<StreamChunk> chunks = decode(Frames.exceptionFrame("internalServerException", "upstream exploded"), 0);

        assertThat(error(chunks).message()).isEqualTo("upstream exploded");
        assertThat(error(chunks).retryable()).isTrue();
    }

    @Test
    void errorMessageTypeUsesItsErrorCodeAndMessageHeaders() {
        byte[] frame = Frames.frame(
                Map.of(":message-type", "error", ":error-code", "InternalFailure", ":error-message", "it broke"), "");

        List<StreamChunk> chunks = decode(frame, 1);

        assertThat(error(chunks).code()).isEqualTo("InternalFailure");
        assertThat(error(chunks).message()).isEqualTo("it broke");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void invalidJsonInAnEventIsAMalformedEventNamingTheEvent() {
        byte[] body = new Frames()
                .text("ok")
                .event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":")
                .bytes();

        List<StreamChunk> chunks = decode(body, 0);

        assertThat(error(chunks).code()).isEqualTo("malformed_event");
        assertThat(error(chunks).message()).contains("contentBlockDelta");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.ERROR);
    }

    @Test
    void unknownEventsMessageTypesAndNonTextDeltasAreSkipped() {
        byte[] body = new Frames()
                .event("somethingNew", "{\"a\":1}")
                .add(Frames.frame(Map.of(":message-type", "ping"), ""))
                .event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"citation\":{\"title\":\"t\"}}}")
                .text("answer")
                .stop("end_turn")
                .usage(1, 1, 2)
                .bytes();

        List<StreamChunk> chunks = decode(body, 0);

        assertThat(chunks).hasSize(2);
        assertThat(text(chunks)).isEqualTo("answer");
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void reasoningSignatureAndRedactedContentBecomeBedrockReasoningState() {
        byte[] body = new Frames()
                .event(
                        "contentBlockDelta",
                        "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"text\":\"hmm\"}}}")
                .event(
                        "contentBlockDelta",
                        "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"signature\":\"sig\"}}}")
                .event(
                        "contentBlockDelta",
                        "{\"contentBlockIndex\":1,\"delta\":{\"reasoningContent\":{\"redactedContent\":\"AQID\"}}}")
                .text("answer")
                .stop("end_turn")
                .usage(1, 1, 2)
                .bytes();

        List<StreamChunk> chunks = decode(body, 0);

        assertThat(chunks.subList(0, 4))
                .containsExactly(
                        ReasoningChunk.of("hmm"),
                        ReasoningChunk.of("", ReasoningState.signature(ReasoningState.BEDROCK, "sig")),
                        ReasoningChunk.of("", ReasoningState.redacted(ReasoningState.BEDROCK, "AQID")),
                        ContentChunk.of("answer"));
        assertThat(done(chunks).finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void cacheCountsAreAddedToTheInputAndBrokenOut() {
        byte[] body = new Frames()
                .text("ok")
                .stop("end_turn")
                .event(
                        "metadata",
                        "{\"usage\":{\"inputTokens\":12,\"outputTokens\":5,\"totalTokens\":17,"
                                + "\"cacheReadInputTokens\":1000,\"cacheWriteInputTokens\":200}}")
                .bytes();

        DoneChunk done = done(decode(body, 3));

        // the reported total (17) leaves the cache out: input (1212) + output
        assertThat(done.usage()).contains(new Usage(1212, 5, 1217, 1000, 200, 0));
        assertThat(done.usage().orElseThrow().uncachedInputTokens()).isEqualTo(12);
    }

    @Test
    void usageSoFarIsEmptyUntilTheMetadataEvent() {
        BedrockStreamDecoder decoder = new BedrockStreamDecoder(CONTEXT);
        List<StreamChunk> out = new ArrayList<>();
        byte[] answer = new Frames().text("partial").stop("end_turn").bytes();

        decoder.feed(answer, 0, answer.length, out::add);
        assertThat(decoder.usageSoFar()).isEmpty();

        byte[] metadata = new Frames().usage(30, 4, 34).bytes();
        decoder.feed(metadata, 0, metadata.length, out::add);
        assertThat(decoder.usageSoFar()).contains(new Usage(30, 4, 34));
    }
}
