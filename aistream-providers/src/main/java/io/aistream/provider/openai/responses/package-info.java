/**
 * The OpenAI Responses API: {@link io.aistream.provider.openai.responses.OpenAiResponsesProtocol}
 * (protocol id {@code openai-responses}), registered by
 * {@link io.aistream.provider.openai.responses.OpenAiResponsesDescriptor}. Shares the OpenAI package's
 * stream state, error mapping and presets (the one provider package that depends on another).
 */
package io.aistream.provider.openai.responses;
