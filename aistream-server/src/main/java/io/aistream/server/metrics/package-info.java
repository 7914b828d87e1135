/**
 * The gateway's meters ({@link io.aistream.server.metrics.GatewayMetrics}, Micrometer with a Prometheus
 * registry). Imports no other package of the server and nothing of an HTTP server.
 */
package io.aistream.server.metrics;
