/**
 * Amazon Bedrock {@code ConverseStream}: {@link io.aistream.provider.bedrock.BedrockProtocol}
 * (Converse request JSON, SigV4 signing or a Bedrock API key, error responses) and
 * {@link io.aistream.provider.bedrock.BedrockStreamDecoder} (the binary
 * {@code application/vnd.amazon.eventstream} response). Signing and frame decoding use the AWS SDK
 * for Java v2's small {@code http-auth-aws} and {@code eventstream} libraries, never its clients or
 * HTTP stack. {@link io.aistream.provider.bedrock.BedrockDescriptor} registers it.
 *
 * <p><b>Reasoning state.</b> Out of a stream: {@code contentBlockDelta.delta.reasoningContent}
 * {@code {text}} → reasoning deltas; {@code {signature}} → an empty reasoning chunk with
 * {@code ReasoningState.signature("bedrock", sig)}, which ends the block; {@code {redactedContent}}
 * (a blob, base64 in JSON) → an empty reasoning chunk with
 * {@code ReasoningState.redacted("bedrock", base64)}. Back into the next request, in the order of
 * the assistant turn's parts: reasoning whose state comes from
 * {@link io.aistream.chunk.ReasoningState#CLAUDE_SOURCES} →
 * {@code {"reasoningContent":{"reasoningText":{"text":..,"signature":..}}}} or
 * {@code {"reasoningContent":{"redactedContent":"<base64>"}}}; reasoning with another source's
 * state or none is dropped; {@code {"text":..}} and {@code {"toolUse":{..}}} always.
 *
 * <p><b>Usage.</b> Bedrock reports usage only in the {@code metadata} event after
 * {@code messageStop} ({@code usageSoFar()} is empty until then). Its {@code inputTokens} does
 * <em>not</em> include the cache counts (verified against the Converse {@code TokenUsage}
 * reference and the AI SDK's Bedrock provider, which adds them the same way; for Claude it mirrors
 * Anthropic's {@code input_tokens}), so
 * {@code Usage.inputTokens = inputTokens + cacheReadInputTokens + cacheWriteInputTokens}, with
 * {@code cacheReadTokens}/{@code cacheWriteTokens} broken out; {@code totalTokens} is the reported
 * total unless that leaves the cache out, then input + output. Bedrock breaks out no reasoning
 * tokens (they are inside {@code outputTokens}).
 */
package io.aistream.provider.bedrock;
