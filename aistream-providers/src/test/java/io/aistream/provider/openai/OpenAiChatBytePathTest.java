package io.aistream.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.sse.SseDecoder;
import io.aistream.sse.SseLimitExceededException;
import io.aistream.sse.SseLimits;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decoder's byte path (event data parsed in place from the SSE buffer) against its String path
 * (each event's data decoded to a String first, as before): the same chunks for every body and every
 * way of splitting it into reads.
 */
class OpenAiChatBytePathTest {
    private static final DecoderContext CONTEXT = new DecoderContext("openai", "gpt-4o");

    private static String chunk(String deltaJson) {
        return "data: {\"id\":\"c\",\"model\":\"gpt-4o-x\",\"choices\":[{\"index\":0,\"delta\":" + deltaJson
                + ",\"finish_reason\":null}]}\n\n";
    }

    /** The String path: the SSE layer builds the data String and the decoder parses it. */
    private static List<StreamChunk> viaStrings(byte[] body, SseLimits limits) {
        OpenAiChatDecoder decoder = new OpenAiChatDecoder(CONTEXT, limits);
        List<StreamChunk> out = new ArrayList<>();
        SseDecoder sse = new SseDecoder(
                e -> {
                    if (!decoder.isDone()) {
                        decoder.onData(e.data(), out::add);
                    }
                },
                limits);
        sse.feed(body);
        sse.end();
        decoder.end(out::add);
        return out;
    }

    /** The byte path, the body fed in reads split at {@code cuts}. */
    private static List<StreamChunk> viaBytes(byte[] body, int[] cuts, SseLimits limits) {
        OpenAiChatDecoder decoder = new OpenAiChatDecoder(CONTEXT, limits);
        List<StreamChunk> out = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            decoder.feed(body, from, cut - from, out::add);
            from = cut;
        }
        decoder.feed(body, from, body.length - from, out::add);
        decoder.end(out::add);
        return out;
    }

    private static void assertSameAtEverySplit(String body) {
        assertSameAtEverySplit(body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertSameAtEverySplit(byte[] body) {
        List<StreamChunk> expected = viaStrings(body, SseLimits.DEFAULTS);
        assertThat(viaBytes(body, new int[0], SseLimits.DEFAULTS)).isEqualTo(expected);
        for (int cut = 1; cut < body.length; cut++) {
            assertThat(viaBytes(body, new int[] {cut}, SseLimits.DEFAULTS))
                    .as("split at byte %d", cut)
                    .isEqualTo(expected);
        }
        int[] everyByte = new int[Math.max(0, body.length - 1)];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertThat(viaBytes(body, everyByte, SseLimits.DEFAULTS))
                .as("one byte per read")
                .isEqualTo(expected);
    }

    @Test
    void textDeltasWithUnicodeAndEscapesDecodeTheSameAtEverySplit() {
        String body = chunk("{\"role\":\"assistant\",\"content\":\"\"}")
                + chunk("{\"content\":\"plain \"}")
                + chunk("{\"content\":\"é ß € 中文 😀 𝄞\"}")
                + chunk("{\"content\":\"\\u00e9\\u20AC\\ud83d\\ude00 \\\"q\\\" \\\\ \\/ \\n\\t\"}")
                + chunk("{\"content\":\"raw 😀 then escaped \\ud83d\\ude00 then lone \\ud800!\"}")
                + chunk("{\"reasoning_content\":\"thinking… 🤔\"}")
                + "data: {\"id\":\"c\",\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5,\"total_tokens\":8}}\n\n"
                + "data: [DONE]\n\n";
        assertSameAtEverySplit(body);
        List<StreamChunk> chunks = viaBytes(body.getBytes(StandardCharsets.UTF_8), new int[0], SseLimits.DEFAULTS);
        assertThat(chunks.stream().filter(ContentChunk.class::isInstance).map(c -> ((ContentChunk) c).delta()))
                .containsExactly(
                        "plain ", "é ß € 中文 😀 𝄞", "é€😀 \"q\" \\ / \n\t", "raw 😀 then escaped 😀 then lone \ud800!");
    }

    @Test
    void toolCallsNamedEventsCrlfAndBlankDataDecodeTheSame() {
        assertSameAtEverySplit(chunk(
                        "{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"wëather\",\"arguments\":\"\"}}]}")
                + chunk(
                        "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Zürich\\\"}\"}}]}")
                + chunk(
                        "{\"tool_calls\":[{\"index\":1,\"id\":\"call_2\",\"function\":{\"name\":\"f\",\"arguments\":{\"a\":[1,\"ü\"]}}}]}")
                + "event: surprise\r\ndata: {\"choices\":[{\"delta\":{\"content\":\"named\"}}]}\r\n\r\n"
                + "data:   \n\n"
                + "data:\n\n"
                + ": a comment\n\n"
                + "data:  {\"choices\":[{\"delta\":{\"content\":\"leading space\"}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
                + "data:  [DONE] \n\n");
    }

    @Test
    void malformedJsonReportsTheSameCharacterOffsetAsTheStringPath() {
        String body = chunk("{\"content\":\"😀 é\"}") + "data: {\"choices\":[{\"delta\":{\"content\":\"中文😀\",}}]}\n\n";
        assertSameAtEverySplit(body);
        List<StreamChunk> chunks = viaBytes(body.getBytes(StandardCharsets.UTF_8), new int[0], SseLimits.DEFAULTS);
        assertThat(chunks)
                .filteredOn(ErrorChunk.class::isInstance)
                .first()
                // 39 characters in; the bytes would say 45
                .satisfies(e -> assertThat(((ErrorChunk) e).error().message()).contains("at offset 39"));
    }

    @Test
    void multiLineDataAndErrorsDecodeTheSame() {
        assertSameAtEverySplit("data: {\"choices\":[{\"delta\":\ndata: {\"content\":\"two lines\"}}]}\n\n"
                + "data: {\"error\":{\"message\":\"überlastet\",\"type\":\"server_error\",\"code\":503}}\n\n");
        assertSameAtEverySplit("data: 42\n\n");
        assertSameAtEverySplit("data: [1]\n\n");
        assertSameAtEverySplit("data: {} trailing\n\n");
    }

    @Test
    void illFormedUtf8TakesTheStringPathAndDecodesTheSame() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(chunk("{\"content\":\"ok\"}").getBytes(StandardCharsets.UTF_8));
        body.writeBytes("data: {\"choices\":[{\"delta\":{\"content\":\"bad ".getBytes(StandardCharsets.UTF_8));
        body.writeBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xFF, (byte) 0xE2, (byte) 0x82});
        body.writeBytes("\"}}]}\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        byte[] bytes = body.toByteArray();
        assertSameAtEverySplit(bytes);
        assertThat(viaBytes(bytes, new int[0], SseLimits.DEFAULTS))
                .filteredOn(ContentChunk.class::isInstance)
                .extracting(c -> ((ContentChunk) c).delta())
                .containsExactly("ok", "bad \uFFFD\uFFFD\uFFFD\uFFFD\uFFFD");
    }

    @Test
    void aHugeEventIsStillBoundedByTheSseLimits() {
        SseLimits limits = new SseLimits(8192, 12_000);
        String big = chunk("{\"content\":\"" + "é".repeat(3000) + "\"}");
        byte[] fits = big.getBytes(StandardCharsets.UTF_8);
        assertThat(viaBytes(fits, new int[] {1000, 5000}, limits)).isEqualTo(viaStrings(fits, limits));
        byte[] tooBig = ("data: {\"choices\":[{\"delta\":{\"content\":\"" + "x".repeat(7000) + "\"}}]}\n" + "data: "
                        + "y".repeat(7000) + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> viaBytes(tooBig, new int[] {3000}, limits))
                .isInstanceOf(SseLimitExceededException.class);
    }

    @Test
    void usageSoFarIsTheSameInstanceUntilAReportChangesIt() {
        OpenAiChatDecoder decoder = new OpenAiChatDecoder(CONTEXT);
        List<StreamChunk> out = new ArrayList<>();
        assertThat(decoder.usageSoFar()).isEmpty();
        byte[] first = ("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}\n\n")
                .getBytes(StandardCharsets.UTF_8);
        decoder.feed(first, 0, first.length, out::add);
        var usage = decoder.usageSoFar();
        assertThat(usage.orElseThrow().outputTokens()).isEqualTo(1);
        byte[] text = chunk("{\"content\":\"x\"}").getBytes(StandardCharsets.UTF_8);
        decoder.feed(text, 0, text.length, out::add);
        assertThat(decoder.usageSoFar()).isSameAs(usage);
        byte[] second =
                ("data: {\"choices\":[],\"usage\":{\"completion_tokens\":4}}\n\n").getBytes(StandardCharsets.UTF_8);
        decoder.feed(second, 0, second.length, out::add);
        assertThat(decoder.usageSoFar()).isNotSameAs(usage);
        assertThat(decoder.usageSoFar().orElseThrow().outputTokens()).isEqualTo(4);
        assertThat(decoder.usageSoFar().orElseThrow().inputTokens()).isEqualTo(3);
    }

    @Test
    void everyChatFixtureDecodesTheSameOnBothPathsAtEverySplit() throws Exception {
        int checked = 0;
        for (String folder : List.of("openai-chat", "azure-openai", "deepseek", "mistral", "openrouter")) {
            java.nio.file.Path dir = java.nio.file.Path.of("src/test/resources/fixtures/providers", folder);
            try (var files = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".sse"))
                        .sorted()
                        .toList()) {
                    byte[] body = java.nio.file.Files.readAllBytes(file);
                    List<StreamChunk> expected = viaStrings(body, SseLimits.DEFAULTS);
                    int step = Math.max(1, body.length / 300); // a few hundred split points per transcript
                    for (int cut = 0; cut <= body.length; cut += step) {
                        assertThat(viaBytes(body, cut == 0 ? new int[0] : new int[] {cut}, SseLimits.DEFAULTS))
                                .as("%s split at %d", file, cut)
                                .isEqualTo(expected);
                    }
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(10);
    }
}
