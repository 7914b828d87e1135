/**
 * aistream's native protocol: {@code POST /v1/stream} (SSE), {@code GET /v1/streams/{id}} (resume)
 * and {@code DELETE /v1/streams/{id}} (abort), as {@link io.aistream.server.nativeapi.StreamEndpoints}.
 *
 * <p>Written against {@code io.aistream.server.http}; imports {@code .streams} and {@code .metrics},
 * never another protocol package, the Jetty binding, Jetty or the Servlet API.
 */
package io.aistream.server.nativeapi;
