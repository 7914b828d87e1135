/**
 * What a caller streams from: {@link io.aistream.provider.ChatProvider} (a named source of chat
 * streams), {@link io.aistream.provider.ModelRef}, the "unknown provider/model" errors and
 * {@link io.aistream.provider.ResponseSummary}.
 *
 * <p>The rest of the module, by package: {@code spi} — what a provider implements and how it
 * registers ({@link io.aistream.provider.spi.ProviderDescriptor}); {@code registry} — the live
 * providers, built from the registered descriptors, the environment and a config file;
 * {@code support} — the decoder toolkit providers share; {@code transport} — HTTP, retry, fallback,
 * recovery; one package per provider, each knowing nothing of the others; {@code simulated} and
 * {@code replay}, built-in providers the registry adds itself. Dependencies point one way:
 * providers → support → spi; transport → support, spi; this package → transport; registry → everything
 * but the provider packages, which it reaches only through {@link java.util.ServiceLoader}.
 */
package io.aistream.provider;
