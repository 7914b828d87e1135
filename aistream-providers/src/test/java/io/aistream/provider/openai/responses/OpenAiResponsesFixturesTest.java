package io.aistream.provider.openai.responses;

import static io.aistream.provider.testing.ProviderFixtures.HARNESS;
import static io.aistream.provider.testing.ProviderFixtures.decoders;

import io.aistream.provider.spi.DecoderContext;
import io.aistream.testing.FixtureHarness.Fixture;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Responses API transcript decodes to its expectation in every split. */
class OpenAiResponsesFixturesTest {
    private static final OpenAiResponsesProtocol PROTOCOL = new OpenAiResponsesProtocol();

    static List<Fixture> responses() {
        return HARNESS.fixtures("openai-responses", name -> true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void responsesTranscriptDecodesToItsExpectation(Fixture fixture) {
        HARNESS.assertFixture(fixture, decoders(() -> PROTOCOL.newDecoder(new DecoderContext("openai", "gpt-4.1"))));
    }
}
