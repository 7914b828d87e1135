/**
 * The Jakarta Servlet 6 binding of the gateway: every route of {@link io.aistream.server.assembly.GatewayRoutes}
 * on a Servlet container, streams in async mode on virtual threads, WebSockets through the container's
 * Jakarta WebSocket 2.1 {@code ServerContainer}.
 *
 * <p><b>Container settings.</b> A {@code /} the client encoded inside a path segment ({@code %2F}) reaches the
 * gateway only if the container lets it through: Tomcat refuses it with 400 unless its connector's
 * {@code encodedSolidusHandling} is {@code passthrough} (Spring Boot: {@code server.tomcat.encoded-solidus-handling});
 * Jetty's Servlet container refuses it unless its URI compliance allows ambiguous path separators and
 * the servlet handler decodes ambiguous URIs. Only model ids with a {@code /} in a path need it
 * ({@code GET /v1/models/simulated%2Fecho}); every other route works with the defaults.
 */
package io.aistream.servlet;
