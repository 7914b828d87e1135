/**
 * The {@code simulated} provider: deterministic streams with no network, for demos, tests and load
 * tests. See {@link io.aistream.provider.simulated.SimulatedProvider}. Not a wire protocol, so it has
 * no {@link io.aistream.provider.spi.ProviderDescriptor}: the registry adds it itself, always, with the
 * config file's pace and the registry's clock.
 */
package io.aistream.provider.simulated;
