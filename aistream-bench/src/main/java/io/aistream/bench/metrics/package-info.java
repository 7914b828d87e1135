/** Measurement helpers shared by the fake upstream and the load generator. */
package io.aistream.bench.metrics;
