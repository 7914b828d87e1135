package io.aistream.provider.bedrock;

import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.FixtureHarness;
import io.aistream.provider.FixtureHarness.Fixture;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Bedrock transcript (hex frames), whole, in 1/2/3/7/64-byte reads and in seeded random splits. */
class BedrockFixturesTest {

    static List<Fixture> bedrockFixtures() {
        return FixtureHarness.fixtures("bedrock", name -> name.endsWith(".hex.txt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bedrockFixtures")
    void everyBedrockTranscriptDecodesToItsExpectationInEverySplit(Fixture fixture) {
        FixtureHarness.assertFixture(fixture,
                () -> new BedrockProtocol().newDecoder(new DecoderContext("bedrock", "anthropic.claude-sonnet")));
    }
}
