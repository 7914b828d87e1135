/**
 * Not API. The Jakarta WebSocket side of the Servlet binding: the upgrade through the container's
 * {@code ServerContainer}, the endpoint that feeds the gateway's {@link io.aistream.server.http.WsHandler},
 * the session as a {@link io.aistream.server.http.WsConnection} and the demand emulation. Opened (not
 * exported) so that a container may reach the endpoint reflectively.
 */
package io.aistream.servlet.ws;
