package io.aistream.provider.anthropic;

import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.FixtureHarness;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AnthropicFixturesTest {

    static List<FixtureHarness.Fixture> fixtures() {
        return FixtureHarness.fixtures("anthropic", name -> name.endsWith(".sse"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decodesEveryFixtureTheSameInEverySplit(FixtureHarness.Fixture fixture) {
        FixtureHarness.assertFixture(fixture,
                () -> new AnthropicProtocol().newDecoder(new DecoderContext("anthropic", "claude-test")));
    }
}
