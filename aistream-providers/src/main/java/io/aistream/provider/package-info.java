/**
 * Provider adapters: the SPI every provider implements ({@link io.aistream.provider.spi.ProviderProtocol},
 * {@link io.aistream.provider.spi.StreamDecoder}), the typed upstream errors, and the provider registry.
 * Each provider lives in a package of its own and knows nothing of the others.
 */
package io.aistream.provider;
