package io.aistream.provider.openai;

import static io.aistream.provider.testing.ProviderFixtures.HARNESS;
import static io.aistream.provider.testing.ProviderFixtures.decoders;

import io.aistream.provider.spi.DecoderContext;
import io.aistream.testing.FixtureHarness.Fixture;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Chat Completions transcript (OpenAI and compatibles) decodes to its expectation in every split. */
class OpenAiChatFixturesTest {
    private static final OpenAiChatProtocol PROTOCOL = new OpenAiChatProtocol();

    static Stream<Fixture> openAiChat() {
        return HARNESS.fixtures("openai-chat", name -> true).stream();
    }

    static Stream<Fixture> compatibles() {
        return Stream.of("azure-openai", "deepseek", "openrouter", "mistral")
                .flatMap(folder -> HARNESS.fixtures(folder, name -> true).stream());
    }

    static List<Fixture> ollamaOpenAiCompat() {
        return HARNESS.fixtures("ollama", name -> name.startsWith("openai-compat-") && name.endsWith(".sse"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openAiChat")
    void openAiChatTranscriptDecodesToItsExpectation(Fixture fixture) {
        HARNESS.assertFixture(fixture, decoders(() -> PROTOCOL.newDecoder(new DecoderContext("openai", "gpt-4o"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compatibles")
    void compatibleServerTranscriptDecodesToItsExpectation(Fixture fixture) {
        HARNESS.assertFixture(
                fixture, decoders(() -> PROTOCOL.newDecoder(new DecoderContext(fixture.folder(), "requested-model"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ollamaOpenAiCompat")
    void ollamaOpenAiCompatTranscriptDecodesToItsExpectation(Fixture fixture) {
        HARNESS.assertFixture(
                fixture,
                decoders(() -> new OpenAiChatProtocol(OpenAiCompatible.OLLAMA_OPENAI)
                        .newDecoder(new DecoderContext("ollama", "llama3.2"))));
    }
}
