/**
 * The provider SPI: what one wire protocol implements ({@link io.aistream.provider.spi.ProviderProtocol},
 * {@link io.aistream.provider.spi.StreamDecoder}) and how it registers
 * ({@link io.aistream.provider.spi.ProviderDescriptor} with its
 * {@link io.aistream.provider.spi.ProviderPreset}s, registered with {@code provides} in
 * {@code module-info} and a {@code META-INF/services} line), the configuration it receives
 * ({@link io.aistream.provider.spi.ProviderConfig}, {@link io.aistream.provider.spi.Environment}), the
 * errors it raises, and {@link io.aistream.provider.spi.DecoderObserver}, which hears the event types a
 * decoder skips. Depends on core only: no registry, transport or provider package.
 */
package io.aistream.provider.spi;
