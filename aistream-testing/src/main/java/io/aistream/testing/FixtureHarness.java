package io.aistream.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.json.Jackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs provider streaming transcripts through a decoder in many splits and compares each folded
 * result with the fixture's {@code <case>.expected.json}, under the rules of the fixtures' README.
 *
 * <p><b>Fixtures.</b> A root folder (each module passes its own, e.g. {@code fixtures/providers} from
 * its test resources, see {@link #classpathRoot}) holds one folder per provider; in it each case is a
 * transcript {@code <case>.sse}, {@code .ndjson}, {@code .json} or {@code .hex.txt} (binary frames, one
 * per line in hex) beside {@code <case>.expected.json}.
 *
 * <p><b>Splits.</b> Every body is decoded whole, in reads of 1, 2, 3, 7 and 64 bytes, and in eight
 * random splits drawn from the fixture's {@link Seeds seed} (by default derived from its name, so runs
 * repeat; {@code -Daistream.seed=…} replays another, and a failure names the seed). Each result must
 * end with exactly one {@code done} chunk and fold to the expectation.
 *
 * <p><b>Folding and comparing.</b> The fold (chunks → the {@code expected.json} shape) is the
 * caller's: the providers' {@code ResponseSummary::of}. Comparison is by JSON value, except that a
 * {@code null} tool-call {@code id} or {@code null} error {@code message} in the expectation is not
 * compared (the README's rules).
 *
 * <p><b>Decoders</b> are given as a {@link Decoder} supplier, one new decoder per decode; adapt a
 * provider's {@code StreamDecoder d} with {@code Decoder.of(d::feed, d::end)}.
 *
 * <p>Immutable and thread-safe; assertion failures are AssertJ {@link AssertionError}s.
 */
public final class FixtureHarness {
    /** Fixed read sizes from the fixtures README, plus 0 = the whole body in one feed. */
    private static final int[] FIXED_SPLITS = {0, 1, 2, 3, 7, 64};

    private static final int RANDOM_SPLITS = 8;
    private static final String[] TRANSCRIPT_EXTENSIONS = {".sse", ".ndjson", ".json", ".hex.txt"};

    private final Path root;
    private final Function<? super List<StreamChunk>, ? extends JsonNode> fold;

    private FixtureHarness(Path root, Function<? super List<StreamChunk>, ? extends JsonNode> fold) {
        this.root = Objects.requireNonNull(root);
        this.fold = Objects.requireNonNull(fold);
    }

    /**
     * A harness for the fixtures under {@code root}, folding decoded chunks with {@code fold}.
     *
     * @param root the folder that holds one folder per provider
     * @param fold chunks → the {@code expected.json} shape (for the providers: {@code ResponseSummary::of})
     */
    public static FixtureHarness of(Path root, Function<? super List<StreamChunk>, ? extends JsonNode> fold) {
        return new FixtureHarness(root, fold);
    }

    /**
     * The folder {@code resource} (e.g. {@code "fixtures/providers"}) of the class path or module
     * that {@code anchor} was loaded from, as a file system path (test resources are directories).
     *
     * @throws IllegalStateException if it is not there, or not in a directory
     */
    public static Path classpathRoot(Class<?> anchor, String resource) {
        URL url = anchor.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException(resource + " is not on the class path of " + anchor.getName());
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException(resource + " is not a directory: " + url, e);
        }
    }

    /** The root folder. */
    public Path root() {
        return root;
    }

    /**
     * The fixtures of one provider folder whose transcript file name passes {@code filter}, sorted by
     * name.
     *
     * @throws IllegalStateException if an expectation has no transcript
     */
    public List<Fixture> fixtures(String folder, Predicate<String> filter) {
        Path dir = root.resolve(folder);
        try (Stream<Path> files = Files.list(dir)) {
            List<Fixture> result = new ArrayList<>();
            for (Path expected : files.filter(p -> p.getFileName().toString().endsWith(".expected.json"))
                    .sorted()
                    .toList()) {
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
        for (String ext : TRANSCRIPT_EXTENSIONS) {
            Path p = dir.resolve(name + ext);
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no transcript for " + dir.resolve(name));
    }

    /**
     * Decodes the fixture whole, in every fixed read size and in seeded random splits, and asserts
     * each result ends with exactly one {@code done} chunk and folds to the expectation.
     */
    public void assertFixture(Fixture fixture, Supplier<? extends Decoder> decoders) {
        assertBody(fixture.toString(), fixture.body(), fixture.expectedJson(), decoders);
    }

    /** Like {@link #assertFixture} for a body given directly (e.g. a fixture rewritten with CRLF). */
    public void assertBody(String name, byte[] body, JsonNode expected, Supplier<? extends Decoder> decoders) {
        for (int split : FIXED_SPLITS) {
            check(
                    name,
                    decoders,
                    body,
                    expected,
                    split == 0 ? "whole" : "reads of " + split,
                    cutsEvery(body.length, split));
        }
        // name.hashCode() as the default keeps the splits every earlier run of these fixtures used
        Seed seed = Seeds.seed(name, name.hashCode());
        SplittableRandom random = seed.random();
        for (int i = 0; i < RANDOM_SPLITS; i++) {
            long s = random.nextLong();
            check(
                    name,
                    decoders,
                    body,
                    expected,
                    "random split " + i + " (split seed " + s + "), " + seed,
                    randomCuts(body.length, new SplittableRandom(s)));
        }
    }

    private void check(
            String name, Supplier<? extends Decoder> decoders, byte[] body, JsonNode expected, String how, int[] cuts) {
        List<StreamChunk> chunks = decode(decoders.get(), body, cuts);
        String context = name + " (" + how + ")";
        assertThat(chunks).as(context + ": chunks end with exactly one done").isNotEmpty();
        assertThat(chunks.getLast()).as(context + ": last chunk").isInstanceOf(DoneChunk.class);
        assertThat(chunks.stream().filter(c -> c instanceof DoneChunk).count())
                .as(context + ": done count")
                .isEqualTo(1);
        assertMatches(fold(chunks), expected, context);
    }

    /** {@code chunks} folded into the {@code expected.json} shape by this harness's fold. */
    public JsonNode fold(List<StreamChunk> chunks) {
        return fold.apply(chunks);
    }

    /** Feeds {@code body} cut at the given offsets (ascending, exclusive of 0 and the length), then ends it. */
    public static List<StreamChunk> decode(Decoder decoder, byte[] body, int[] cuts) {
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

    /** Cuts for reads of {@code size} bytes over {@code length} bytes; none for size 0 (one read). */
    public static int[] cutsEvery(int length, int size) {
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

    /** Random cuts over {@code length} bytes: pieces of 1..8 or 1..200 bytes, drawn from {@code random}. */
    public static int[] randomCuts(int length, SplittableRandom random) {
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

    /**
     * Asserts {@code actual} equals {@code expected} under the fixtures' rules (a {@code null}
     * tool-call id or error message in the expectation is not compared); the failure message shows
     * both documents after {@code context}.
     */
    public static void assertMatches(JsonNode actual, JsonNode expected, String context) {
        JsonNode comparable = actual.deepCopy();
        JsonNode expectedCalls = expected.path("toolCalls");
        JsonNode actualCalls = comparable.path("toolCalls");
        if (expectedCalls.isArray() && actualCalls.isArray() && expectedCalls.size() == actualCalls.size()) {
            for (int i = 0; i < expectedCalls.size(); i++) {
                if (expectedCalls.get(i).path("id").isNull() && actualCalls.get(i) instanceof ObjectNode call) {
                    call.putNull("id");
                }
            }
        }
        if (expected.path("error").isObject()
                && expected.path("error").path("message").isNull()
                && comparable.path("error") instanceof ObjectNode error) {
            error.putNull("message");
        }
        // Compare as parsed from text, so numbers of different Java types (long vs int) compare by value.
        JsonNode actualTree = Jackson.mapper().readTree(comparable.toString());
        JsonNode expectedTree = Jackson.mapper().readTree(expected.toString());
        assertThat(actualTree)
                .as(context + "\nexpected: " + expected + "\nactual:   " + comparable)
                .isEqualTo(expectedTree);
    }

    /**
     * One transcript with its expectation.
     *
     * @param folder     the provider folder
     * @param name       the case name (the file name without extension)
     * @param transcript the transcript file
     * @param expected   the {@code .expected.json} file
     */
    public record Fixture(String folder, String name, Path transcript, Path expected) {
        /** The body bytes; a {@code .hex.txt} transcript is hex-decoded line by line and concatenated. */
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

        /** The expectation, parsed. */
        public JsonNode expectedJson() {
            try {
                return Jackson.mapper().readTree(Files.readAllBytes(expected));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** {@code <folder>/<transcript file name>}: the name in test reports and failures. */
        @Override
        public String toString() {
            return folder + "/" + transcript.getFileName();
        }
    }

    /**
     * The decoder under test, as the harness drives it: bytes in any split, then the end of the body;
     * chunks go to the given sink. One instance per decode; used from one thread.
     */
    public interface Decoder {
        /** Decodes {@code len} bytes of {@code bytes} from {@code off}. */
        void feed(byte[] bytes, int off, int len, Consumer<? super StreamChunk> sink);

        /** The body has ended. */
        void end(Consumer<? super StreamChunk> sink);

        /** A decoder from two method references, e.g. {@code Decoder.of(streamDecoder::feed, streamDecoder::end)}. */
        static Decoder of(Feed feed, End end) {
            Objects.requireNonNull(feed);
            Objects.requireNonNull(end);
            return new Decoder() {
                @Override
                public void feed(byte[] bytes, int off, int len, Consumer<? super StreamChunk> sink) {
                    feed.feed(bytes, off, len, sink);
                }

                @Override
                public void end(Consumer<? super StreamChunk> sink) {
                    end.end(sink);
                }
            };
        }

        /** {@link Decoder#feed} as a functional interface. */
        @FunctionalInterface
        interface Feed {
            /** See {@link Decoder#feed}. */
            void feed(byte[] bytes, int off, int len, Consumer<? super StreamChunk> sink);
        }

        /** {@link Decoder#end} as a functional interface. */
        @FunctionalInterface
        interface End {
            /** See {@link Decoder#end}. */
            void end(Consumer<? super StreamChunk> sink);
        }
    }
}
