/**
 * Several gateway nodes on one Redis (internal): the Redis Streams resume store, the abort bus, stream
 * leases and takeover with fencing, and per-key stream limits shared by every node. Built by
 * {@link io.aistream.server.assembly.GatewayRoutes} when the configuration has a
 * {@link io.aistream.server.config.ClusterConfig}; the rest of the gateway sees it through
 * {@link io.aistream.server.resume.ResumeStore} and {@link io.aistream.server.streams.StreamCluster}.
 */
package io.aistream.server.cluster;
