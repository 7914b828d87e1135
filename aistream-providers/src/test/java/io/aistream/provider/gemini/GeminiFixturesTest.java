package io.aistream.provider.gemini;

import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.FixtureHarness;
import io.aistream.provider.FixtureHarness.Fixture;
import io.aistream.sse.SseLimits;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GeminiFixturesTest {
    private static final DecoderContext CONTEXT = new DecoderContext("gemini", "gemini-2.5-flash");

    static List<Fixture> sseFixtures() {
        return FixtureHarness.fixtures("gemini", name -> name.endsWith(".sse"));
    }

    static List<Fixture> jsonArrayFixtures() {
        return FixtureHarness.fixtures("gemini", name -> name.endsWith(".json"));
    }

    static List<Fixture> allFixtures() {
        return FixtureHarness.fixtures("gemini", name -> true);
    }

    @ParameterizedTest
    @MethodSource("sseFixtures")
    void sseTranscriptsDecodeToTheExpectedResultInEverySplit(Fixture fixture) {
        FixtureHarness.assertFixture(fixture, () -> GeminiStreamDecoder.sse(CONTEXT, SseLimits.DEFAULTS));
    }

    @ParameterizedTest
    @MethodSource("jsonArrayFixtures")
    void jsonArrayTranscriptsDecodeToTheExpectedResultInEverySplit(Fixture fixture) {
        FixtureHarness.assertFixture(fixture, () -> GeminiStreamDecoder.jsonArray(CONTEXT, SseLimits.DEFAULTS));
    }

    @ParameterizedTest
    @MethodSource("allFixtures")
    void theProtocolDecoderDetectsEitherFraming(Fixture fixture) {
        FixtureHarness.assertFixture(fixture, () -> new GeminiProtocol().newDecoder(CONTEXT));
    }
}
