package io.aistream.provider;

import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.spi.WireFormat;
import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs provider transcripts from {@code src/test/resources/fixtures/providers} through a decoder in
 * many splits and compares the folded result with the fixture's {@code expected.json}, under the
 * comparison rules of the fixtures' README (a {@code null} tool-call id or error message in the
 * expectation is not compared).
 */
public final class FixtureHarness {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Fixed read sizes from the fixtures README, plus 0 = the whole body in one feed. */
    private static final int[] FIXED_SPLITS = {0, 1, 2, 3, 7, 64};
    private static final int RANDOM_SPLITS = 8;

    private FixtureHarness() {
    }

    /** One transcript with its expected result. */
    public record Fixture(String folder, String name, Path transcript, Path expected) {
        /** The body bytes; {@code .hex.txt} transcripts are hex-decoded line by line and concatenated. */
        public byte[] body() {
            try {
                if (transcript.getFileName().toString().endsWith(".hex.txt")) {
                    StringBuilder hex = new StringBuilder();
                    for (String line : Files.readAllLines(transcript)) {
                        hex.append(line.strip());
                    }
                    return HexFormat.of().parseHex(hex);
                }
                return Files.readAllBytes(transcript);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public JsonNode expectedJson() {
            return JSON.readTree(expected.toFile());
        }

        @Override
        public String toString() {
            return folder + "/" + transcript.getFileName();
        }
    }

    /** The provider folders, sorted. */
    public static List<String> folders() {
        try (Stream<Path> dirs = Files.list(root())) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The framing a transcript's extension tells (see the fixtures' README). */
    public static WireFormat wireFormat(Path transcript) {
        String name = transcript.getFileName().toString();
        if (name.endsWith(".ndjson")) {
            return WireFormat.NDJSON;
        }
        if (name.endsWith(".hex.txt")) {
            return WireFormat.EVENT_STREAM;
        }
        return name.endsWith(".json") ? WireFormat.JSON_ARRAY : WireFormat.SSE;
    }

    /** The fixtures of one provider folder whose transcript file name passes {@code filter}. */
    public static List<Fixture> fixtures(String folder, Predicate<String> filter) {
        Path dir = root().resolve(folder);
        try (Stream<Path> files = Files.list(dir)) {
            List<Fixture> result = new ArrayList<>();
            for (Path expected : files.filter(p -> p.getFileName().toString().endsWith(".expected.json")).sorted().toList()) {
                String name = expected.getFileName().toString().replace(".expected.json", "");
                Path transcript = transcriptFor(dir, name);
                if (filter.test(transcript.getFileName().toString())) {
                    result.add(new Fixture(folder, name, transcript, expected));
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path transcriptFor(Path dir, String name) {
        for (String ext : new String[] {".sse", ".ndjson", ".json", ".hex.txt"}) {
            Path p = dir.resolve(name + ext);
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no transcript for " + dir.resolve(name));
    }

    private static Path root() {
        URL url = FixtureHarness.class.getClassLoader().getResource("fixtures/providers");
        if (url == null) {
            throw new IllegalStateException("fixtures/providers is not on the test classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Decodes the fixture whole, in every fixed read size and in seeded random splits, and asserts
     * each result matches the expectation and that exactly one {@code done} chunk ends the stream.
     */
    public static void assertFixture(Fixture fixture, Supplier<? extends StreamDecoder> decoders) {
        assertBody(fixture.toString(), fixture.body(), fixture.expectedJson(), decoders);
    }

    /** Like {@link #assertFixture} for a body given directly (e.g. a fixture rewritten with CRLF). */
    public static void assertBody(String name, byte[] body, JsonNode expected, Supplier<? extends StreamDecoder> decoders) {
        for (int split : FIXED_SPLITS) {
            check(name, decoders, body, expected, split == 0 ? "whole" : "reads of " + split, fixedSplits(body.length, split));
        }
        SplittableRandom random = new SplittableRandom(name.hashCode());
        for (int i = 0; i < RANDOM_SPLITS; i++) {
            long s = random.nextLong();
            check(name, decoders, body, expected, "random split seed " + s, randomSplits(body.length, new SplittableRandom(s)));
        }
    }

    private static void check(String name, Supplier<? extends StreamDecoder> decoders, byte[] body, JsonNode expected,
            String how, int[] cuts) {
        List<StreamChunk> chunks = decode(decoders.get(), body, cuts);
        String context = name + " (" + how + ")";
        assertThat(chunks).as(context + ": chunks end with exactly one done").isNotEmpty();
        assertThat(chunks.get(chunks.size() - 1)).as(context + ": last chunk").isInstanceOf(DoneChunk.class);
        assertThat(chunks.stream().filter(c -> c instanceof DoneChunk).count()).as(context + ": done count").isEqualTo(1);
        assertMatches(normalize(chunks), expected, context);
    }

    /** Feeds {@code body} cut at the given offsets (ascending, exclusive of 0 and length), then ends. */
    public static List<StreamChunk> decode(StreamDecoder decoder, byte[] body, int[] cuts) {
        List<StreamChunk> out = new ArrayList<>();
        int start = 0;
        for (int cut : cuts) {
            decoder.feed(body, start, cut - start, out::add);
            start = cut;
        }
        decoder.feed(body, start, body.length - start, out::add);
        decoder.end(out::add);
        return out;
    }

    private static int[] fixedSplits(int length, int size) {
        if (size == 0 || length == 0) {
            return new int[0];
        }
        int n = (length - 1) / size;
        int[] cuts = new int[n];
        for (int i = 0; i < n; i++) {
            cuts[i] = (i + 1) * size;
        }
        return cuts;
    }

    private static int[] randomSplits(int length, SplittableRandom random) {
        List<Integer> cuts = new ArrayList<>();
        int pos = 0;
        while (true) {
            pos += 1 + random.nextInt(random.nextBoolean() ? 8 : 200);
            if (pos >= length) {
                break;
            }
            cuts.add(pos);
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Folds chunks into the fixtures' {@code expected.json} shape; see {@link ResponseSummary}. */
    public static ObjectNode normalize(List<StreamChunk> chunks) {
        return ResponseSummary.of(chunks);
    }

    /** Compares under the fixtures' rules; the message shows both documents. */
    public static void assertMatches(ObjectNode actual, JsonNode expected, String context) {
        ObjectNode comparable = actual.deepCopy();
        JsonNode expectedCalls = expected.path("toolCalls");
        JsonNode actualCalls = comparable.path("toolCalls");
        if (expectedCalls.isArray() && actualCalls.isArray() && expectedCalls.size() == actualCalls.size()) {
            for (int i = 0; i < expectedCalls.size(); i++) {
                if (expectedCalls.get(i).path("id").isNull()) {
                    ((ObjectNode) actualCalls.get(i)).putNull("id");
                }
            }
        }
        if (expected.path("error").isObject() && expected.path("error").path("message").isNull()
                && comparable.path("error").isObject()) {
            ((ObjectNode) comparable.get("error")).putNull("message");
        }
        // Compare as parsed from text, so numbers of different Java types (long vs int) compare by value.
        JsonNode actualTree = JSON.readTree(comparable.toString());
        JsonNode expectedTree = JSON.readTree(expected.toString());
        assertThat(actualTree).as(context + "\nexpected: " + expected + "\nactual:   " + comparable)
                .isEqualTo(expectedTree);
    }
}
