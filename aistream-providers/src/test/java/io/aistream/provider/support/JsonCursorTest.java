package io.aistream.provider.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.provider.support.JsonCursor.MalformedJsonException;
import io.aistream.provider.support.JsonCursor.Token;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonCursorTest {
    /**
     * Every token of {@code json} with its text where it has one, e.g. {@code NAME:a STRING:x NUMBER_INT:1};
     * read from the String and from its UTF-8 bytes (placed inside a larger array), which must agree,
     * errors included.
     */
    private static List<String> tokens(JsonCursor c, String json) {
        List<String> fromString;
        try {
            c.reset(json);
            fromString = read(c);
        } catch (MalformedJsonException e) {
            byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> {
                        c.reset(padded(utf8), 3, utf8.length);
                        read(c);
                    })
                    .as("the byte path fails like the String path")
                    .isInstanceOf(MalformedJsonException.class)
                    .hasMessage(e.getMessage());
            throw e;
        }
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        if (new String(utf8, StandardCharsets.UTF_8).equals(json)) { // no unpaired surrogate
            c.reset(padded(utf8), 3, utf8.length);
            assertThat(read(c)).as("the byte path reads like the String path").isEqualTo(fromString);
        }
        return fromString;
    }

    /** {@code b} with three bytes of junk before and after it (a quote, a brace, a backslash). */
    private static byte[] padded(byte[] b) {
        byte[] out = new byte[b.length + 6];
        out[0] = out[b.length + 3] = '"';
        out[1] = out[b.length + 4] = '{';
        out[2] = out[b.length + 5] = '\\';
        System.arraycopy(b, 0, out, 3, b.length);
        return out;
    }

    private static List<String> read(JsonCursor c) {
        List<String> out = new ArrayList<>();
        Token t;
        while ((t = c.nextToken()) != null) {
            out.add(
                    switch (t) {
                        case PROPERTY_NAME, STRING, NUMBER_INT, NUMBER_FLOAT -> t + ":" + c.getString();
                        default -> t.toString();
                    });
        }
        return out;
    }

    private static List<String> tokens(String json) {
        return tokens(new JsonCursor(), json);
    }

    @Test
    void readsTheTokensOfAChunk() {
        String json = " {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"logprobs\":null,"
                + "\"finish_reason\":null}],\"usage\":{\"prompt_tokens\":12,\"x\":-0.5e+3,\"ok\":true,\"no\":false},"
                + "\"e\":[],\"o\":{}}\r\n\t";
        assertThat(tokens(json))
                .containsExactly(
                        "START_OBJECT",
                        "PROPERTY_NAME:id",
                        "STRING:c1",
                        "PROPERTY_NAME:choices",
                        "START_ARRAY",
                        "START_OBJECT",
                        "PROPERTY_NAME:index",
                        "NUMBER_INT:0",
                        "PROPERTY_NAME:delta",
                        "START_OBJECT",
                        "PROPERTY_NAME:content",
                        "STRING:Hi",
                        "END_OBJECT",
                        "PROPERTY_NAME:logprobs",
                        "NULL",
                        "PROPERTY_NAME:finish_reason",
                        "NULL",
                        "END_OBJECT",
                        "END_ARRAY",
                        "PROPERTY_NAME:usage",
                        "START_OBJECT",
                        "PROPERTY_NAME:prompt_tokens",
                        "NUMBER_INT:12",
                        "PROPERTY_NAME:x",
                        "NUMBER_FLOAT:-0.5e+3",
                        "PROPERTY_NAME:ok",
                        "TRUE",
                        "PROPERTY_NAME:no",
                        "FALSE",
                        "END_OBJECT",
                        "PROPERTY_NAME:e",
                        "START_ARRAY",
                        "END_ARRAY",
                        "PROPERTY_NAME:o",
                        "START_OBJECT",
                        "END_OBJECT",
                        "END_OBJECT");
    }

    @Test
    void readsScalarRoots() {
        assertThat(tokens("\"x\"")).containsExactly("STRING:x");
        assertThat(tokens(" 42 ")).containsExactly("NUMBER_INT:42");
        assertThat(tokens("null")).containsExactly("NULL");
    }

    @Test
    void decodesEscapes() {
        JsonCursor c = new JsonCursor();
        c.reset("[\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\u20AC\\ud83d\\ude00\\ud800x\\udc00\"]");
        c.nextToken();
        assertThat(c.nextToken()).isEqualTo(Token.STRING);
        String expected = "a\"b\\c/d\b\f\n\r\t\u00e9\u20ac\ud83d\ude00\ud800x\udc00";
        assertThat(c.getString()).isEqualTo(expected);
        assertThat(c.textEquals(expected)).isTrue();
        assertThat(c.textEquals(expected + "!")).isFalse();
        assertThat(c.textEquals("a\"b\\c/d\b\f\n\r\t\u00e9\u20ac\ud83d\ude00\ud800y\udc00"))
                .isFalse();
    }

    @Test
    void passesRawNonAsciiThrough() {
        assertThat(tokens("[\"h\u00e9llo \ud83d\ude00 \ud800\"]"))
                .containsExactly("START_ARRAY", "STRING:h\u00e9llo \ud83d\ude00 \ud800", "END_ARRAY");
    }

    @Test
    void decodesEscapedStringsLongerThanTheScratchBuffer() {
        String text = "\\u00e9\\n".repeat(300);
        JsonCursor c = new JsonCursor();
        c.reset("[\"" + text + "\"]");
        c.nextToken();
        c.nextToken();
        assertThat(c.textEquals("\u00e9\n".repeat(300))).isTrue();
        assertThat(c.getString()).isEqualTo("\u00e9\n".repeat(300));
        c.reset("[\"" + text + text + "\"]");
        c.nextToken();
        c.nextToken();
        assertThat(c.getString()).isEqualTo("\u00e9\n".repeat(600));
    }

    @Test
    void escapedNamesAreDecoded() {
        assertThat(tokens("{\"a\\u0062\":1}"))
                .containsExactly("START_OBJECT", "PROPERTY_NAME:ab", "NUMBER_INT:1", "END_OBJECT");
    }

    @Test
    void textEqualsComparesUnescapedStrings() {
        JsonCursor c = new JsonCursor();
        c.reset("[\"error\",\"\",\"err\"]");
        c.nextToken();
        c.nextToken();
        assertThat(c.textEquals("error")).isTrue();
        assertThat(c.textEquals("")).isFalse();
        c.nextToken();
        assertThat(c.textEquals("")).isTrue();
        c.nextToken();
        assertThat(c.textEquals("error")).isFalse();
    }

    @Test
    void readsIntsAndLongsExactly() {
        JsonCursor c = new JsonCursor();
        c.reset(
                "[0,-0,2147483647,-2147483648,9223372036854775807,-9223372036854775808,2147483648,9223372036854775808]");
        c.nextToken();
        c.nextToken();
        assertThat(c.getIntValue()).isZero();
        c.nextToken();
        assertThat(c.getIntValue()).isZero();
        assertThat(c.getString()).isEqualTo("-0");
        c.nextToken();
        assertThat(c.getIntValue()).isEqualTo(Integer.MAX_VALUE);
        c.nextToken();
        assertThat(c.getIntValue()).isEqualTo(Integer.MIN_VALUE);
        c.nextToken();
        assertThat(c.getLongValue()).isEqualTo(Long.MAX_VALUE);
        c.nextToken();
        assertThat(c.getLongValue()).isEqualTo(Long.MIN_VALUE);
        c.nextToken();
        assertThat(c.getLongValue()).isEqualTo(2147483648L);
        assertThatThrownBy(c::getIntValue)
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("range of int");
        c.nextToken();
        assertThatThrownBy(c::getLongValue)
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("range of long");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "{",
                "[",
                "{\"a\":1,}",
                "[1,]",
                "[,1]",
                "{,}",
                "{\"a\" 1}",
                "{\"a\":1 \"b\":2}",
                "[1 2]",
                "{\"a\"}",
                "{\"a\":}",
                "{a:1}",
                "{'a':1}",
                "['x']",
                "[\"\\x\"]",
                "[\"\\u12g4\"]",
                "[\"\\u12\"]",
                "[\"a\u0001\"]",
                "[\"a\nb\"]",
                "[\"abc",
                "[\"abc\\",
                "[01]",
                "[-01]",
                "[00]",
                "[-]",
                "[1.]",
                "[.5]",
                "[+1]",
                "[1e]",
                "[1e+]",
                "[NaN]",
                "[Infinity]",
                "[-Infinity]",
                "[tru]",
                "[truex]",
                "[nul]",
                "[True]",
                "{}/*c*/",
                "// c\n{}",
                "#\n{}",
                "{} x",
                "{}{}",
                "{}]",
                "[]]",
                "[}",
                "{]",
                "{\"a\":1}}",
                "\u000b{}",
                "{}\u0000",
                "\ufeff{}",
                "[1,,2]",
                "{\"a\":1,,\"b\":2}",
                "[\"\\ud800\\u\"]"
            })
    void rejectsMalformedJson(String json) {
        JsonCursor c = new JsonCursor();
        assertThatThrownBy(() -> tokens(c, json))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageMatching("(?s).* at offset \\d+")
                .satisfies(
                        e -> assertThat(((MalformedJsonException) e).offset()).isBetween(0, json.length()));
    }

    @Test
    void errorsNameTheOffsetAndNeverQuoteTheInput() {
        assertThatThrownBy(() -> tokens("{\"secret\":1,}"))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessage("trailing comma in an object at offset 12");
        assertThatThrownBy(() -> tokens("[\"secret\\q\"]"))
                .hasMessage("invalid escape in a string at offset 8")
                .message()
                .doesNotContain("secret")
                .doesNotContain("q");
        assertThatThrownBy(() -> tokens("{\"a\":secret}"))
                .hasMessage("unexpected character, expected a value at offset 5");
        assertThatThrownBy(() -> tokens("[\"x\u0002\"]"))
                .hasMessage("unescaped control character in a string at offset 3");
    }

    @Test
    void limitsNesting() {
        int max = JsonCursor.MAX_DEPTH;
        assertThat(tokens("[".repeat(max) + "]".repeat(max))).hasSize(2 * max);
        assertThatThrownBy(() -> tokens("[".repeat(max + 1) + "]".repeat(max + 1)))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessage("nesting deeper than 500 at offset 500");
        assertThat(tokens("{\"a\":".repeat(max) + "1" + "}".repeat(max))).hasSize(3 * max + 1);
    }

    @Test
    void limitsNumberLength() {
        assertThat(tokens("1".repeat(1000))).hasSize(1);
        assertThatThrownBy(() -> tokens("1".repeat(1001))).isInstanceOf(MalformedJsonException.class);
    }

    @Test
    void skipChildrenSkipsNestedValuesAndIgnoresScalars() {
        JsonCursor c = new JsonCursor();
        c.reset("{\"skip\":{\"a\":[1,{\"b\":[[],{}]},\"]}\"],\"c\":{}},\"s\":\"x\",\"keep\":7}");
        assertThat(c.nextToken()).isEqualTo(Token.START_OBJECT);
        assertThat(c.nextName()).isEqualTo("skip");
        assertThat(c.nextToken()).isEqualTo(Token.START_OBJECT);
        c.skipChildren();
        assertThat(c.currentToken()).isEqualTo(Token.END_OBJECT);
        assertThat(c.nextName()).isEqualTo("s");
        assertThat(c.nextToken()).isEqualTo(Token.STRING);
        c.skipChildren();
        assertThat(c.currentToken()).isEqualTo(Token.STRING);
        assertThat(c.nextName()).isEqualTo("keep");
        assertThat(c.nextToken()).isEqualTo(Token.NUMBER_INT);
        assertThat(c.getIntValue()).isEqualTo(7);
        assertThat(c.nextName()).isNull();
        assertThat(c.currentToken()).isEqualTo(Token.END_OBJECT);
        assertThat(c.nextToken()).isNull();
    }

    @Test
    void skipChildrenStillChecksWhatItSkips() {
        JsonCursor c = new JsonCursor();
        c.reset("{\"skip\":[1,{\"b\":\"\\z\"}]}");
        c.nextToken();
        c.nextName();
        c.nextToken();
        assertThatThrownBy(c::skipChildren).isInstanceOf(MalformedJsonException.class);
    }

    @Test
    void skipValueRawReturnsTheValueText() {
        JsonCursor c = new JsonCursor();
        c.reset("{\"args\": { \"a\" : [1, \"}\"] } ,\"n\":2}");
        c.nextToken();
        c.nextName();
        c.nextToken();
        assertThat(c.skipValueRaw()).isEqualTo("{ \"a\" : [1, \"}\"] }");
        assertThat(c.nextName()).isEqualTo("n");
    }

    @Test
    void isReusableAcrossResetsIncludingAfterErrors() {
        JsonCursor c = new JsonCursor();
        assertThat(tokens(c, "{\"a\":[1,2]}")).hasSize(7);
        assertThatThrownBy(() -> tokens(c, "{\"a\":[1,2")).isInstanceOf(MalformedJsonException.class);
        c.reset("[\"x\"]");
        c.nextToken();
        c.nextToken();
        c.reset("{\"a\":\"\\u0041\"}");
        assertThat(tokens(c, "{\"a\":\"\\u0041\"}"))
                .containsExactly("START_OBJECT", "PROPERTY_NAME:a", "STRING:A", "END_OBJECT");
        assertThat(tokens(c, "[]")).containsExactly("START_ARRAY", "END_ARRAY");
    }

    @Test
    void repeatedNamesComeFromTheCache() {
        JsonCursor c = new JsonCursor();
        c.reset("{\"choices\":1}");
        c.nextToken();
        String first = c.nextName();
        c.reset("{\"choices\":2}");
        c.nextToken();
        assertThat(c.nextName()).isSameAs(first);
    }

    @Test
    void countsAreNonNegativeIntegersAndAnythingElseIsMinusOne() {
        JsonCursor c = new JsonCursor();
        c.reset("{\"a\":12,\"b\":-3,\"c\":1.5,\"d\":\"7\",\"e\":null,\"f\":{\"x\":[1,2]},"
                + "\"g\":{\"skip\":{\"cached_tokens\":99},\"cached_tokens\":40},\"h\":{\"other\":1},\"i\":[5]}");
        c.nextToken();
        List<Long> counts = new java.util.ArrayList<>();
        String name;
        while ((name = c.nextName()) != null) {
            c.nextToken();
            counts.add(name.compareTo("f") < 0 ? c.count() : c.countIn("cached_tokens"));
        }
        assertThat(counts).containsExactly(12L, -1L, -1L, -1L, -1L, -1L, 40L, -1L, -1L);
        assertThat(c.nextToken()).as("every value was consumed").isNull();
    }

    @Test
    void randomStringsReadTheSameFromBytesAndFromTheString() {
        long seed = Long.getLong("aistream.json.seed", 0x15A110CL);
        SplittableRandom random = new SplittableRandom(seed);
        String[] pieces = {
            "a",
            "b",
            " ",
            "é",
            "€",
            "中",
            "😀",
            "\\\"",
            "\\\\",
            "\\/",
            "\\n",
            "\\u00e9",
            "\\ud83d\\ude00",
            "\\ud800",
            "\\u0041",
            "xxxxxxx",
            "\u007f",
            "~"
        };
        JsonCursor c = new JsonCursor();
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            int parts = random.nextInt(30);
            for (int i = 0; i < parts; i++) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            // the string starts at every alignment relative to the eight-byte scan
            String json = "{" + "\"k\":1,".repeat(random.nextInt(3)) + " ".repeat(random.nextInt(8)) + "\"s\":\"" + text
                    + "\"}";
            String expected = new tools.jackson.databind.ObjectMapper()
                    .readTree(json)
                    .get("s")
                    .asString();
            assertThat(tokens(c, json)) // the byte path checked against it inside
                    .as("seed %d, json %s", seed, json)
                    .contains("STRING:" + expected);
        }
    }

    @Test
    void controlBytesAndUnterminatedStringsFailAtEveryAlignment() {
        for (int pad = 0; pad < 16; pad++) {
            String lead = "[\"" + "x".repeat(pad);
            assertThatThrownBy(() -> tokens(lead + "\u0001\"]"))
                    .isInstanceOf(MalformedJsonException.class)
                    .hasMessageStartingWith("unescaped control character in a string");
            assertThatThrownBy(() -> tokens(lead + "é"))
                    .isInstanceOf(MalformedJsonException.class)
                    .hasMessageStartingWith("unterminated string");
            assertThat(tokens(lead + "é\"]"))
                    .containsExactly("START_ARRAY", "STRING:" + "x".repeat(pad) + "é", "END_ARRAY");
        }
    }
}
