/**
 * How the transport carries one HTTP exchange — not API, not exported.
 *
 * <p>{@link io.aistream.provider.transport.internal.HttpTransport} is the seam
 * {@link io.aistream.provider.transport.UpstreamClient} reads through: it prepares an
 * {@link io.aistream.provider.transport.internal.Exchange}, which the reading thread then starts and
 * reads itself. Two implementations:
 * <ul>
 *   <li>{@link io.aistream.provider.transport.internal.SocketHttpTransport}: HTTP/1.1 over blocking
 *       {@link java.net.Socket}s (TLS through {@link javax.net.ssl.SSLSocket}), with a keep-alive
 *       pool. The reading thread does every read and write itself: no selector, no executor, no
 *       queue between threads.</li>
 *   <li>{@link io.aistream.provider.transport.internal.JdkHttpTransport}: {@link java.net.http.HttpClient}
 *       (HTTP/2, whatever that client is configured with).</li>
 * </ul>
 */
package io.aistream.provider.transport.internal;
