package io.aistream.provider.openai;

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
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link FixtureHarness#assertFixture} with one difference: the harness folds usage counts into
 * {@code long} nodes while {@code expected.json} parses them as {@code int} nodes, and Jackson's
 * numeric nodes of different types are never equal, so every fixture with usage would fail on
 * identical numbers. This runs the same splits (whole, 1/2/3/7/64-byte reads, 8 seeded random splits)
 * through {@link FixtureHarness#decode} and {@link FixtureHarness#normalize}, narrows the usage counts
 * to {@code int} nodes, and compares with {@link FixtureHarness#assertMatches}. Once the harness
 * narrows them itself, callers can switch back to it.
 */
public final class OpenAiFixtureCheck {
    private static final int[] FIXED_SPLITS = {0, 1, 2, 3, 7, 64};
    private static final int RANDOM_SPLITS = 8;

    private OpenAiFixtureCheck() {
    }

    public static void assertFixture(Fixture fixture, Supplier<? extends StreamDecoder> decoders) {
        byte[] body = fixture.body();
        JsonNode expected = fixture.expectedJson();
        for (int size : FIXED_SPLITS) {
            check(fixture, decoders.get(), body, expected, size == 0 ? "whole" : "reads of " + size, fixed(body.length, size));
        }
        SplittableRandom seeds = new SplittableRandom(fixture.toString().hashCode());
        for (int i = 0; i < RANDOM_SPLITS; i++) {
            long seed = seeds.nextLong();
            check(fixture, decoders.get(), body, expected, "random split seed " + seed,
                    random(body.length, new SplittableRandom(seed)));
        }
    }

    private static void check(Fixture fixture, StreamDecoder decoder, byte[] body, JsonNode expected, String how,
            int[] cuts) {
        List<StreamChunk> chunks = FixtureHarness.decode(decoder, body, cuts);
        String context = fixture + " (" + how + ")";
        assertThat(chunks).as(context + ": chunks").isNotEmpty();
        assertThat(chunks.get(chunks.size() - 1)).as(context + ": last chunk").isInstanceOf(DoneChunk.class);
        assertThat(chunks.stream().filter(DoneChunk.class::isInstance).count()).as(context + ": done count").isEqualTo(1);
        assertThat(decoder.isDone()).as(context + ": decoder done").isTrue();
        ObjectNode actual = FixtureHarness.normalize(chunks);
        if (actual.get("usage") instanceof ObjectNode usage) {
            usage.put("inputTokens", Math.toIntExact(usage.get("inputTokens").asLong()));
            usage.put("outputTokens", Math.toIntExact(usage.get("outputTokens").asLong()));
        }
        FixtureHarness.assertMatches(actual, expected, context);
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
                break;
            }
            cuts.add(pos);
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }
}
