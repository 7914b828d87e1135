/** Provider adapters for aistream. Only API packages are exported. */
module io.aistream.providers {
    requires transitive io.aistream.core;
    requires transitive java.net.http;
    // Bedrock: AWS SDK v2's SigV4 signer and event-stream codec (automatic modules)
    requires software.amazon.awssdk.eventstream;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.http.auth.aws;
    requires software.amazon.awssdk.http.auth.spi;
    requires software.amazon.awssdk.identity.spi;
    // not used here, but on the module path the SDK's automatic modules log through SLF4J and would
    // find no org.slf4j unless some explicit module requires it
    requires org.slf4j;

    exports io.aistream.provider;
    exports io.aistream.provider.spi;
    exports io.aistream.provider.registry;
    exports io.aistream.provider.support;
    exports io.aistream.provider.transport;
    exports io.aistream.provider.simulated;
    exports io.aistream.provider.replay;
    exports io.aistream.provider.openai;
    exports io.aistream.provider.openai.responses;
    exports io.aistream.provider.anthropic;
    exports io.aistream.provider.gemini;
    exports io.aistream.provider.ollama;
    exports io.aistream.provider.cohere;
    exports io.aistream.provider.bedrock;
}
