/** The aistream gateway server (embedded Jetty 12). Only the API package is exported. */
// Micrometer ships automatic modules (no module-info); their names are stable Automatic-Module-Names.
@SuppressWarnings("requires-automatic")
module io.aistream.server {
    requires transitive io.aistream.providers;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http2.server;
    requires org.eclipse.jetty.websocket.server;
    requires transitive org.eclipse.jetty.websocket.api;
    requires org.slf4j;
    requires micrometer.core;
    requires micrometer.registry.prometheus;

    exports io.aistream.server;
    // not API: Jetty's WebSocket layer calls the listener there through a public lookup
    exports io.aistream.server.internal.ws;
}
