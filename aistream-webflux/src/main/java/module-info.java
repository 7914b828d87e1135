/**
 * The aistream gateway on Spring WebFlux: {@link io.aistream.webflux.WebFluxGateway} runs every route of
 * {@code io.aistream.server.assembly.GatewayRoutes} on any reactive server.
 */
// Spring, Reactor and Netty ship automatic modules (no module-info); their names are stable
// Automatic-Module-Names. Reactor Netty and Netty are optional (static): used only when present.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.aistream.webflux {
    requires transitive io.aistream.server;
    requires transitive spring.web;
    requires transitive spring.webflux;
    requires transitive reactor.core;
    requires transitive org.reactivestreams;
    requires spring.core;
    requires org.slf4j;
    requires static reactor.netty.core;
    requires static reactor.netty.http;
    requires static io.netty.common;
    requires static io.netty.buffer;
    requires static io.netty.transport;
    requires static io.netty.codec;
    requires static io.netty.codec.http;

    exports io.aistream.webflux;
}
