package io.aistream.provider.openai.responses;

import static io.aistream.provider.testing.ProviderFixtures.HARNESS;
import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.provider.support.JsonCursor.MalformedJsonException;
import io.aistream.testing.FixtureHarness.Fixture;
import io.aistream.testing.JsonMutations;
import io.aistream.testing.Seed;
import io.aistream.testing.Seeds;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

/**
 * {@link ResponsesEventParser} (on {@code JsonCursor}) against the Jackson parser it replaced
 * ({@link JacksonResponsesEventParser}): the same event fields for every fixture payload and thousands
 * of generated events, and a rejection whenever Jackson rejects a mutated payload.
 */
class ResponsesEventParserDifferentialTest {
    private final ResponsesEventParser parser = new ResponsesEventParser();

    /** The event's fields as text, or "rejected". */
    private static String dump(ResponsesEvent e) {
        StringBuilder sb = new StringBuilder();
        for (Field f : ResponsesEvent.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            try {
                sb.append(f.getName()).append('=').append(f.get(e)).append('\n');
            } catch (IllegalAccessException ex) {
                throw new AssertionError(ex);
            }
        }
        return sb.toString();
    }

    private static String jackson(String data) {
        ResponsesEvent e = new ResponsesEvent();
        try {
            JacksonResponsesEventParser.parse(data, e);
            return dump(e);
        } catch (JacksonException ex) {
            return "rejected";
        }
    }

    private String cursor(String data) {
        ResponsesEvent e = new ResponsesEvent();
        try {
            parser.parse(data, e);
            return dump(e);
        } catch (MalformedJsonException ex) {
            return "rejected";
        }
    }

    static List<String> fixturePayloads() {
        List<String> payloads = new ArrayList<>();
        for (Fixture f : HARNESS.fixtures("openai-responses", name -> name.endsWith(".sse"))) {
            String body = new String(f.body(), StandardCharsets.UTF_8).replace("\r\n", "\n");
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
                        && !data.toString().isBlank()
                        && !data.toString().strip().equals("[DONE]")) {
                    payloads.add(data.toString());
                }
            }
        }
        return payloads;
    }

    @Test
    void everyFixturePayloadGivesTheSameEvent() {
        List<String> payloads = fixturePayloads();
        assertThat(payloads).hasSizeGreaterThan(20);
        for (String data : payloads) {
            assertThat(jackson(data)).as("accepted by Jackson: %s", data).isNotEqualTo("rejected");
            assertThat(cursor(data)).as(data).isEqualTo(jackson(data));
        }
    }

    @Test
    void generatedEventsGiveTheSameEvent() {
        Seed seed = Seeds.seed("ResponsesEventParserDifferentialTest.generatedEventsGiveTheSameEvent", 11L);
        seed.check(() -> generatedEventsGiveTheSameEvent(seed.random()));
    }

    private void generatedEventsGiveTheSameEvent(SplittableRandom random) {
        int rejected = 0;
        for (int i = 0; i < 5_000; i++) {
            String data = new EventGenerator(random).event();
            String expected = jackson(data);
            if (expected.equals("rejected")) {
                rejected++;
            }
            assertThat(cursor(data)).as(data).isEqualTo(expected);
        }
        assertThat(rejected).isLessThan(1_000);
    }

    @Test
    void mutatedPayloadsAreRejectedWheneverJacksonRejects() {
        Seed seed = Seeds.seed(
                "ResponsesEventParserDifferentialTest.mutatedPayloadsAreRejectedWheneverJacksonRejects", 13L);
        seed.check(() -> mutatedPayloadsAreRejectedWheneverJacksonRejects(seed.random()));
    }

    private void mutatedPayloadsAreRejectedWheneverJacksonRejects(SplittableRandom random) {
        List<String> seeds = new ArrayList<>(fixturePayloads());
        for (int i = 0; i < 200; i++) {
            seeds.add(new EventGenerator(random).event());
        }
        int rejected = 0;
        int total = 0;
        for (String seed : seeds) {
            for (int m = 0; m < 40; m++) {
                String data = mutate(seed, random);
                String expected = jackson(data);
                total++;
                if (expected.equals("rejected")) {
                    rejected++;
                }
                assertThat(cursor(data)).as(data).isEqualTo(expected);
            }
        }
        assertThat(rejected).as("rejected of %d", total).isBetween(total / 4, total - total / 20);
    }

    private static final String MUTATION_CHARS = "{}[]\",:\\ 0123456789eE.-+tfnulrx/'\u0000\n\u00e9";

    private static String mutate(String s, SplittableRandom random) {
        return JsonMutations.mutate(s, random, MUTATION_CHARS, 1);
    }

    /** Random objects whose keys are the names the parser reads at any level, plus junk. */
    private static final class EventGenerator {
        private static final String[] NAMES = {
            "type",
            "delta",
            "item_id",
            "arguments",
            "item",
            "response",
            "code",
            "message",
            "error",
            "id",
            "call_id",
            "name",
            "model",
            "usage",
            "incomplete_details",
            "reason",
            "input_tokens",
            "output_tokens",
            "total_tokens",
            "input_tokens_details",
            "output_tokens_details",
            "cached_tokens",
            "reasoning_tokens",
            "encrypted_content",
            "sequence_number",
            "obfuscation",
            "output",
            "ty\\u0070e"
        };
        private final SplittableRandom r;
        private final StringBuilder out = new StringBuilder();

        EventGenerator(SplittableRandom r) {
            this.r = r;
        }

        String event() {
            object(3);
            return out.toString();
        }

        private void ws() {
            if (r.nextInt(8) == 0) {
                out.append(" \n\t\r".charAt(r.nextInt(4)));
            }
        }

        private void object(int depth) {
            ws();
            out.append('{');
            int n = r.nextInt(6);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                ws();
                out.append('"').append(NAMES[r.nextInt(NAMES.length)]).append('"');
                ws();
                out.append(':');
                value(depth - 1);
            }
            ws();
            out.append('}');
        }

        private void value(int depth) {
            ws();
            switch (r.nextInt(depth > 0 ? 10 : 7)) {
                case 0 -> out.append(r.nextBoolean() ? "null" : "true");
                case 1, 2 -> {
                    switch (r.nextInt(6)) {
                        case 0 -> out.append(r.nextLong());
                        case 1 -> out.append("99999999999999999999");
                        case 2 -> out.append("-1.5e3");
                        default -> out.append(r.nextInt(100_000));
                    }
                }
                case 3, 4, 5, 6 -> {
                    out.append('"');
                    for (int i = r.nextInt(6); i > 0; i--) {
                        out.append(
                                switch (r.nextInt(7)) {
                                    case 0 -> "\\n";
                                    case 1 -> "\\u00e9";
                                    case 2 -> "\\ud83d\\ude00";
                                    case 3 -> "\u00fc";
                                    case 4 -> "\\\"";
                                    default -> "word ";
                                });
                    }
                    out.append('"');
                }
                case 7 -> {
                    out.append('[');
                    for (int i = r.nextInt(3); i > 0; i--) {
                        value(depth - 1);
                        if (i > 1) {
                            out.append(',');
                        }
                    }
                    out.append(']');
                }
                default -> object(depth);
            }
        }
    }
}
