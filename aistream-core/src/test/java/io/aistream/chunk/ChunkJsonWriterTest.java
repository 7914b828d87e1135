package io.aistream.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkJsonWriterTest {

    @Test
    void escapesEveryControlCharacterQuoteAndBackslashLikeJackson() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            all.append(c);
        }
        all.append("\"\\/\u007f");
        ContentChunk chunk = new ContentChunk("s", 0, all.toString());

        String json = ChunkJson.toJson(chunk);

        assertThat(json)
                .isEqualTo("{\"id\":\"s\",\"seq\":0,\"type\":\"content\",\"delta\":\""
                        + "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000B\\f\\r\\u000E\\u000F"
                        + "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001A\\u001B\\u001C\\u001D"
                        + "\\u001E\\u001F\\\"\\\\/\u007f\"}");
        assertThat(ChunkJson.toJsonBytes(chunk)).isEqualTo(ChunkJsonTest.viaJacksonGenerator(chunk));
        assertThat(ChunkJson.parse(json)).isEqualTo(chunk);
    }

    @Test
    void escapesLoneSurrogatesAndEncodesPairsAsFourByteUtf8() {
        String[] cases = {
            "\uD800",
            "a\uD83D",
            "\uDE00b",
            "\uDE00\uD83D",
            "\uD83D\uD83D\uDE00",
            "\uD83D\uDE00\uDE00",
            "x\uD83D\uDE00y",
            "\uDBFF\uDFFF"
        };
        for (String s : cases) {
            ContentChunk chunk = new ContentChunk("s", 1, s);
            byte[] bytes = ChunkJson.toJsonBytes(chunk);
            assertThat(bytes)
                    .as("%s", s.chars().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(ChunkJsonTest.viaJacksonGenerator(chunk));
            assertThat(ChunkJson.parse(bytes)).isEqualTo(chunk);
        }
        assertThat(ChunkJson.toJson(new ContentChunk("s", 1, "a\uD83D"))).endsWith("\"a\\uD83D\"}");
        assertThat(ChunkJson.toJsonBytes(new ContentChunk("s", 1, "\uD83D\uDE00")))
                .endsWith(0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22, 0x7D);
    }

    @Test
    void encodesMultiByteBoundariesLikeJackson() {
        ContentChunk chunk = new ContentChunk("s", 1, "\u0080\u07ff\u0800\ud7ff\ue000\uffff€ü日本\u2028\u2029");
        assertThat(ChunkJson.toJsonBytes(chunk)).isEqualTo(ChunkJsonTest.viaJacksonGenerator(chunk));
        assertThat(ChunkJson.parse(ChunkJson.toJsonBytes(chunk))).isEqualTo(chunk);
    }

    @Test
    void writesExtremeNumbersLikeJackson() {
        for (long seq : new long[] {0, 9, 10, 99, 100, Long.MAX_VALUE, -1, -10, Long.MIN_VALUE}) {
            ContentChunk chunk = new ContentChunk("s", seq, "");
            assertThat(ChunkJson.toJsonBytes(chunk))
                    .as("seq %d", seq)
                    .isEqualTo(ChunkJsonTest.viaJacksonGenerator(chunk));
        }
    }

    @Test
    void reusesItsBufferAndGrowsForLargeChunks() throws IOException {
        ChunkJsonWriter writer = new ChunkJsonWriter(16);
        String big = "ab\"c€\uD83D\uDE00".repeat(10_000);

        int bigLength = writer.encode(new ContentChunk("st_1", 1, big));
        assertThat(ChunkJson.parse(writer.toByteArray())).isEqualTo(new ContentChunk("st_1", 1, big));
        assertThat(bigLength).isEqualTo(writer.length()).isGreaterThan(big.length());

        int small = writer.encode(new ContentChunk("st_1", 2, "x"));
        String expected = "{\"id\":\"st_1\",\"seq\":2,\"type\":\"content\",\"delta\":\"x\"}";
        assertThat(small).isEqualTo(expected.length());
        assertThat(writer.asString()).isEqualTo(expected);
        assertThat(new String(writer.buffer(), 0, writer.length(), StandardCharsets.UTF_8))
                .isEqualTo(expected);
        assertThat(writer.buffer().length).as("a huge buffer is given back").isLessThanOrEqualTo(64 * 1024);
        assertThat(StandardCharsets.UTF_8.decode(writer.byteBuffer()).toString())
                .isEqualTo(expected);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.writeTo(out);
        writer.writeTo(out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected + expected);
    }

    @Test
    void steadyStateEncodingReusesTheSameArray() {
        ChunkJsonWriter writer = new ChunkJsonWriter();
        ContentChunk chunk = new ContentChunk("st_1", 7, "Hello, world");
        writer.encode(chunk);
        byte[] first = writer.buffer();
        for (int i = 0; i < 1000; i++) {
            writer.encode(chunk.withPosition("st_1", i));
        }
        assertThat(writer.buffer()).isSameAs(first);
    }
}
