package io.aistream.provider.openai.responses;

import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.FixtureHarness;
import io.aistream.provider.FixtureHarness.Fixture;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Responses API transcript decodes to its expectation in every split. */
class OpenAiResponsesFixturesTest {
    private static final OpenAiResponsesProtocol PROTOCOL = new OpenAiResponsesProtocol();

    static List<Fixture> responses() {
        return FixtureHarness.fixtures("openai-responses", name -> true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void responsesTranscriptDecodesToItsExpectation(Fixture fixture) {
        FixtureHarness.assertFixture(fixture, () -> PROTOCOL.newDecoder(new DecoderContext("openai", "gpt-4.1")));
    }
}
