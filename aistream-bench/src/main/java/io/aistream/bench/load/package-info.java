/** The streaming load generator: many concurrent streams through a target, added latency per chunk. */
package io.aistream.bench.load;
