/**
 * How the transport carries one HTTP exchange — not API, not exported.
 *
 * <p>{@link io.aistream.provider.transport.internal.HttpTransport} is the seam
 * {@link io.aistream.provider.transport.UpstreamClient} reads through: it prepares an
 * {@link io.aistream.provider.transport.internal.Exchange}, which the reading thread then starts and
 * reads itself. Two implementations:
 * <ul>
 *   <li>{@link io.aistream.provider.transport.internal.SocketHttpTransport}: HTTP/1.1 over blocking
 *       sockets (plain TCP on a {@link java.nio.channels.SocketChannel} read through its socket
 *       adaptor; TLS through {@link javax.net.ssl.SSLSocket}), with a keep-alive pool. The reading
 *       thread does every read and write itself. A plain exchange's body can also be read without
 *       blocking ({@link io.aistream.provider.transport.internal.NonBlockingBody}) by a consumer on an
 *       event loop: then a few shared selector threads
 *       ({@link io.aistream.provider.transport.internal.IoLoops}) only wait for its socket to become
 *       readable and run the consumer's callback.</li>
 *   <li>{@link io.aistream.provider.transport.internal.JdkHttpTransport}: {@link java.net.http.HttpClient}
 *       (HTTP/2, whatever that client is configured with).</li>
 * </ul>
 */
package io.aistream.provider.transport.internal;
