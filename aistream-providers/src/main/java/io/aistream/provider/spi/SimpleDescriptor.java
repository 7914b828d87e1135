package io.aistream.provider.spi;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A {@link ProviderDescriptor} declared by its values instead of five one-line overrides: a provider
 * package's descriptor extends it with a public no-argument constructor that passes its id, order,
 * framings, presets and protocol factory to this one (the class {@link java.util.ServiceLoader} loads
 * is still the provider's own). The other methods of {@link ProviderDescriptor} keep their defaults
 * unless the subclass overrides them.
 *
 * <p><b>Threading.</b> Immutable; thread-safe when {@code factory} is.
 */
public abstract class SimpleDescriptor implements ProviderDescriptor {
    private final String id;
    private final int order;
    private final Set<WireFormat> wireFormats;
    private final List<ProviderPreset> presets;
    private final Function<ProviderConfig, ? extends ProviderProtocol> factory;

    /**
     * @param id          the protocol id ({@link #id()})
     * @param order       where it stands in listings ({@link #order()})
     * @param wireFormats the framings of its response bodies ({@link #wireFormats()})
     * @param presets     the named providers it serves ({@link #presets()})
     * @param factory     makes the protocol for one configured provider ({@link #create}); does no I/O
     */
    protected SimpleDescriptor(
            String id,
            int order,
            Set<WireFormat> wireFormats,
            List<ProviderPreset> presets,
            Function<ProviderConfig, ? extends ProviderProtocol> factory) {
        this.id = Objects.requireNonNull(id, "id");
        this.order = order;
        this.wireFormats = Set.copyOf(wireFormats);
        this.presets = List.copyOf(presets);
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final int order() {
        return order;
    }

    @Override
    public final List<ProviderPreset> presets() {
        return presets;
    }

    @Override
    public final Set<WireFormat> wireFormats() {
        return wireFormats;
    }

    @Override
    public final ProviderProtocol create(ProviderConfig config) {
        return factory.apply(config);
    }
}
