package io.aistream.provider.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.provider.spi.ProviderDescriptor;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * A descriptor is registered twice, once for each way the jar is loaded: a {@code provides} line in
 * {@code module-info} (module path) and a line in {@code META-INF/services} (class path, e.g. the CLI's
 * shaded jar). The two lists must name the same classes, or a provider exists on one path only.
 */
class ServiceRegistrationTest {
    @Test
    void moduleInfoAndMetaInfServicesRegisterTheSameDescriptors() throws URISyntaxException {
        Path classes = Path.of(ProviderDescriptor.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        ModuleDescriptor module = ModuleFinder.of(classes)
                .find("io.aistream.providers")
                .orElseThrow()
                .descriptor();
        var onModulePath = module.provides().stream()
                .filter(p -> p.service().equals(ProviderDescriptor.class.getName()))
                .flatMap(p -> p.providers().stream())
                .toList();
        var onClassPath = ServiceLoader.load(ProviderDescriptor.class).stream()
                .map(p -> p.type().getName())
                .toList();

        assertThat(onModulePath).isNotEmpty().containsExactlyElementsOf(onClassPath);
        assertThat(module.uses()).contains(ProviderDescriptor.class.getName());
    }
}
