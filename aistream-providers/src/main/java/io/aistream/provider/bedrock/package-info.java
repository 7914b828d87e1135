/**
 * Amazon Bedrock {@code ConverseStream}: {@link io.aistream.provider.bedrock.BedrockProtocol}
 * (Converse request JSON, SigV4 signing or a Bedrock API key, error responses) and
 * {@link io.aistream.provider.bedrock.BedrockStreamDecoder} (the binary
 * {@code application/vnd.amazon.eventstream} response). Signing and frame decoding use the AWS SDK
 * for Java v2's small {@code http-auth-aws} and {@code eventstream} libraries, never its clients or
 * HTTP stack. {@link io.aistream.provider.bedrock.BedrockDescriptor} registers it.
 */
package io.aistream.provider.bedrock;
