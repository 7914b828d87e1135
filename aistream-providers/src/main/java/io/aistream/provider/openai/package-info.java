/**
 * OpenAI Chat Completions and the OpenAI-compatible servers: {@link io.aistream.provider.openai.OpenAiChatProtocol}
 * (protocol id {@code openai-chat}) with its presets {@link io.aistream.provider.openai.OpenAiCompatible},
 * registered by {@link io.aistream.provider.openai.OpenAiChatDescriptor}. Also holds what the OpenAI
 * protocols share (in-stream state, HTTP error mapping, OpenAI's base URL from the environment): the
 * Responses package uses them, the one provider package that depends on another.
 */
package io.aistream.provider.openai;
