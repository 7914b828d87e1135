package io.aistream.provider.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.InvalidConfigException;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderDescriptor;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.spi.WireFormat;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProtocolCatalogTest {

    @Test
    void descriptorsAreLoadedAsServicesInAStableOrder() {
        assertThat(ProtocolCatalog.ids())
                .containsExactly(
                        "openai-chat",
                        "openai-responses",
                        "anthropic",
                        "gemini",
                        "ollama",
                        "cohere",
                        "bedrock",
                        "vertex",
                        "vertex-anthropic");
        assertThat(ProtocolCatalog.descriptors())
                .extracting(ProviderDescriptor::id)
                .isEqualTo(ProtocolCatalog.ids());
    }

    @Test
    void providerNamesAreIdsPresetsAndAliases() {
        assertThat(ProtocolCatalog.providerNames())
                .contains(
                        "openai-chat",
                        "openai",
                        "azure-openai",
                        "deepseek",
                        "mistral",
                        "openrouter",
                        "groq",
                        "together",
                        "xai",
                        "vllm",
                        "lmstudio",
                        "llamacpp",
                        "ollama-openai",
                        "openai-responses",
                        "anthropic",
                        "gemini",
                        "ollama",
                        "cohere",
                        "bedrock",
                        "vertex",
                        "vertex-anthropic")
                .doesNotHaveDuplicates();
    }

    @Test
    void aPresetNamePicksItsProtocolAndQuirks() {
        assertThat(ProtocolCatalog.forProviderName("deepseek").orElseThrow().id())
                .isEqualTo("openai-chat");
        assertThat(ProtocolCatalog.forProviderName("deepseek").orElseThrow().supportsAssistantPrefill())
                .isTrue();
        assertThat(ProtocolCatalog.forProviderName("openai").orElseThrow().supportsAssistantPrefill())
                .isFalse();
        assertThat(ProtocolCatalog.forProviderName("anthropic").orElseThrow().id())
                .isEqualTo("anthropic");
        assertThat(ProtocolCatalog.forProviderName("acme")).isEmpty();
        assertThat(ProtocolCatalog.byId("deepseek"))
                .as("a preset is not a protocol id")
                .isEmpty();
    }

    @Test
    void aDecoderIsPickedByNameAndFraming() {
        DecoderContext context = new DecoderContext("ollama", "m");
        assertThat(ProtocolCatalog.decoder("ollama", WireFormat.NDJSON, context))
                .isPresent();
        assertThat(ProtocolCatalog.decoder("ollama", WireFormat.SSE, context))
                .as("Ollama's OpenAI-compatible endpoint")
                .isPresent();
        assertThat(ProtocolCatalog.decoder("anthropic", WireFormat.NDJSON, context))
                .isEmpty();
        assertThat(ProtocolCatalog.decoder("gemini", WireFormat.JSON_ARRAY, context))
                .isPresent();
        assertThat(ProtocolCatalog.decoder("acme", WireFormat.SSE, context)).isEmpty();
    }

    @Test
    void anUnknownProtocolIsAConfigErrorListingTheKnownOnes() {
        assertThatThrownBy(() -> ProtocolCatalog.create(
                        new ProviderConfig("x", "acme", URI.create("http://h"), Optional.empty(), Map.of())))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("acme")
                .hasMessageContaining("anthropic");
    }

    @Test
    void everySampleBodyDecodesIntoItsTextDeltasAndOneDone() {
        for (ProviderDescriptor d : ProtocolCatalog.descriptors()) {
            byte[] body = d.sampleBody(25).orElseThrow(() -> new AssertionError(d.id() + " offers no sample body"));
            StreamDecoder decoder = d.protocolFor(d.id()).newDecoder(new DecoderContext(d.id(), "m"));
            List<StreamChunk> chunks = new ArrayList<>();
            for (int off = 0; off < body.length; off += 100) {
                decoder.feed(body, off, Math.min(100, body.length - off), chunks::add);
            }
            decoder.end(chunks::add);
            assertThat(chunks).as(d.id()).hasSize(26);
            assertThat(chunks.subList(0, 25)).as(d.id()).allMatch(c -> c instanceof ContentChunk);
            assertThat(chunks.get(25)).as(d.id()).isInstanceOf(DoneChunk.class);
        }
    }

    @Test
    void aConfigEntryWithoutBaseUrlGetsItsProtocolsDefault() {
        ProviderRegistry registry = ProviderRegistry.builder()
                .config(
                        tools.jackson.databind.json.JsonMapper.builder()
                                .build()
                                .readTree(
                                        "{\"providers\":{\"deepseek\":{\"protocol\":\"openai-chat\",\"apiKey\":\"k\"},"
                                                + "\"anthropic\":{\"protocol\":\"anthropic\",\"apiKey\":\"k\"}}}"),
                        java.util.Set.of())
                .build();
        assertThat(registry.providerNames()).contains("deepseek", "anthropic");
    }
}
