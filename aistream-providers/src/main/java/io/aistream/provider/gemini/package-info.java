/**
 * Google Gemini ({@code streamGenerateContent}): {@link io.aistream.provider.gemini.GeminiProtocol}
 * maps requests and errors, {@link io.aistream.provider.gemini.GeminiStreamDecoder} reads the SSE
 * and streamed-JSON-array response framings; {@link io.aistream.provider.gemini.GeminiDescriptor}
 * registers them.
 */
package io.aistream.provider.gemini;
