/**
 * Live streams, independent of protocol and HTTP server: the {@link io.aistream.server.streams.StreamService}
 * (start, registry, limits, graceful drain), {@link io.aistream.server.streams.LiveStream},
 * {@link io.aistream.server.streams.StreamRequest}, and the SSE responses' shared
 * {@link io.aistream.server.streams.KeepAlive}. Refusals are {@link io.aistream.server.http.ApiError}s.
 *
 * <p>May import {@code io.aistream.server}, {@code .http}, {@code .metrics} and {@code .streams.resume};
 * never a protocol package, the Jetty binding, or Jetty.
 */
package io.aistream.server.streams;
