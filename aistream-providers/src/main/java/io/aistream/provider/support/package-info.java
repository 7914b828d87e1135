/**
 * The toolkit provider packages share: SSE plumbing for decoders
 * ({@link io.aistream.provider.support.SseStreamDecoder}), a strict allocation-free JSON reader
 * ({@link io.aistream.provider.support.JsonCursor}) and the shared mapper
 * ({@link io.aistream.provider.support.Json}), the one tool-call numbering
 * ({@link io.aistream.provider.support.ToolCallIndex}), the one {@code Retry-After} reader
 * ({@link io.aistream.provider.support.RetryAfter}) and credential redaction
 * ({@link io.aistream.provider.support.Redaction}), error-response and chunk-error helpers, the
 * unknown-event reporting every decoder uses ({@link io.aistream.provider.support.UnknownEvents}) and
 * the sample-body builder ({@link io.aistream.provider.support.WireSamples}).
 *
 * <p>Exported so that a provider package in another module can be written like the built-in ones;
 * it evolves with the SPI and promises no more than it does. Depends on the SPI only.
 */
package io.aistream.provider.support;
