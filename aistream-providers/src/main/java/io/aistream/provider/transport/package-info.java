/**
 * The upstream transport of the providers: sending a provider's request over HTTP, reading its
 * body as chunks at the consumer's pace, and recovering from failures — retry with backoff before
 * the first output, fallback along a chain of targets, and (optionally) continuing a cut answer on
 * a new attempt without repeating text.
 *
 * <p>Entry point: {@link io.aistream.provider.transport.ProviderStreams}. The single-exchange
 * building block is {@link io.aistream.provider.transport.UpstreamClient}, which by default speaks
 * HTTP/1.1 over blocking sockets read by the consumer's own thread, and can use
 * {@link java.net.http.HttpClient} instead.
 */
package io.aistream.provider.transport;
