package io.aistream.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.DecoderContext;
import io.aistream.provider.FixtureHarness;
import io.aistream.provider.FixtureHarness.Fixture;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every Bedrock transcript, whole, in 1/2/3/7/64-byte reads and in seeded random splits.
 *
 * <p>This runs the harness's own {@code decode}, {@code normalize} and {@code assertMatches}, but not
 * {@code FixtureHarness.assertFixture}: that compares {@code normalize}'s usage counts (long nodes)
 * with the expectation's (int nodes) by node equality, so any fixture with usage fails there
 * although the numbers agree. Here the normalized result is re-read from its JSON text first.
 * Once the harness compares numbers by value, this can call {@code assertFixture} directly.
 */
class BedrockFixturesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int[] FIXED_READS = {1, 2, 3, 7, 64};

    static List<Fixture> bedrockFixtures() {
        return FixtureHarness.fixtures("bedrock", name -> name.endsWith(".hex.txt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bedrockFixtures")
    void everyBedrockTranscriptDecodesToItsExpectationInEverySplit(Fixture fixture) {
        byte[] body = fixture.body();
        JsonNode expected = fixture.expectedJson();
        check(fixture, body, expected, "whole", new int[0]);
        for (int size : FIXED_READS) {
            check(fixture, body, expected, "reads of " + size, fixedCuts(body.length, size));
        }
        SplittableRandom random = new SplittableRandom(fixture.toString().hashCode());
        for (int i = 0; i < 8; i++) {
            long seed = random.nextLong();
            check(fixture, body, expected, "random split seed " + seed, randomCuts(body.length, new SplittableRandom(seed)));
        }
    }

    private static void check(Fixture fixture, byte[] body, JsonNode expected, String how, int[] cuts) {
        String context = fixture + " (" + how + ")";
        List<StreamChunk> chunks = FixtureHarness.decode(
                new BedrockProtocol().newDecoder(new DecoderContext("bedrock", "anthropic.claude-sonnet")), body, cuts);
        assertThat(chunks).as(context).isNotEmpty();
        assertThat(chunks.get(chunks.size() - 1)).as(context + ": last chunk").isInstanceOf(DoneChunk.class);
        assertThat(chunks.stream().filter(DoneChunk.class::isInstance).count()).as(context + ": done count").isEqualTo(1);
        ObjectNode actual = (ObjectNode) JSON.readTree(FixtureHarness.normalize(chunks).toString());
        FixtureHarness.assertMatches(actual, expected, context);
    }

    private static int[] fixedCuts(int length, int size) {
        int[] cuts = new int[(length - 1) / size];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = (i + 1) * size;
        }
        return cuts;
    }

    private static int[] randomCuts(int length, SplittableRandom random) {
        List<Integer> cuts = new ArrayList<>();
        for (int pos = 1 + random.nextInt(200); pos < length; pos += 1 + random.nextInt(random.nextBoolean() ? 8 : 200)) {
            cuts.add(pos);
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }
}
