package io.aistream.server.aisdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.ReasoningState;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.chunk.Usage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reasoning state in the UI stream's {@code providerMetadata}, placed where each provider's AI SDK
 * package places it (read from {@code @ai-sdk/anthropic} 4.0.105, {@code @ai-sdk/amazon-bedrock}
 * 5.0.101, {@code @ai-sdk/google} 4.0.121 and {@code @ai-sdk/openai} 4.0.118).
 */
class UiStreamEncoderStateTest {

    /** The UI chunks after {@code start} and {@code start-step}, up to (without) {@code finish-step}. */
    private static List<String> parts(UiStreamOptions options, StreamChunk... chunks) {
        UiStreamEncoder e = new UiStreamEncoder("st_1", "m1", "p", "mod", options);
        e.start();
        List<String> out = new ArrayList<>();
        for (StreamChunk c : chunks) {
            for (ObjectNode n : e.next(c)) {
                out.add(n.toString());
            }
        }
        for (ObjectNode n : e.next(DoneChunk.of(FinishReason.STOP))) {
            out.add(n.toString());
        }
        return out.subList(0, out.size() - 2);
    }

    private static List<String> parts(StreamChunk... chunks) {
        return parts(UiStreamOptions.DEFAULT, chunks);
    }

    @Test
    void anthropicSignatureIsAnEmptyDeltaEndingItsBlockAndRedactedThinkingIsAPartOfItsOwn() {
        assertThat(parts(
                        ReasoningChunk.of("Let me"),
                        ReasoningChunk.of(" think."),
                        ReasoningChunk.of("", ReasoningState.signature(ReasoningState.ANTHROPIC, "sig-1")),
                        ReasoningChunk.of("", ReasoningState.redacted(ReasoningState.ANTHROPIC, "red-1")),
                        ReasoningChunk.of("More."),
                        ContentChunk.of("Checking.")))
                .containsExactly(
                        "{\"type\":\"reasoning-start\",\"id\":\"reasoning-0\"}",
                        "{\"type\":\"reasoning-delta\",\"id\":\"reasoning-0\",\"delta\":\"Let me\"}",
                        "{\"type\":\"reasoning-delta\",\"id\":\"reasoning-0\",\"delta\":\" think.\"}",
                        "{\"type\":\"reasoning-delta\",\"id\":\"reasoning-0\",\"delta\":\"\","
                                + "\"providerMetadata\":{\"anthropic\":{\"signature\":\"sig-1\"}}}",
                        "{\"type\":\"reasoning-end\",\"id\":\"reasoning-0\"}",
                        "{\"type\":\"reasoning-start\",\"id\":\"reasoning-1\","
                                + "\"providerMetadata\":{\"anthropic\":{\"redactedData\":\"red-1\"}}}",
                        "{\"type\":\"reasoning-end\",\"id\":\"reasoning-1\"}",
                        "{\"type\":\"reasoning-start\",\"id\":\"reasoning-2\"}",
                        "{\"type\":\"reasoning-delta\",\"id\":\"reasoning-2\",\"delta\":\"More.\"}",
                        "{\"type\":\"reasoning-end\",\"id\":\"reasoning-2\"}",
                        "{\"type\":\"text-start\",\"id\":\"text-3\"}",
                        "{\"type\":\"text-delta\",\"id\":\"text-3\",\"delta\":\"Checking.\"}",
                        "{\"type\":\"text-end\",\"id\":\"text-3\"}");
    }

    @Test
    void aSignatureWithoutThinkingTextStillOpensItsPart() {
        // Claude's omitted thinking: a thinking block with a signature and no text
        assertThat(parts(ReasoningChunk.of("", ReasoningState.signature(ReasoningState.ANTHROPIC, "s"))))
                .containsExactly(
                        "{\"type\":\"reasoning-start\",\"id\":\"reasoning-0\"}",
                        "{\"type\":\"reasoning-delta\",\"id\":\"reasoning-0\",\"delta\":\"\","
                                + "\"providerMetadata\":{\"anthropic\":{\"signature\":\"s\"}}}",
                        "{\"type\":\"reasoning-end\",\"id\":\"reasoning-0\"}");
    }

    @Test
    void bedrockWritesBothOfThePackagesKeys() {
        String sig = "{\"bedrock\":{\"signature\":\"bs\"},\"amazonBedrock\":{\"signature\":\"bs\"}}";
        String red =
                "{\"bedrock\":{\"redactedContent\":\"YmluYXJ5\"},\"amazonBedrock\":{\"redactedContent\":\"YmluYXJ5\"}}";
        assertThat(parts(
                        ReasoningChunk.of("b"),
                        ReasoningChunk.of("", ReasoningState.signature(ReasoningState.BEDROCK, "bs")),
                        ReasoningChunk.of("", ReasoningState.redacted(ReasoningState.BEDROCK, "YmluYXJ5"))))
                .containsExactly(
                        "{\"type\":\"reasoning-start\",\"id\":\"reasoning-0\"}",
                        "{\"type\":\"reasoning-delta\",\"id\":\"reasoning-0\",\"delta\":\"b\"}",
                        "{\"type\":\"reasoning-delta\",\"id\":\"reasoning-0\",\"delta\":\"\",\"providerMetadata\":"
                                + sig + "}",
                        "{\"type\":\"reasoning-end\",\"id\":\"reasoning-0\"}",
                        "{\"type\":\"reasoning-start\",\"id\":\"reasoning-1\"}",
                        "{\"type\":\"reasoning-end\",\"id\":\"reasoning-1\",\"providerMetadata\":" + red + "}");
    }

    @Test
    void openAiItemsGoOnStartAndEndAndAnItemWithoutSummaryIsAnEmptyPart() {
        String item1 = "{\"openai\":{\"itemId\":\"rs_1\",\"reasoningEncryptedContent\":null}}";
        String item2 = "{\"openai\":{\"itemId\":\"rs_2\",\"reasoningEncryptedContent\":\"enc\"}}";
        assertThat(parts(
                        ReasoningChunk.of("", ReasoningState.openAiItem("rs_1", Optional.empty())),
                        ReasoningChunk.of("sum"),
                        ReasoningChunk.of("", ReasoningState.openAiItem("rs_2", Optional.of("enc")))))
                .containsExactly(
                        "{\"type\":\"reasoning-start\",\"id\":\"reasoning-0\",\"providerMetadata\":" + item1 + "}",
                        "{\"type\":\"reasoning-end\",\"id\":\"reasoning-0\",\"providerMetadata\":" + item1 + "}",
                        "{\"type\":\"reasoning-start\",\"id\":\"reasoning-1\"}",
                        "{\"type\":\"reasoning-delta\",\"id\":\"reasoning-1\",\"delta\":\"sum\"}",
                        "{\"type\":\"reasoning-end\",\"id\":\"reasoning-1\",\"providerMetadata\":" + item2 + "}");
    }

    @Test
    void googleThoughtSignaturesRideOnTheirDeltasAndOnTheToolCall() {
        ReasoningState gs1 = ReasoningState.signature(ReasoningState.GOOGLE, "gs1");
        ReasoningState gs2 = ReasoningState.signature(ReasoningState.GOOGLE, "gs2");
        ReasoningState gs3 = ReasoningState.signature(ReasoningState.GOOGLE, "gs3");
        ReasoningState gs4 = ReasoningState.signature(ReasoningState.GOOGLE, "gs4");
        assertThat(parts(
                        ReasoningChunk.of("th", gs1),
                        ContentChunk.of("It is"),
                        ContentChunk.of("", gs2),
                        ContentChunk.of("x", gs4), // a second state: a new run, as Accumulator makes it
                        ToolCallChunk.of(ToolCallDelta.start(0, "c1", "f", "{\"a\":1}"), gs3)))
                .containsExactly(
                        "{\"type\":\"reasoning-start\",\"id\":\"reasoning-0\",\"providerMetadata\":{\"google\":{\"thoughtSignature\":\"gs1\"}}}",
                        "{\"type\":\"reasoning-delta\",\"id\":\"reasoning-0\",\"delta\":\"th\",\"providerMetadata\":{\"google\":{\"thoughtSignature\":\"gs1\"}}}",
                        "{\"type\":\"reasoning-end\",\"id\":\"reasoning-0\"}",
                        "{\"type\":\"text-start\",\"id\":\"text-1\"}",
                        "{\"type\":\"text-delta\",\"id\":\"text-1\",\"delta\":\"It is\"}",
                        "{\"type\":\"text-delta\",\"id\":\"text-1\",\"delta\":\"\",\"providerMetadata\":{\"google\":{\"thoughtSignature\":\"gs2\"}}}",
                        "{\"type\":\"text-end\",\"id\":\"text-1\"}",
                        "{\"type\":\"text-start\",\"id\":\"text-2\",\"providerMetadata\":{\"google\":{\"thoughtSignature\":\"gs4\"}}}",
                        "{\"type\":\"text-delta\",\"id\":\"text-2\",\"delta\":\"x\",\"providerMetadata\":{\"google\":{\"thoughtSignature\":\"gs4\"}}}",
                        "{\"type\":\"text-end\",\"id\":\"text-2\"}",
                        "{\"type\":\"tool-input-start\",\"toolCallId\":\"c1\",\"toolName\":\"f\"}",
                        "{\"type\":\"tool-input-delta\",\"toolCallId\":\"c1\",\"inputTextDelta\":\"{\\\"a\\\":1}\"}",
                        "{\"type\":\"tool-input-available\",\"toolCallId\":\"c1\",\"toolName\":\"f\",\"input\":{\"a\":1},"
                                + "\"providerMetadata\":{\"google\":{\"thoughtSignature\":\"gs3\"}}}");
    }

    @Test
    void theGatewaysOwnMetadataOnEndChunksRepeatsTheStateItWouldOtherwiseReplace() {
        String aistream = "\"aistream\":{\"streamId\":\"st_1\",\"provider\":\"p\",\"model\":\"mod\"}";
        assertThat(parts(
                        new UiStreamOptions(false, true),
                        ReasoningChunk.of("r"),
                        ReasoningChunk.of("", ReasoningState.signature(ReasoningState.ANTHROPIC, "s")),
                        ToolCallChunk.of(
                                ToolCallDelta.start(0, "c", "f", "{}"),
                                ReasoningState.signature(ReasoningState.GOOGLE, "g"))))
                .containsExactly(
                        "{\"type\":\"reasoning-start\",\"id\":\"reasoning-0\"}",
                        "{\"type\":\"reasoning-delta\",\"id\":\"reasoning-0\",\"delta\":\"r\"}",
                        "{\"type\":\"reasoning-delta\",\"id\":\"reasoning-0\",\"delta\":\"\","
                                + "\"providerMetadata\":{\"anthropic\":{\"signature\":\"s\"}}}",
                        "{\"type\":\"reasoning-end\",\"id\":\"reasoning-0\","
                                + "\"providerMetadata\":{\"anthropic\":{\"signature\":\"s\"}," + aistream + "}}",
                        "{\"type\":\"tool-input-start\",\"toolCallId\":\"c\",\"toolName\":\"f\"}",
                        "{\"type\":\"tool-input-delta\",\"toolCallId\":\"c\",\"inputTextDelta\":\"{}\"}",
                        "{\"type\":\"tool-input-available\",\"toolCallId\":\"c\",\"toolName\":\"f\",\"input\":{},"
                                + "\"providerMetadata\":{\"google\":{\"thoughtSignature\":\"g\"}," + aistream + "}}");
    }

    @Test
    void theFinishCarriesTheUsageBreakdownAndTheCost() {
        UiStreamEncoder e = new UiStreamEncoder("st_1", "m1", "p", "mod", UiStreamOptions.DEFAULT);
        e.start();
        DoneChunk done = DoneChunk.of(FinishReason.STOP, new Usage(120, 40, 160, 100, 0, 12), "p", "mod")
                .withCost(Optional.of(new BigDecimal("0.000420")));
        assertThat(e.next(done).getLast().toString())
                .isEqualTo("{\"type\":\"finish\",\"messageMetadata\":{\"streamId\":\"st_1\",\"finishReason\":\"stop\","
                        + "\"usage\":{\"inputTokens\":120,\"outputTokens\":40,\"totalTokens\":160,"
                        + "\"cacheReadTokens\":100,\"reasoningTokens\":12},\"cost\":0.000420,"
                        + "\"provider\":\"p\",\"model\":\"mod\"}}");
    }
}
