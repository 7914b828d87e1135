/**
 * aistream's WebSocket protocol on {@code GET /v1/ws}: the upgrade route
 * ({@link io.aistream.server.ws.WsEndpoint}), the message protocol, several streams per socket and a
 * bounded send queue per socket, over the neutral {@link io.aistream.server.http.WsConnection}.
 *
 * <p>Written against {@code io.aistream.server.http}; imports {@code .streams} and {@code .metrics},
 * never another protocol package, the Jetty binding, Jetty or the Servlet API.
 */
package io.aistream.server.ws;
