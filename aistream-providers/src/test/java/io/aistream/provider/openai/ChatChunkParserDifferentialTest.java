package io.aistream.provider.openai;

import static io.aistream.provider.testing.ProviderFixtures.HARNESS;
import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.provider.support.JsonCursor;
import io.aistream.provider.support.JsonCursor.MalformedJsonException;
import io.aistream.testing.FixtureHarness.Fixture;
import io.aistream.testing.JsonMutations;
import io.aistream.testing.Seed;
import io.aistream.testing.Seeds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * {@link ChatChunkParser} (on {@code JsonCursor}) against the Jackson parser it replaced
 * ({@link JacksonChatChunkParser}): the same handler calls for every fixture payload and thousands of
 * generated chunks, and for mutated payloads a rejection whenever Jackson rejects.
 */
class ChatChunkParserDifferentialTest {
    private static final int GENERATED = 5_000;
    private static final int MUTATIONS_PER_PAYLOAD = 40;

    /** Records every handler call as text. */
    private static final class Recorder implements ChatChunkParser.Handler {
        final List<String> calls = new ArrayList<>();
        private String model = "gpt-4o";

        @Override
        public void content(String delta) {
            calls.add("content " + delta);
        }

        @Override
        public void reasoning(String delta) {
            calls.add("reasoning " + delta);
        }

        @Override
        public void refusal(String delta) {
            calls.add("refusal " + delta);
        }

        @Override
        public void toolCall(int index, String id, String name, String args) {
            calls.add("toolCall " + index + " " + id + " " + name + " " + args);
        }

        @Override
        public void functionCall(String name, String args) {
            calls.add("functionCall " + name + " " + args);
        }

        @Override
        public void finishReason(String reason) {
            calls.add("finish " + reason);
        }

        @Override
        public void usage(long input, long output, long total, long cacheRead, long reasoning) {
            calls.add("usage " + input + " " + output + " " + total + " " + cacheRead + " " + reasoning);
        }

        @Override
        public void model(String m) {
            calls.add("model " + m);
            model = m;
        }

        @Override
        public String currentModel() {
            return model;
        }

        @Override
        public void error(String type, String message, OptionalInt status) {
            calls.add("error " + type + " " + message + " " + status);
        }
    }

    /** One parse's outcome: the calls, and whether it was rejected. */
    private record Outcome(List<String> calls, boolean rejected) {}

    private final JacksonChatChunkParser oracle = new JacksonChatChunkParser();
    private final ChatChunkParser parser = new ChatChunkParser();

    private Outcome jackson(String data) {
        Recorder r = new Recorder();
        try {
            oracle.parse(data, r);
            return new Outcome(r.calls, false);
        } catch (JacksonException e) {
            return new Outcome(r.calls, true);
        }
    }

    private Outcome cursor(String data) {
        Recorder r = new Recorder();
        try {
            parser.parse(data, r);
            return new Outcome(r.calls, false);
        } catch (MalformedJsonException e) {
            return new Outcome(r.calls, true);
        }
    }

    /** Same outcome; after a rejection only the rejection is compared (the calls before it may differ). */
    private void assertSame(String data) {
        Outcome expected = jackson(data);
        Outcome actual = cursor(data);
        assertThat(actual.rejected()).as("rejected: %s", data).isEqualTo(expected.rejected());
        if (!expected.rejected()) {
            assertThat(actual.calls()).as("calls for %s", data).isEqualTo(expected.calls());
        }
    }

    static List<String> fixturePayloads() {
        List<Fixture> fixtures = Stream.concat(
                        Stream.of("openai-chat", "azure-openai", "deepseek", "openrouter", "mistral")
                                .flatMap(folder -> HARNESS.fixtures(folder, name -> name.endsWith(".sse")).stream()),
                        HARNESS
                                .fixtures("ollama", name -> name.startsWith("openai-compat-") && name.endsWith(".sse"))
                                .stream())
                .toList();
        List<String> payloads = new ArrayList<>();
        for (Fixture f : fixtures) {
            String body = new String(f.body(), StandardCharsets.UTF_8)
                    .replace("\r\n", "\n")
                    .replace('\r', '\n');
            for (String event : body.split("\n\n")) {
                StringBuilder data = null;
                for (String line : event.split("\n")) {
                    if (line.startsWith("data:")) {
                        String v = line.substring(5);
                        v = v.startsWith(" ") ? v.substring(1) : v;
                        data = data == null
                                ? new StringBuilder(v)
                                : data.append('\n').append(v);
                    }
                }
                if (data != null
                        && !data.toString().strip().equals("[DONE]")
                        && !data.toString().isBlank()) {
                    payloads.add(data.toString());
                }
            }
        }
        return payloads;
    }

    @Test
    void everyFixturePayloadGivesTheSameCalls() {
        List<String> payloads = fixturePayloads();
        assertThat(payloads).hasSizeGreaterThan(50);
        for (String data : payloads) {
            assertThat(jackson(data).rejected())
                    .as("fixture payload accepted by Jackson: %s", data)
                    .isFalse();
            assertSame(data);
        }
    }

    @Test
    void generatedChunksGiveTheSameCalls() {
        Seed seed = Seeds.seed("ChatChunkParserDifferentialTest.generatedChunksGiveTheSameCalls", 20261125L);
        seed.check(() -> generatedChunksGiveTheSameCalls(seed.random()));
    }

    private void generatedChunksGiveTheSameCalls(SplittableRandom random) {
        int rejected = 0;
        for (int i = 0; i < GENERATED; i++) {
            String data = new ChunkGenerator(random).chunk();
            if (jackson(data).rejected()) {
                rejected++;
            }
            assertSame(data);
        }
        // Mostly valid (a few carry out-of-range numbers Jackson refuses to read).
        assertThat(rejected).isLessThan(GENERATED / 5);
    }

    @Test
    void mutatedPayloadsAreRejectedWheneverJacksonRejects() {
        Seed seed = Seeds.seed("ChatChunkParserDifferentialTest.mutatedPayloadsAreRejectedWheneverJacksonRejects", 42L);
        seed.check(() -> mutatedPayloadsAreRejectedWheneverJacksonRejects(seed.random()));
    }

    private void mutatedPayloadsAreRejectedWheneverJacksonRejects(SplittableRandom random) {
        List<String> seeds = new ArrayList<>(fixturePayloads());
        for (int i = 0; i < 300; i++) {
            seeds.add(new ChunkGenerator(random).chunk());
        }
        int rejected = 0;
        int total = 0;
        for (String seed : seeds) {
            for (int m = 0; m < MUTATIONS_PER_PAYLOAD; m++) {
                String data = mutate(seed, random);
                total++;
                if (jackson(data).rejected()) {
                    rejected++;
                }
                assertSame(data);
            }
        }
        assertThat(rejected).as("mutations rejected of %d", total).isBetween(total / 4, total - total / 20);
    }

    @Test
    void mutatedPayloadsTokenizeLikeJackson() {
        Seed seed = Seeds.seed("ChatChunkParserDifferentialTest.mutatedPayloadsTokenizeLikeJackson", 7L);
        seed.check(() -> mutatedPayloadsTokenizeLikeJackson(seed.random()));
    }

    private void mutatedPayloadsTokenizeLikeJackson(SplittableRandom random) {
        List<String> seeds = new ArrayList<>(fixturePayloads());
        for (int i = 0; i < 300; i++) {
            seeds.add(new ChunkGenerator(random).chunk());
        }
        JsonCursor cursor = new JsonCursor();
        for (String seed : seeds) {
            for (int m = 0; m < MUTATIONS_PER_PAYLOAD; m++) {
                String data = m == 0 ? seed : mutate(seed, random);
                List<String> expected = jacksonTokens(data);
                List<String> actual = cursorTokens(cursor, data);
                boolean rejected = expected.getLast().equals("rejected");
                // Jackson reads a name and peeks at its value in one step, so tokens before a rejection may differ.
                if (rejected) {
                    assertThat(actual).as("tokens of %s", data).endsWith("rejected");
                } else {
                    assertThat(actual).as("tokens of %s", data).isEqualTo(expected);
                }
            }
        }
    }

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Every token with its text, or a list ending in "rejected" (a second root value counts as rejected). */
    private static List<String> jacksonTokens(String data) {
        List<String> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), data)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                String name = t.name().replace("VALUE_", "");
                out.add(
                        switch (t) {
                            case PROPERTY_NAME, VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT ->
                                name + ":" + p.getString();
                            default -> name;
                        });
                if (p.streamReadContext().inRoot() && p.nextToken() != null) {
                    out.add("rejected");
                    return out;
                }
                if (p.streamReadContext().inRoot()) {
                    break;
                }
            }
            if (out.isEmpty()) {
                out.add("rejected");
            }
        } catch (JacksonException e) {
            out.add("rejected");
        }
        return out;
    }

    private static List<String> cursorTokens(JsonCursor c, String data) {
        List<String> out = new ArrayList<>();
        try {
            c.reset(data);
            JsonCursor.Token t;
            while ((t = c.nextToken()) != null) {
                out.add(
                        switch (t) {
                            case PROPERTY_NAME, STRING, NUMBER_INT, NUMBER_FLOAT -> t + ":" + c.getString();
                            default -> t.toString();
                        });
            }
        } catch (MalformedJsonException e) {
            out.add("rejected");
        }
        return out;
    }

    @Test
    void parsingAllocatesNothingButTheHandlersStrings() throws ReflectiveOperationException {
        // Names, models and numbers the handler does not get as new Strings: after the first parse, no allocation.
        String data = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1754380902,"
                + "\"model\":\"gpt-4o\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],"
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0}},\"obfuscation\":\"a\\u00e9\"}";
        Recorder recorder = new Recorder();
        parser.parse(data, recorder);
        recorder.calls.clear();
        long tid = Thread.currentThread().threadId();
        ChatChunkParser.Handler quiet = new ChatChunkParser.Handler() {
            @Override
            public void content(String delta) {}

            @Override
            public void reasoning(String delta) {}

            @Override
            public void refusal(String delta) {}

            @Override
            public void toolCall(int index, String id, String name, String args) {}

            @Override
            public void functionCall(String name, String args) {}

            @Override
            public void finishReason(String reason) {}

            @Override
            public void usage(long input, long output, long total, long cacheRead, long reasoning) {}

            @Override
            public void model(String m) {}

            @Override
            public String currentModel() {
                return "gpt-4o";
            }

            @Override
            public void error(String type, String message, OptionalInt status) {}
        };
        long before = allocatedBytes(tid);
        for (int i = 0; i < 10_000; i++) {
            parser.parse(data, quiet);
        }
        long allocated = allocatedBytes(tid) - before;
        assertThat(allocated).as("bytes allocated by 10,000 parses").isLessThan(10_000);
    }

    /** The thread's allocated bytes, by reflection (this module does not read the management modules). */
    private static long allocatedBytes(long tid) throws ReflectiveOperationException {
        Object threads = Class.forName("java.lang.management.ManagementFactory")
                .getMethod("getThreadMXBean")
                .invoke(null);
        return (long) Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getThreadAllocatedBytes", long.class)
                .invoke(threads, tid);
    }

    private static final String MUTATION_CHARS =
            "{}[]\",:\\ 0123456789eE.-+tfnulrx/'\u0000\u0001\n\t\u00e9\ud83d\ude00";

    private static String mutate(String s, SplittableRandom random) {
        return JsonMutations.mutate(s, random, MUTATION_CHARS, 1 + random.nextInt(random.nextInt(4) == 0 ? 4 : 1));
    }

    /** Writes random chunk-shaped JSON: every field the parser reads, in any order, with junk around it. */
    static final class ChunkGenerator {
        private final SplittableRandom r;
        private final StringBuilder out = new StringBuilder();

        ChunkGenerator(SplittableRandom r) {
            this.r = r;
        }

        String chunk() {
            object(this::topField, 1 + r.nextInt(8));
            ws();
            return out.toString();
        }

        private boolean chance(int percent) {
            return r.nextInt(100) < percent;
        }

        private void ws() {
            if (chance(15)) {
                String[] spaces = {" ", "\n", "\t", "\r\n", "  "};
                out.append(spaces[r.nextInt(spaces.length)]);
            }
        }

        private interface Field {
            void write();
        }

        private void object(Field field, int n) {
            ws();
            out.append('{');
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    ws();
                    out.append(',');
                }
                field.write();
            }
            ws();
            out.append('}');
        }

        private void array(Runnable element, int n) {
            ws();
            out.append('[');
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    ws();
                    out.append(',');
                }
                element.run();
            }
            ws();
            out.append(']');
        }

        private void name(String n) {
            ws();
            string(n);
            ws();
            out.append(':');
        }

        private String pick(String... options) {
            return options[r.nextInt(options.length)];
        }

        private void topField() {
            switch (r.nextInt(14)) {
                case 0, 1, 2 -> {
                    name("choices");
                    if (chance(90)) {
                        array(this::choice, r.nextInt(3));
                    } else {
                        junk(2);
                    }
                }
                case 3 -> {
                    name("model");
                    if (chance(80)) {
                        stringValue(pick("gpt-4o", "gpt-4o-mini", "", "m\u00e9", "gpt-4o\\u002d"));
                    } else {
                        junk(1);
                    }
                }
                case 4 -> {
                    name("usage");
                    usage();
                }
                case 5 -> {
                    name("error");
                    if (chance(70)) {
                        object(this::errorField, r.nextInt(4));
                    } else {
                        junk(1);
                    }
                }
                case 6 -> {
                    name("object");
                    stringValue(pick("chat.completion.chunk", "error", "err\\u006fr", "errors"));
                }
                case 7 -> errorField();
                case 8 -> {
                    name("x_groq");
                    object(
                            () -> {
                                if (chance(50)) {
                                    name("usage");
                                    usage();
                                } else {
                                    unknownField(2);
                                }
                            },
                            r.nextInt(3));
                }
                default -> unknownField(3);
            }
        }

        private void errorField() {
            switch (r.nextInt(4)) {
                case 0 -> {
                    name("message");
                    value(1);
                }
                case 1 -> {
                    name("type");
                    value(1);
                }
                case 2 -> {
                    name("code");
                    if (chance(50)) {
                        number();
                    } else {
                        value(1);
                    }
                }
                default -> unknownField(2);
            }
        }

        private void choice() {
            if (chance(5)) {
                junk(2);
                return;
            }
            object(
                    () -> {
                        switch (r.nextInt(5)) {
                            case 0, 1 -> {
                                name("delta");
                                if (chance(90)) {
                                    object(this::deltaField, r.nextInt(5));
                                } else {
                                    junk(1);
                                }
                            }
                            case 2 -> {
                                name("finish_reason");
                                if (chance(60)) {
                                    stringValue(pick("stop", "length", "tool_calls", "error", ""));
                                } else {
                                    value(1);
                                }
                            }
                            case 3 -> {
                                name("index");
                                number();
                            }
                            default -> unknownField(2);
                        }
                    },
                    r.nextInt(4));
        }

        private void deltaField() {
            switch (r.nextInt(9)) {
                case 0, 1 -> {
                    name("content");
                    if (chance(75)) {
                        text();
                    } else if (chance(60)) {
                        array(this::contentPart, r.nextInt(3));
                    } else {
                        value(2);
                    }
                }
                case 2 -> {
                    name(pick("reasoning_content", "reasoning"));
                    if (chance(80)) {
                        text();
                    } else {
                        value(2);
                    }
                }
                case 3 -> {
                    name("refusal");
                    if (chance(80)) {
                        text();
                    } else {
                        value(1);
                    }
                }
                case 4, 5 -> {
                    name("tool_calls");
                    if (chance(90)) {
                        array(this::toolCall, r.nextInt(3));
                    } else {
                        junk(2);
                    }
                }
                case 6 -> {
                    name("function_call");
                    if (chance(85)) {
                        object(this::functionField, r.nextInt(4));
                    } else {
                        junk(1);
                    }
                }
                case 7 -> {
                    name("role");
                    stringValue("assistant");
                }
                default -> unknownField(2);
            }
        }

        private void contentPart() {
            if (chance(10)) {
                value(2);
                return;
            }
            object(
                    () -> {
                        switch (r.nextInt(4)) {
                            case 0 -> {
                                name("type");
                                if (chance(85)) {
                                    stringValue(pick("text", "thinking", "image_url"));
                                } else {
                                    value(1);
                                }
                            }
                            case 1 -> {
                                name("text");
                                if (chance(85)) {
                                    text();
                                } else {
                                    value(1);
                                }
                            }
                            case 2 -> {
                                name("thinking");
                                if (chance(30)) {
                                    text();
                                } else if (chance(85)) {
                                    array(
                                            () -> {
                                                if (chance(25)) {
                                                    text();
                                                } else if (chance(85)) {
                                                    object(
                                                            () -> {
                                                                if (chance(60)) {
                                                                    name("text");
                                                                    if (chance(85)) {
                                                                        text();
                                                                    } else {
                                                                        value(1);
                                                                    }
                                                                } else {
                                                                    unknownField(1);
                                                                }
                                                            },
                                                            r.nextInt(3));
                                                } else {
                                                    value(2);
                                                }
                                            },
                                            r.nextInt(4));
                                } else {
                                    value(1);
                                }
                            }
                            default -> unknownField(1);
                        }
                    },
                    r.nextInt(4));
        }

        private void toolCall() {
            if (chance(5)) {
                value(2);
                return;
            }
            object(
                    () -> {
                        switch (r.nextInt(5)) {
                            case 0 -> {
                                name("index");
                                if (chance(85)) {
                                    number();
                                } else {
                                    value(1);
                                }
                            }
                            case 1 -> {
                                name("id");
                                if (chance(85)) {
                                    stringValue(pick("call_1", "call_\\u0041", ""));
                                } else {
                                    value(1);
                                }
                            }
                            case 2, 3 -> {
                                name("function");
                                if (chance(90)) {
                                    object(this::functionField, r.nextInt(4));
                                } else {
                                    value(1);
                                }
                            }
                            default -> unknownField(1);
                        }
                    },
                    r.nextInt(5));
        }

        private void functionField() {
            switch (r.nextInt(3)) {
                case 0 -> {
                    name("name");
                    if (chance(85)) {
                        stringValue(pick("get_weather", "f\\u00e9", ""));
                    } else {
                        value(1);
                    }
                }
                case 1 -> {
                    name("arguments");
                    if (chance(70)) {
                        text();
                    } else {
                        // Some servers send the arguments as a JSON value.
                        value(3);
                    }
                }
                default -> unknownField(1);
            }
        }

        private void usage() {
            if (chance(10)) {
                junk(1);
                return;
            }
            object(
                    () -> {
                        switch (r.nextInt(7)) {
                            case 0 -> {
                                name("prompt_tokens");
                                count();
                            }
                            case 5 -> {
                                name("completion_tokens_details");
                                object(
                                        () -> {
                                            name(chance(80) ? "reasoning_tokens" : "audio_tokens");
                                            count();
                                        },
                                        1);
                            }
                            case 6 -> {
                                name("prompt_cache_hit_tokens");
                                count();
                            }
                            case 1 -> {
                                name("completion_tokens");
                                count();
                            }
                            case 2 -> {
                                name("total_tokens");
                                count();
                            }
                            case 3 -> {
                                name("prompt_tokens_details");
                                object(
                                        () -> {
                                            name("cached_tokens");
                                            if (chance(50)) {
                                                count();
                                            } else {
                                                number();
                                            }
                                        },
                                        1);
                            }
                            default -> unknownField(1);
                        }
                    },
                    r.nextInt(5));
        }

        private void count() {
            if (chance(85)) {
                ws();
                out.append(r.nextInt(100_000));
            } else {
                value(1);
            }
        }

        private void unknownField(int depth) {
            name(pick(
                    "id",
                    "created",
                    "system_fingerprint",
                    "logprobs",
                    "obfuscation",
                    "service_tier",
                    "x",
                    "",
                    "na\\u006de",
                    "\u00fcml",
                    "annotations"));
            value(depth);
        }

        private void junk(int depth) {
            value(depth);
        }

        /** Any JSON value, nested at most {@code depth} deep. */
        private void value(int depth) {
            int kind = r.nextInt(depth > 0 ? 9 : 7);
            ws();
            switch (kind) {
                case 0 -> out.append("null");
                case 1 -> out.append(r.nextBoolean());
                case 2, 3 -> number();
                case 4, 5, 6 -> text();
                case 7 -> array(() -> value(depth - 1), r.nextInt(4));
                default ->
                    object(
                            () -> {
                                name(pick("a", "b", "type", "text", "content", "k\\n"));
                                value(depth - 1);
                            },
                            r.nextInt(4));
            }
        }

        private void number() {
            ws();
            switch (r.nextInt(12)) {
                case 0 -> out.append("-0");
                case 1 -> out.append(r.nextInt());
                case 2 -> out.append(r.nextLong());
                case 3 -> out.append("9223372036854775808");
                case 4 -> out.append("-2147483649");
                case 5 -> out.append(r.nextInt(10)).append('.').append(r.nextInt(1000));
                case 6 ->
                    out.append(r.nextInt(10))
                            .append(pick("e", "E", "e+", "e-", ".5e"))
                            .append(r.nextInt(30));
                case 7 -> out.append(pick("1", "12345678901234567890123", "1e400", "-1.5E-3"));
                default -> out.append(r.nextInt(600) - 50);
            }
        }

        /** A string value, raw or escaped. */
        private void stringValue(String escapedOrRaw) {
            ws();
            out.append('"').append(escapedOrRaw).append('"');
        }

        private void string(String n) {
            out.append('"').append(n).append('"');
        }

        private static final String[] PIECES = {
            "a", "Hello", " ", "world", "\u00e9", "\u4e2d", "\ud83d\ude00", "\u007f", "\ud800", "/", "'"
        };

        /** Random text with every kind of escape. */
        private void text() {
            ws();
            out.append('"');
            int n = r.nextInt(8);
            for (int i = 0; i < n; i++) {
                switch (r.nextInt(10)) {
                    case 0 -> out.append(pick("\\n", "\\t", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\r"));
                    case 1 -> out.append(String.format(r.nextBoolean() ? "\\u%04x" : "\\u%04X", r.nextInt(0x10000)));
                    case 2 -> out.append(pick("\\ud83d\\ude00", "\\uD83D\\uDE00", "\\ud800", "\\udc00x"));
                    default -> out.append(PIECES[r.nextInt(PIECES.length)]);
                }
            }
            out.append('"');
        }
    }
}
