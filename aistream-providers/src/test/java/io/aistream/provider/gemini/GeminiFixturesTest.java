package io.aistream.provider.gemini;

import static io.aistream.provider.testing.ProviderFixtures.HARNESS;
import static io.aistream.provider.testing.ProviderFixtures.decoders;

import io.aistream.provider.spi.DecoderContext;
import io.aistream.sse.SseLimits;
import io.aistream.testing.FixtureHarness.Fixture;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GeminiFixturesTest {
    private static final DecoderContext CONTEXT = new DecoderContext("gemini", "gemini-2.5-flash");

    static List<Fixture> sseFixtures() {
        return HARNESS.fixtures("gemini", name -> name.endsWith(".sse"));
    }

    static List<Fixture> jsonArrayFixtures() {
        return HARNESS.fixtures("gemini", name -> name.endsWith(".json"));
    }

    static List<Fixture> allFixtures() {
        return HARNESS.fixtures("gemini", name -> true);
    }

    @ParameterizedTest
    @MethodSource("sseFixtures")
    void sseTranscriptsDecodeToTheExpectedResultInEverySplit(Fixture fixture) {
        HARNESS.assertFixture(fixture, decoders(() -> GeminiStreamDecoder.sse(CONTEXT, SseLimits.DEFAULTS)));
    }

    @ParameterizedTest
    @MethodSource("jsonArrayFixtures")
    void jsonArrayTranscriptsDecodeToTheExpectedResultInEverySplit(Fixture fixture) {
        HARNESS.assertFixture(fixture, decoders(() -> GeminiStreamDecoder.jsonArray(CONTEXT, SseLimits.DEFAULTS)));
    }

    @ParameterizedTest
    @MethodSource("allFixtures")
    void theProtocolDecoderDetectsEitherFraming(Fixture fixture) {
        HARNESS.assertFixture(fixture, decoders(() -> new GeminiProtocol().newDecoder(CONTEXT)));
    }
}
