package io.aistream.provider.cohere;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.FixtureHarness;
import io.aistream.provider.StreamDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link FixtureHarness#assertFixture} with one difference: the folded result is re-read from its JSON
 * text before the comparison. The harness puts usage counts as long nodes while {@code expected.json}
 * reads them as int nodes, and Jackson's node equality tells the two apart, so every fixture with usage
 * fails there whatever the decoder does. Replace calls to this class with the harness once it compares
 * numbers by value.
 */
final class FixtureReplay {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int[] FIXED_READS = {0, 1, 2, 3, 7, 64};
    private static final int RANDOM_SPLITS = 8;

    private FixtureReplay() {
    }

    static void assertFixture(FixtureHarness.Fixture fixture, Supplier<? extends StreamDecoder> decoders) {
        byte[] body = fixture.body();
        JsonNode expected = fixture.expectedJson();
        for (int size : FIXED_READS) {
            check(fixture, decoders.get(), body, expected, size == 0 ? "whole" : "reads of " + size, fixed(body.length, size));
        }
        SplittableRandom seeds = new SplittableRandom(fixture.toString().hashCode());
        for (int i = 0; i < RANDOM_SPLITS; i++) {
            long seed = seeds.nextLong();
            check(fixture, decoders.get(), body, expected, "random split seed " + seed,
                    random(body.length, new SplittableRandom(seed)));
        }
    }

    private static void check(FixtureHarness.Fixture fixture, StreamDecoder decoder, byte[] body, JsonNode expected,
            String how, int[] cuts) {
        List<StreamChunk> chunks = FixtureHarness.decode(decoder, body, cuts);
        String context = fixture + " (" + how + ")";
        assertThat(chunks).as(context + ": chunks").isNotEmpty();
        assertThat(chunks.getLast()).as(context + ": last chunk").isInstanceOf(DoneChunk.class);
        assertThat(chunks.stream().filter(DoneChunk.class::isInstance).count()).as(context + ": done count")
                .isEqualTo(1);
        assertThat(decoder.isDone()).as(context + ": isDone").isTrue();
        ObjectNode folded = (ObjectNode) JSON.readTree(FixtureHarness.normalize(chunks).toString());
        FixtureHarness.assertMatches(folded, expected, context);
    }

    private static int[] fixed(int length, int size) {
        if (size == 0 || length == 0) {
            return new int[0];
        }
        int[] cuts = new int[(length - 1) / size];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = (i + 1) * size;
        }
        return cuts;
    }

    private static int[] random(int length, SplittableRandom random) {
        List<Integer> cuts = new ArrayList<>();
        for (int pos = 1 + random.nextInt(200); pos < length; pos += 1 + random.nextInt(random.nextBoolean() ? 8 : 200)) {
            cuts.add(pos);
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }
}
