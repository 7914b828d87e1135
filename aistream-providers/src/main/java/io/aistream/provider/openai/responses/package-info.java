/**
 * The OpenAI Responses API: {@link io.aistream.provider.openai.responses.OpenAiResponsesProtocol}
 * (protocol id {@code openai-responses}).
 */
package io.aistream.provider.openai.responses;
