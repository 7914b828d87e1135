package io.aistream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.json.Jackson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class FixtureHarnessTest {
    private static final FixtureHarness HARNESS = FixtureHarness.of(
            FixtureHarness.classpathRoot(FixtureHarnessTest.class, "fixtures/toy"), FixtureHarnessTest::fold);

    /** The toy format's decoder: lines of JSON strings (optionally after {@code data: }), buffered across feeds. */
    static final class LineDecoder {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private boolean done;

        void feed(byte[] bytes, int off, int len, Consumer<? super StreamChunk> sink) {
            for (int i = off; i < off + len; i++) {
                if (bytes[i] == '\n') {
                    line(line.toString(StandardCharsets.UTF_8), sink);
                    line.reset();
                } else {
                    line.write(bytes[i]);
                }
            }
        }

        void end(Consumer<? super StreamChunk> sink) {
            if (!done) {
                sink.accept(ErrorChunk.of(ChunkError.of(ErrorCode.INCOMPLETE_STREAM, "no [DONE]")));
                sink.accept(DoneChunk.of(FinishReason.ERROR));
                done = true;
            }
        }

        private void line(String text, Consumer<? super StreamChunk> sink) {
            String value = text.startsWith("data: ") ? text.substring(6) : text;
            if (value.isEmpty() || done) {
                return;
            }
            if (value.equals("[DONE]") || value.equals("\"[DONE]\"")) {
                sink.accept(DoneChunk.of(FinishReason.STOP));
                done = true;
                return;
            }
            sink.accept(ContentChunk.of(Jackson.mapper().readTree(value).stringValue()));
        }
    }

    static Supplier<FixtureHarness.Decoder> lineDecoders() {
        return () -> {
            LineDecoder d = new LineDecoder();
            return FixtureHarness.Decoder.of(d::feed, d::end);
        };
    }

    /** The toy fold, in the shape of the providers' expected.json. */
    static ObjectNode fold(List<StreamChunk> chunks) {
        ObjectNode out = Jackson.mapper().createObjectNode();
        out.put("text", Chunks.text(chunks));
        out.put("reasoning", Chunks.reasoning(chunks));
        out.putArray("toolCalls");
        out.put("finishReason", Chunks.done(chunks).finishReason().wireName());
        out.putNull("usage");
        List<ErrorChunk> errors = Chunks.errors(chunks);
        if (errors.isEmpty()) {
            out.putNull("error");
        } else {
            out.putObject("error")
                    .put("type", errors.getFirst().error().code())
                    .put("message", errors.getFirst().error().message());
        }
        return out;
    }

    @Test
    void readsEveryTranscriptKindSortedByName() {
        List<FixtureHarness.Fixture> fixtures = HARNESS.fixtures("lines", name -> true);

        assertThat(fixtures)
                .extracting(FixtureHarness.Fixture::toString)
                .containsExactly("lines/cut.hex.txt", "lines/plain.ndjson", "lines/umlaut.sse");
        assertThat(new String(fixtures.get(0).body(), StandardCharsets.UTF_8))
                .isEqualTo("data: \"he\"\n\ndata: \"x\"\n\n");
        assertThat(fixtures.get(2).expectedJson().path("text").stringValue()).isEqualTo("Grüß 🌍");
        assertThat(HARNESS.fixtures("lines", name -> name.endsWith(".sse")))
                .singleElement()
                .extracting(FixtureHarness.Fixture::name)
                .isEqualTo("umlaut");
    }

    @Test
    void aSplitProofDecoderPassesEveryFixtureInEverySplit() {
        for (FixtureHarness.Fixture fixture : HARNESS.fixtures("lines", name -> true)) {
            HARNESS.assertFixture(fixture, lineDecoders());
        }
    }

    @Test
    void aDecoderThatDependsOnTheSplitsFailsNamingTheSplit() {
        // decodes each feed on its own, so a character split across feeds breaks it
        Supplier<FixtureHarness.Decoder> perFeed = () -> {
            LineDecoder[] d = {new LineDecoder()};
            return FixtureHarness.Decoder.of(
                    (bytes, off, len, sink) -> {
                        String text = new String(bytes, off, len, StandardCharsets.UTF_8);
                        byte[] again = text.getBytes(StandardCharsets.UTF_8);
                        d[0].feed(again, 0, again.length, sink);
                    },
                    sink -> d[0].end(sink));
        };
        FixtureHarness.Fixture umlaut =
                HARNESS.fixtures("lines", name -> name.equals("umlaut.sse")).getFirst();

        assertThatThrownBy(() -> HARNESS.assertFixture(umlaut, perFeed))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("lines/umlaut.sse (reads of 1)")
                .hasMessageContaining("Grüß 🌍");
    }

    @Test
    void aFailureInARandomSplitNamesItsSeedAndHowToReplayIt() {
        AtomicInteger made = new AtomicInteger();
        Supplier<FixtureHarness.Decoder> goodForTheFixedSplitsOnly = () -> {
            LineDecoder d = new LineDecoder();
            boolean broken = made.incrementAndGet() > 6;
            return FixtureHarness.Decoder.of(d::feed, sink -> {
                if (!broken) {
                    d.end(sink);
                }
            });
        };
        FixtureHarness.Fixture cut =
                HARNESS.fixtures("lines", name -> name.startsWith("cut")).getFirst();

        assertThatThrownBy(() -> HARNESS.assertFixture(cut, goodForTheFixedSplitsOnly))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("lines/cut.hex.txt (random split 0 (split seed ")
                .hasMessageContaining("replay with -Daistream.seed="
                        + Seeds.seed("lines/cut.hex.txt", "lines/cut.hex.txt".hashCode())
                                .value());
    }

    @Test
    void theExpectationsNullIdsAndNullErrorMessagesAreNotCompared() {
        JsonNode expected = Jackson.mapper().readTree("""
                {"text":"","toolCalls":[{"id":null,"name":"f","arguments":{}}],"error":{"type":"boom","message":null}}""");
        JsonNode actual = Jackson.mapper().readTree("""
                {"text":"","toolCalls":[{"id":"call_9","name":"f","arguments":{}}],"error":{"type":"boom","message":"details"}}""");

        FixtureHarness.assertMatches(actual, expected, "null rules");
        assertThat(actual.path("toolCalls").get(0).path("id").stringValue())
                .as("the actual document is not changed")
                .isEqualTo("call_9");
        JsonNode otherName = Jackson.mapper().readTree(actual.toString().replace("\"f\"", "\"g\""));
        assertThatThrownBy(() -> FixtureHarness.assertMatches(otherName, expected, "names"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("names")
                .hasMessageContaining("\"g\"");
    }

    @Test
    void numbersCompareByValue() {
        ObjectNode actual = Jackson.mapper().createObjectNode();
        actual.putObject("usage").put("inputTokens", 3L);

        FixtureHarness.assertMatches(actual, Jackson.mapper().readTree("{\"usage\":{\"inputTokens\":3}}"), "numbers");
    }

    @Test
    void decodeFeedsTheGivenCutsThenEnds() {
        byte[] body = "\"a\"\n\"b\"\n".getBytes(StandardCharsets.UTF_8);
        List<String> feeds = new java.util.ArrayList<>();
        FixtureHarness.Decoder recording = FixtureHarness.Decoder.of(
                (bytes, off, len, sink) -> feeds.add(new String(bytes, off, len, StandardCharsets.UTF_8)),
                sink -> sink.accept(DoneChunk.of(FinishReason.STOP)));

        List<StreamChunk> chunks = FixtureHarness.decode(recording, body, new int[] {1, 5});

        assertThat(feeds).containsExactly("\"", "a\"\n\"", "b\"\n");
        assertThat(chunks).singleElement().isInstanceOf(DoneChunk.class);
        assertThat(FixtureHarness.cutsEvery(7, 3)).containsExactly(3, 6);
        assertThat(FixtureHarness.cutsEvery(6, 3)).containsExactly(3);
        assertThat(FixtureHarness.cutsEvery(6, 0)).isEmpty();
        assertThat(FixtureHarness.randomCuts(500, new java.util.SplittableRandom(1)))
                .isEqualTo(FixtureHarness.randomCuts(500, new java.util.SplittableRandom(1)))
                .isSorted()
                .doesNotContain(0, 500);
    }

    @Test
    void anExpectationWithoutTranscriptIsAnError() {
        assertThatThrownBy(() -> HARNESS.fixtures("broken", name -> true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no transcript for")
                .hasMessageContaining("orphan");
    }

    @Test
    void aMissingResourceFolderIsAnError() {
        assertThatThrownBy(() -> FixtureHarness.classpathRoot(FixtureHarnessTest.class, "fixtures/none"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fixtures/none");
    }
}
