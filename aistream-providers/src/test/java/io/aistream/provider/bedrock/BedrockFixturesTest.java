package io.aistream.provider.bedrock;

import static io.aistream.provider.testing.ProviderFixtures.HARNESS;
import static io.aistream.provider.testing.ProviderFixtures.decoders;

import io.aistream.provider.spi.DecoderContext;
import io.aistream.testing.FixtureHarness.Fixture;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Bedrock transcript (hex frames), whole, in 1/2/3/7/64-byte reads and in seeded random splits. */
class BedrockFixturesTest {

    static List<Fixture> bedrockFixtures() {
        return HARNESS.fixtures("bedrock", name -> name.endsWith(".hex.txt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bedrockFixtures")
    void everyBedrockTranscriptDecodesToItsExpectationInEverySplit(Fixture fixture) {
        HARNESS.assertFixture(
                fixture,
                decoders(() ->
                        new BedrockProtocol().newDecoder(new DecoderContext("bedrock", "anthropic.claude-sonnet"))));
    }
}
