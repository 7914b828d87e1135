/**
 * The aistream gateway server. Exported: the API ({@code io.aistream.server}: the server; {@code
 * io.aistream.server.config}: its configuration; {@code io.aistream.server.resume}: the resume store SPI
 * and its in-memory default), the HTTP-neutral
 * exchange and dispatcher that bindings implement and call ({@code io.aistream.server.http}), and the
 * route assembly that builds everything the gateway serves ({@code io.aistream.server.assembly}).
 * The protocols, the stream service and the Jetty binding are not exported.
 */
// Micrometer and Lettuce ship automatic modules (no module-info); their names are stable Automatic-Module-Names.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.aistream.server {
    requires transitive io.aistream.providers;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http2.server;
    requires org.eclipse.jetty.websocket.server;
    requires transitive org.eclipse.jetty.websocket.api;
    requires org.slf4j;
    requires jdk.management; // the open-files limit (com.sun.management.UnixOperatingSystemMXBean)
    requires transitive micrometer.core; // GatewayRoutes.Builder takes a host's MeterRegistry
    requires micrometer.registry.prometheus;
    requires lettuce.core; // automatic too: the Redis client of a multi-node gateway

    exports io.aistream.server;
    exports io.aistream.server.config;
    exports io.aistream.server.resume;
    exports io.aistream.server.memory;
    exports io.aistream.server.http;
    exports io.aistream.server.assembly;
    exports io.aistream.server.direct;
    // not API: Jetty's WebSocket layer calls the listener there through a public lookup
    exports io.aistream.server.jetty.ws;
}
