package io.aistream.provider.registry;

import io.aistream.provider.spi.InvalidConfigException;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.anthropic.AnthropicProtocol;
import io.aistream.provider.bedrock.BedrockProtocol;
import io.aistream.provider.cohere.CohereProtocol;
import io.aistream.provider.gemini.GeminiProtocol;
import io.aistream.provider.ollama.OllamaProtocol;
import io.aistream.provider.openai.OpenAiChatProtocol;
import io.aistream.provider.openai.OpenAiCompatible;
import io.aistream.provider.openai.responses.OpenAiResponsesProtocol;
import java.util.List;
import java.util.Optional;

/**
 * Every wire protocol aistream speaks, by id, and the provider names each is known by.
 *
 * <p>Stateless and thread-safe. The only place that knows all provider packages.
 */
public final class ProtocolCatalog {
    private static final List<String> IDS = List.of(OpenAiChatProtocol.ID, OpenAiResponsesProtocol.ID, AnthropicProtocol.ID,
            GeminiProtocol.ID, OllamaProtocol.ID, CohereProtocol.ID, BedrockProtocol.ID);

    private ProtocolCatalog() {
    }

    /** The protocol ids, e.g. {@code openai-chat}, {@code anthropic}. */
    public static List<String> ids() {
        return IDS;
    }

    /**
     * The protocol for {@code config}: its {@link ProviderConfig#protocol()} id, and for
     * {@code openai-chat} the preset named by the {@code preset} setting or the provider's name.
     *
     * @throws InvalidConfigException if the protocol id is unknown
     */
    public static ProviderProtocol create(ProviderConfig config) {
        return find(config.protocol(), config).orElseThrow(() -> new InvalidConfigException(
                "provider '" + config.name() + "' names an unknown protocol '" + config.protocol() + "'; known: " + IDS));
    }

    /** The protocol with this id in its default configuration, if the id is known. */
    public static Optional<ProviderProtocol> byId(String protocolId) {
        return find(protocolId, null);
    }

    private static Optional<ProviderProtocol> find(String id, ProviderConfig config) {
        return Optional.ofNullable(switch (id) {
            case OpenAiChatProtocol.ID -> new OpenAiChatProtocol(
                    config == null ? OpenAiCompatible.OPENAI : OpenAiCompatible.forConfig(config));
            case OpenAiResponsesProtocol.ID -> new OpenAiResponsesProtocol();
            case AnthropicProtocol.ID -> new AnthropicProtocol();
            case GeminiProtocol.ID -> new GeminiProtocol();
            case OllamaProtocol.ID -> new OllamaProtocol();
            case CohereProtocol.ID -> new CohereProtocol();
            case BedrockProtocol.ID -> new BedrockProtocol();
            default -> null;
        });
    }

    /**
     * The protocol and provider name for a name as used in the fixtures and on the command line:
     * the protocol ids, the OpenAI-compatible preset names ({@code deepseek}, {@code openrouter},
     * {@code mistral}, {@code azure-openai}, ...) and {@code openai}.
     */
    public static Optional<ProviderProtocol> forProviderName(String name) {
        Optional<ProviderProtocol> direct = byId(name);
        if (direct.isPresent()) {
            return direct;
        }
        return OpenAiCompatible.fromId(name).map(OpenAiChatProtocol::new);
    }
}
