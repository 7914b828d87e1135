/**
 * The aistream gateway: {@link io.aistream.server.AistreamServer} (on embedded Jetty), configured by
 * {@link io.aistream.server.config.ServerConfig}, with a pluggable {@link io.aistream.server.resume.ResumeStore}.
 * The protocols behind it are HTTP-neutral; {@link io.aistream.server.assembly.GatewayRoutes} mounts
 * them on another HTTP server.
 */
package io.aistream.server;
