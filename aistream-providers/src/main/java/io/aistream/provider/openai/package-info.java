/**
 * OpenAI Chat Completions and the OpenAI-compatible servers: {@link io.aistream.provider.openai.OpenAiChatProtocol}
 * (protocol id {@code openai-chat}) with its presets {@link io.aistream.provider.openai.OpenAiCompatible}.
 * Also holds what the OpenAI protocols share (in-stream state, HTTP error mapping).
 */
package io.aistream.provider.openai;
