/**
 * The assembly of the providers: {@link io.aistream.provider.registry.ProtocolCatalog} (the registered
 * {@link io.aistream.provider.spi.ProviderDescriptor}s, loaded with {@link java.util.ServiceLoader}),
 * {@link io.aistream.provider.registry.EnvironmentProviders} (the providers the environment configures)
 * and {@link io.aistream.provider.registry.ProviderRegistry} (live providers, aliases and chains, from
 * the environment and a config file; {@code simulated} always, {@code replay} when configured). Names
 * no provider package.
 */
package io.aistream.provider.registry;
