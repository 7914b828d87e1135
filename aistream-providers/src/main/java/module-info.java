import io.aistream.provider.spi.ProviderDescriptor;

/**
 * Provider adapters for aistream.
 *
 * <p>API: {@code io.aistream.provider} (what a caller streams from), {@code .registry} (the live
 * providers, built from the environment and config), {@code .spi} (what a provider implements, with
 * {@link ProviderDescriptor} to register it), {@code .support} (the decoder toolkit a provider may
 * use), {@code .transport}, {@code .simulated} and {@code .replay}. The provider packages are not
 * exported: each is reached through the descriptor it {@code provides}, and a new provider is one
 * new package plus its {@code provides} line here (and in {@code META-INF/services}).
 */
module io.aistream.providers {
    requires transitive io.aistream.core;
    requires transitive java.net.http;
    // Bedrock: AWS SDK v2's SigV4 signer and event-stream codec (automatic modules)
    requires software.amazon.awssdk.eventstream;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.http.auth.aws;
    requires software.amazon.awssdk.http.auth.spi;
    requires software.amazon.awssdk.identity.spi;
    // decoders log the event types they skip; on the module path the SDK's automatic modules log
    // through SLF4J too and need some explicit module to require it
    requires org.slf4j;

    exports io.aistream.provider;
    exports io.aistream.provider.spi;
    exports io.aistream.provider.registry;
    exports io.aistream.provider.support;
    exports io.aistream.provider.transport;
    exports io.aistream.provider.simulated;
    exports io.aistream.provider.replay;

    uses ProviderDescriptor;

    provides ProviderDescriptor with
            io.aistream.provider.openai.OpenAiChatDescriptor,
            io.aistream.provider.openai.responses.OpenAiResponsesDescriptor,
            io.aistream.provider.anthropic.AnthropicDescriptor,
            io.aistream.provider.gemini.GeminiDescriptor,
            io.aistream.provider.ollama.OllamaDescriptor,
            io.aistream.provider.cohere.CohereDescriptor,
            io.aistream.provider.bedrock.BedrockDescriptor,
            io.aistream.provider.vertex.VertexDescriptor,
            io.aistream.provider.vertex.VertexAnthropicDescriptor;
}
