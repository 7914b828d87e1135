package io.aistream.provider.ollama;

import static io.aistream.provider.testing.ProviderFixtures.HARNESS;
import static io.aistream.provider.testing.ProviderFixtures.decoders;

import io.aistream.provider.spi.DecoderContext;
import io.aistream.testing.FixtureHarness.Fixture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OllamaFixturesTest {
    private static final DecoderContext CONTEXT = new DecoderContext("ollama", "llama3.2");

    static List<Fixture> nativeChatFixtures() {
        return HARNESS.fixtures("ollama", name -> name.startsWith("chat-") && name.endsWith(".ndjson"));
    }

    @ParameterizedTest
    @MethodSource("nativeChatFixtures")
    void nativeChatTranscriptsDecodeToTheExpectedResultInEverySplit(Fixture fixture) {
        HARNESS.assertFixture(fixture, decoders(() -> new OllamaProtocol().newDecoder(CONTEXT)));
    }

    @ParameterizedTest
    @MethodSource("nativeChatFixtures")
    void crlfLineEndingsDecodeTheSame(Fixture fixture) {
        byte[] crlf = new String(fixture.body(), StandardCharsets.UTF_8)
                .replace("\n", "\r\n")
                .getBytes(StandardCharsets.UTF_8);
        HARNESS.assertBody(
                fixture + " with CRLF", crlf, fixture.expectedJson(), decoders(() -> new OllamaStreamDecoder(CONTEXT)));
    }
}
