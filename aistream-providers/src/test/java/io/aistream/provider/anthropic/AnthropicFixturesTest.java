package io.aistream.provider.anthropic;

import static io.aistream.provider.testing.ProviderFixtures.HARNESS;
import static io.aistream.provider.testing.ProviderFixtures.decoders;

import io.aistream.provider.spi.DecoderContext;
import io.aistream.testing.FixtureHarness;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AnthropicFixturesTest {

    static List<FixtureHarness.Fixture> fixtures() {
        return HARNESS.fixtures("anthropic", name -> name.endsWith(".sse"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decodesEveryFixtureTheSameInEverySplit(FixtureHarness.Fixture fixture) {
        HARNESS.assertFixture(
                fixture,
                decoders(() -> new AnthropicProtocol().newDecoder(new DecoderContext("anthropic", "claude-test"))));
    }
}
