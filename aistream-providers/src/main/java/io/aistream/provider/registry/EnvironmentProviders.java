package io.aistream.provider.registry;

import io.aistream.provider.spi.Environment;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderDescriptor;
import io.aistream.provider.spi.ProviderPreset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The providers the environment configures: one {@link ProviderConfig} per provider whose
 * credentials are set. Each {@link ProviderPreset} of each registered descriptor reads its own
 * variables (its descriptor documents them; {@link #variables()} lists them all); keys are never
 * logged.
 */
public final class EnvironmentProviders {
    private EnvironmentProviders() {}

    /**
     * The configured providers, in a stable order: by each preset's {@link ProviderPreset#order()},
     * then name.
     *
     * @throws io.aistream.provider.spi.InvalidConfigException naming the value when a variable is unusable
     */
    public static List<ProviderConfig> read(Map<String, String> variables) {
        Environment env = Environment.of(variables);
        List<ProviderConfig> out = new ArrayList<>();
        for (ProviderPreset preset : presets()) {
            preset.fromEnvironment(env).ifPresent(out::add);
        }
        return out;
    }

    /** Every variable some preset reads, in the order of {@link #read}. */
    public static List<String> variables() {
        return presets().stream()
                .flatMap(p -> p.environmentVariables().stream())
                .distinct()
                .toList();
    }

    private static List<ProviderPreset> presets() {
        List<ProviderPreset> all = new ArrayList<>();
        for (ProviderDescriptor d : ProtocolCatalog.descriptors()) {
            all.addAll(d.presets());
        }
        all.sort(Comparator.comparingInt(ProviderPreset::order).thenComparing(ProviderPreset::name));
        return all;
    }
}
