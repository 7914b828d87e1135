/**
 * The Anthropic Messages API: {@link io.aistream.provider.anthropic.AnthropicProtocol} (request mapping,
 * errors; the mapping tables are on it) and {@link io.aistream.provider.anthropic.AnthropicDecoder}
 * (the event stream); registered by {@link io.aistream.provider.anthropic.AnthropicDescriptor}. Knows
 * nothing of other providers.
 */
package io.aistream.provider.anthropic;
