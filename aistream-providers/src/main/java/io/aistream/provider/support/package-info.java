/**
 * The toolkit provider packages share: SSE plumbing for decoders
 * ({@link io.aistream.provider.support.SseStreamDecoder}), a strict allocation-free JSON reader
 * ({@link io.aistream.provider.support.JsonCursor}) and the shared mapper
 * ({@link io.aistream.provider.support.Json}), the one tool-call numbering
 * ({@link io.aistream.provider.support.ToolCallIndex}), the one {@code Retry-After} reader
 * ({@link io.aistream.provider.support.RetryAfter}) and credential redaction
 * ({@link io.aistream.provider.support.Redaction}), error-response and chunk-error helpers, the
 * unknown-event reporting every decoder uses ({@link io.aistream.provider.support.UnknownEvents}) and
 * the sample-body builder ({@link io.aistream.provider.support.WireSamples}), and
 * {@link io.aistream.provider.support.PortableOptions}: the one rule, applied by every request mapper
 * to its provider options, for OpenAI parameters that change nothing about the answer (defaults
 * dropped everywhere; advisory ones such as {@code user} kept on the OpenAI wire, dropped or mapped
 * elsewhere).
 *
 * <p>Exported so that a provider package in another module can be written like the built-in ones;
 * it evolves with the SPI and promises no more than it does. Depends on the SPI only.
 */
package io.aistream.provider.support;
