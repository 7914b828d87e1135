package io.aistream.provider.registry;

import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.InvalidConfigException;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderDescriptor;
import io.aistream.provider.spi.ProviderPreset;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.spi.WireFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Every wire protocol aistream speaks: the {@link ProviderDescriptor}s registered as services (module
 * path: {@code provides}; class path: {@code META-INF/services}), by id, and the provider names each
 * is known by. No provider is named here: a new provider package registers its descriptor and is
 * listed, configured from the environment, read by {@code aistream normalize} and benchmarked.
 *
 * <p>Descriptors are loaded once, with this class's class loader, and listed by
 * {@link ProviderDescriptor#order()}, then id — a stable order. Stateless after that and thread-safe.
 */
public final class ProtocolCatalog {

    private ProtocolCatalog() {}

    /** The registered descriptors, in listing order. */
    public static List<ProviderDescriptor> descriptors() {
        return Loaded.DESCRIPTORS;
    }

    /** The protocol ids, e.g. {@code openai-chat}, {@code anthropic}, in listing order. */
    public static List<String> ids() {
        return Loaded.IDS;
    }

    /** The descriptor of the protocol with this id. */
    public static Optional<ProviderDescriptor> descriptor(String protocolId) {
        return Optional.ofNullable(Loaded.BY_ID.get(protocolId));
    }

    /**
     * Every provider name a recorded stream can be read as — protocol ids, preset names and their
     * aliases — in listing order, without repeats.
     */
    public static List<String> providerNames() {
        Set<String> names = new LinkedHashSet<>();
        for (ProviderDescriptor d : descriptors()) {
            names.add(d.id());
            d.presets().stream()
                    .sorted(Comparator.comparingInt(ProviderPreset::order).thenComparing(ProviderPreset::name))
                    .forEach(p -> {
                        names.add(p.name());
                        names.addAll(p.aliases());
                    });
        }
        return List.copyOf(names);
    }

    /**
     * The protocol for {@code config}: the descriptor of its {@link ProviderConfig#protocol()} id
     * creates it (for {@code openai-chat} with the preset the {@code preset} setting or the
     * provider's name picks).
     *
     * @throws InvalidConfigException if the protocol id is unknown
     */
    public static ProviderProtocol create(ProviderConfig config) {
        return descriptor(config.protocol())
                .orElseThrow(() -> new InvalidConfigException("provider '" + config.name()
                        + "' names an unknown protocol '" + config.protocol() + "'; known: " + ids()))
                .create(config);
    }

    /** The protocol with this id in its default configuration, if the id is known. */
    public static Optional<ProviderProtocol> byId(String protocolId) {
        return descriptor(protocolId).map(d -> d.protocolFor(protocolId));
    }

    /**
     * The protocol for a name as used in the fixtures and on the command line: a protocol id or a
     * preset name ({@code openai}, {@code deepseek}, {@code azure-openai}, ...).
     */
    public static Optional<ProviderProtocol> forProviderName(String name) {
        return descriptors().stream().filter(d -> d.answersTo(name)).findFirst().map(d -> d.protocolFor(name));
    }

    /**
     * A decoder for a recorded body of {@code format} from the provider called {@code name}: the first
     * descriptor (in listing order) that answers to the name and reads the format; failing that, the
     * first whose preset lists the name as an alias and reads the format (Ollama's SSE is its
     * OpenAI-compatible endpoint). Empty if none reads it.
     */
    public static Optional<StreamDecoder> decoder(String name, WireFormat format, DecoderContext context) {
        for (ProviderDescriptor d : descriptors()) {
            if (d.answersTo(name) && d.wireFormats().contains(format)) {
                return Optional.of(d.decoder(name, format, context));
            }
        }
        for (ProviderDescriptor d : descriptors()) {
            if (!d.wireFormats().contains(format)) {
                continue;
            }
            for (ProviderPreset p : d.presets()) {
                if (p.aliases().contains(name)) {
                    return Optional.of(d.decoder(p.name(), format, context));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Why the well-known provider {@code name} (a preset's name, e.g. {@code anthropic}) is not live
     * on a gateway that does not serve it, for a person: the environment variables that would
     * configure it ("ANTHROPIC_API_KEY is not set"), or, for a preset no variable configures (a local
     * server), that a config file must add it. Empty when {@code name} is no preset's name (then it is
     * simply unknown). Optional settings (a base URL, an API version, a deployment) are not named.
     */
    public static Optional<String> notConfigured(String name) {
        for (ProviderDescriptor d : descriptors()) {
            for (ProviderPreset p : d.presets()) {
                if (p.name().equals(name)) {
                    List<String> needed = p.environmentVariables().stream()
                            .filter(v -> !v.endsWith("_BASE_URL")
                                    && !v.endsWith("_API_VERSION")
                                    && !v.endsWith("_DEPLOYMENT"))
                            .toList();
                    String why = switch (needed.size()) {
                        case 0 -> "add it under \"providers\" in the --config file";
                        case 1 -> needed.get(0) + " is not set";
                        default -> "its environment (" + String.join(", ", needed) + ") is not set";
                    };
                    return Optional.of("the provider '" + name + "' is not configured on this gateway: " + why);
                }
            }
        }
        return Optional.empty();
    }

    /** Loaded on first use, so a broken registration fails where providers are first needed, naming it. */
    private static final class Loaded {
        static final List<ProviderDescriptor> DESCRIPTORS;
        static final Map<String, ProviderDescriptor> BY_ID;
        static final List<String> IDS;

        static {
            List<ProviderDescriptor> all = new ArrayList<>();
            ServiceLoader.load(ProviderDescriptor.class, ProtocolCatalog.class.getClassLoader())
                    .forEach(all::add);
            all.sort(Comparator.comparingInt(ProviderDescriptor::order).thenComparing(ProviderDescriptor::id));
            Map<String, ProviderDescriptor> byId = new HashMap<>();
            List<String> ids = new ArrayList<>();
            for (ProviderDescriptor d : all) {
                ProviderDescriptor other = byId.putIfAbsent(d.id(), d);
                if (other != null) {
                    throw new IllegalStateException("two provider descriptors for protocol '" + d.id() + "': "
                            + other.getClass().getName() + " and "
                            + d.getClass().getName());
                }
                ids.add(d.id());
            }
            DESCRIPTORS = List.copyOf(all);
            BY_ID = Map.copyOf(byId);
            IDS = List.copyOf(ids);
        }
    }
}
