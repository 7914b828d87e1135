package io.aistream.provider.spi;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything aistream needs to know to offer one wire protocol: its id, the named providers
 * ({@linkplain ProviderPreset presets}) it serves with their environment variables and default base
 * URLs, the body framings it reads, and the factory of its {@link ProviderProtocol}.
 *
 * <p><b>Registration.</b> A provider package registers its descriptor as a service: on the module
 * path {@code provides io.aistream.provider.spi.ProviderDescriptor with ...} in {@code module-info},
 * on the class path a line in {@code META-INF/services/io.aistream.provider.spi.ProviderDescriptor}.
 * The registry ({@code io.aistream.provider.registry.ProtocolCatalog}) loads them with
 * {@link java.util.ServiceLoader} and lists them by {@link #order()}, then {@link #id()}; nothing else
 * names a provider. The implementation must be a public class with a public no-argument constructor.
 *
 * <p><b>Threading.</b> Implementations are stateless and thread-safe; one instance serves the process.
 */
public interface ProviderDescriptor {
    /** The base URL {@link #protocolFor} uses for a provider without a default one; never contacted. */
    URI UNCONFIGURED = URI.create("http://unconfigured.invalid/");

    /** The protocol id configuration names, e.g. {@code openai-chat}, {@code anthropic}. Unique. */
    String id();

    /** Where this protocol stands in listings (lower first; ties by id). */
    int order();

    /** The named providers this protocol serves, in no particular order (each has its own order). */
    List<ProviderPreset> presets();

    /** The framings this protocol's response bodies use. */
    Set<WireFormat> wireFormats();

    /**
     * The protocol for one configured provider: {@code config.protocol()} is {@link #id()}; the
     * provider's name or a {@code preset} setting may pick a preset's quirks. Does no I/O.
     *
     * @throws InvalidConfigException naming the entry when the configuration cannot work
     */
    ProviderProtocol create(ProviderConfig config);

    /** The preset called {@code name}, if this protocol serves one. */
    default Optional<ProviderPreset> preset(String name) {
        return presets().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Whether {@code name} is this protocol's id or the name of one of its presets. */
    default boolean answersTo(String name) {
        return id().equals(name) || preset(name).isPresent();
    }

    /** The default base URL of the provider called {@code name}, if it has one. */
    default Optional<URI> defaultBaseUrl(String name) {
        return preset(name).flatMap(ProviderPreset::defaultBaseUrl);
    }

    /**
     * The protocol for the provider called {@code name} (an id or preset name this descriptor
     * {@linkplain #answersTo answers to}) in its default configuration and without credentials: for
     * reading recorded streams, not for sending requests.
     */
    default ProviderProtocol protocolFor(String name) {
        return create(
                new ProviderConfig(name, id(), defaultBaseUrl(name).orElse(UNCONFIGURED), Optional.empty(), Map.of()));
    }

    /**
     * A decoder for a body of {@code format} (one of {@link #wireFormats()}) from the provider called
     * {@code name}. The default is {@link #protocolFor}{@code (name).newDecoder(context)}; a protocol
     * whose decoder depends on the framing overrides it.
     */
    default StreamDecoder decoder(String name, WireFormat format, DecoderContext context) {
        return protocolFor(name).newDecoder(context);
    }

    /**
     * A synthetic body in this protocol's own wire format with {@code textDeltas} small text deltas and
     * its terminal events, shaped like the provider's real traffic, that {@link #protocolFor}{@code (id())}
     * decodes into exactly {@code textDeltas} content chunks and one {@code done}. For benchmarks and
     * smoke tests; empty if the protocol offers none.
     */
    default Optional<byte[]> sampleBody(int textDeltas) {
        return Optional.empty();
    }
}
