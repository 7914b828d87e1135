/**
 * The Anthropic Messages API: {@link io.aistream.provider.anthropic.AnthropicProtocol} (request mapping,
 * errors; the mapping tables are on it) and {@link io.aistream.provider.anthropic.AnthropicDecoder}
 * (the event stream); registered by {@link io.aistream.provider.anthropic.AnthropicDescriptor}. Knows
 * nothing of other providers.
 *
 * <p><b>Reasoning state.</b> Out of a stream: {@code thinking_delta} → reasoning deltas; the
 * block's {@code signature_delta} → an empty reasoning chunk with
 * {@code ReasoningState.signature("anthropic", sig)}, which ends the block; a
 * {@code redacted_thinking} block → an empty reasoning chunk with
 * {@code ReasoningState.redacted("anthropic", data)}. Back into the next request: each reasoning
 * part whose state comes from {@link io.aistream.chunk.ReasoningState#CLAUDE_SOURCES} (this API and
 * Bedrock; Anthropic documents signatures as valid across its platforms) becomes, in its place
 * among the turn's parts, {@code {"type":"thinking","thinking":text,"signature":sig}} or
 * {@code {"type":"redacted_thinking","data":data}}; reasoning with another source's state or none
 * is dropped (its text alone is no valid block), text and tool calls are always sent. So the last
 * assistant turn with {@code tool_use} starts with its thinking block, as Anthropic requires with
 * thinking enabled.
 *
 * <p><b>Usage.</b> Anthropic's {@code input_tokens} excludes cached input, so
 * {@code Usage.inputTokens = input_tokens + cache_read_input_tokens + cache_creation_input_tokens},
 * with {@code cacheReadTokens = cache_read_input_tokens} and
 * {@code cacheWriteTokens = cache_creation_input_tokens}; {@code outputTokens = output_tokens}
 * (thinking included; Anthropic breaks no reasoning count out). Each field keeps its last report
 * ({@code message_start}, then the cumulative {@code message_delta}s), and the decoder's
 * {@code usageSoFar()} gives it from {@code message_start} on.
 */
package io.aistream.provider.anthropic;
