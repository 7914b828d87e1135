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

    exports io.aistream.provider;
}
