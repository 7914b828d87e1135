/**
 * Google Gemini ({@code streamGenerateContent}): {@link io.aistream.provider.gemini.GeminiProtocol}
 * maps requests and errors, {@link io.aistream.provider.gemini.GeminiStreamDecoder} reads the SSE
 * and streamed-JSON-array response framings.
 */
package io.aistream.provider.gemini;
