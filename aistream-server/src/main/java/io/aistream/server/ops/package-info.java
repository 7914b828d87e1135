/**
 * The operators' endpoints: {@code GET /health} and {@code GET /metrics}
 * ({@link io.aistream.server.ops.InfoEndpoints}). Imports {@code .http}, {@code .streams} and
 * {@code .metrics}; nothing of Jetty or another protocol.
 */
package io.aistream.server.ops;
