/**
 * Not API. The one public class here is the object Jetty's WebSocket layer calls; Jetty finds its
 * methods through a public lookup, so this package is exported. Everything else about the WebSocket
 * endpoint lives, package-private, in {@code io.aistream.server.internal}.
 */
package io.aistream.server.internal.ws;
