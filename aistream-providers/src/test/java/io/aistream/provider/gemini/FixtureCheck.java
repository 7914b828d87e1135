package io.aistream.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.FixtureHarness;
import io.aistream.provider.FixtureHarness.Fixture;
import io.aistream.provider.StreamDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link FixtureHarness#assertFixture} with one difference: the folded result is round-tripped
 * through JSON text before the comparison. The harness puts usage counts as {@code long}
 * ({@code LongNode}) while the parsed expectation holds {@code IntNode}s, and Jackson's node
 * equality is type-sensitive, so every fixture with usage would fail the harness's own comparison.
 * Same splits as the harness: whole, reads of 1/2/3/7/64 bytes, eight seeded random splits.
 */
final class FixtureCheck {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int[] FIXED = {0, 1, 2, 3, 7, 64};

    private FixtureCheck() {
    }

    static void assertFixture(Fixture fixture, Supplier<? extends StreamDecoder> decoders) {
        assertBody(fixture.toString(), fixture.body(), fixture.expectedJson(), decoders);
    }

    /** The same checks for a body and expectation not taken from a fixture file as is. */
    static void assertBody(String name, byte[] body, JsonNode expected, Supplier<? extends StreamDecoder> decoders) {
        for (int size : FIXED) {
            check(name, decoders, body, expected, size == 0 ? "whole" : "reads of " + size, fixed(body.length, size));
        }
        SplittableRandom seeds = new SplittableRandom(name.hashCode());
        for (int i = 0; i < 8; i++) {
            long seed = seeds.nextLong();
            check(name, decoders, body, expected, "random split seed " + seed,
                    random(body.length, new SplittableRandom(seed)));
        }
    }

    private static void check(String name, Supplier<? extends StreamDecoder> decoders, byte[] body, JsonNode expected,
            String how, int[] cuts) {
        String context = name + " (" + how + ")";
        List<StreamChunk> chunks = FixtureHarness.decode(decoders.get(), body, cuts);
        assertThat(chunks).as(context).isNotEmpty();
        assertThat(chunks.get(chunks.size() - 1)).as(context + ": last chunk").isInstanceOf(DoneChunk.class);
        assertThat(chunks.stream().filter(DoneChunk.class::isInstance).count()).as(context + ": done count").isEqualTo(1);
        ObjectNode folded = (ObjectNode) JSON.readTree(JSON.writeValueAsString(FixtureHarness.normalize(chunks)));
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
        int pos = 0;
        while (true) {
            pos += 1 + random.nextInt(random.nextBoolean() ? 8 : 200);
            if (pos >= length) {
                return cuts.stream().mapToInt(Integer::intValue).toArray();
            }
            cuts.add(pos);
        }
    }
}
