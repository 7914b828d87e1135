/**
 * The gateway's configuration: {@link io.aistream.server.config.ServerConfig} and {@link
 * io.aistream.server.config.WebSocketConfig}. Immutable values; imports the resume SPI and the provider
 * API, nothing of HTTP.
 */
package io.aistream.server.config;
