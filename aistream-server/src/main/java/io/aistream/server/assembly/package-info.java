/**
 * The route assembly: {@link io.aistream.server.assembly.GatewayRoutes} builds the stream service and
 * every protocol's routes from a {@link io.aistream.server.config.ServerConfig}, behind one dispatcher, so
 * that any binding mounts everything the gateway serves. The one package that imports every protocol;
 * nothing of Jetty or the Servlet API.
 */
package io.aistream.server.assembly;
