/**
 * Google Gemini ({@code streamGenerateContent}): {@link io.aistream.provider.gemini.GeminiProtocol}
 * maps requests and errors, {@link io.aistream.provider.gemini.GeminiStreamDecoder} reads the SSE
 * and streamed-JSON-array response framings; {@link io.aistream.provider.gemini.GeminiDescriptor}
 * registers them.
 *
 * <p><b>Thought signatures.</b> Any response part may carry an opaque {@code thoughtSignature}
 * (thought text, answer text, a function call, or an empty text part that carries nothing else). The
 * decoder puts it on that part's chunk as {@code google} {@link io.aistream.chunk.ReasoningState}; the
 * request mapper writes it back on the same part of the model turn, in the original part order (Gemini 3
 * rejects a function-calling turn whose signatures are missing). Signatures of other sources are never
 * sent, nor is reasoning without a {@code google} signature.
 *
 * <p><b>Usage.</b> {@code usageMetadata} is a running snapshot. {@code promptTokenCount} already counts
 * the cached content ({@code cachedContentTokenCount}, reported as cache read); {@code candidatesTokenCount}
 * does <em>not</em> count thoughts: Gemini documents {@code totalTokenCount} as the sum of prompt,
 * candidates, tool-use prompt and thoughts tokens. So output = candidates + {@code thoughtsTokenCount},
 * with the thoughts as the reasoning part.
 */
package io.aistream.provider.gemini;
