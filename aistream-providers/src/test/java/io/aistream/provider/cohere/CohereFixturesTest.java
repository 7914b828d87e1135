package io.aistream.provider.cohere;

import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.FixtureHarness;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CohereFixturesTest {

    static List<FixtureHarness.Fixture> fixtures() {
        return FixtureHarness.fixtures("cohere", name -> name.endsWith(".sse"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decodesEveryFixtureTheSameInEverySplit(FixtureHarness.Fixture fixture) {
        FixtureHarness.assertFixture(fixture,
                () -> new CohereProtocol().newDecoder(new DecoderContext("cohere", "command-a-03-2025")));
    }
}
