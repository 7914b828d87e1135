/**
 * Not API. The Jetty WebSocket listener adapter ({@link io.aistream.server.jetty.ws.WsListener}) and the
 * Jetty session as a {@link io.aistream.server.http.WsConnection}. Jetty's WebSocket layer finds the
 * listener's methods through a public lookup, so this package alone of the binding is exported. The
 * protocol itself lives in {@code io.aistream.server.ws}.
 */
package io.aistream.server.jetty.ws;
