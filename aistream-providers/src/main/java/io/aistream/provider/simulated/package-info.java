/**
 * The {@code simulated} provider: deterministic streams with no network, for demos, tests and load
 * tests. See {@link io.aistream.provider.simulated.SimulatedProvider}.
 */
package io.aistream.provider.simulated;
