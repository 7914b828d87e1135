package io.aistream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The module on the module path: the tests run on the class path (as every module's do), so this one
 * resolves {@code io.aistream.testing} from its descriptor in a module layer of its own and uses it
 * there — what a test that runs on the module path gets.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ModulePathTest {

    private static ModuleLayer layer() throws Exception {
        List<Path> paths = new ArrayList<>();
        paths.add(Path.of(FakeUpstream.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI()));
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : classPath.split(File.pathSeparator)) {
            // only what the module needs: other jars on the test class path need not be valid modules
            String e = entry.replace('\\', '/');
            if (e.contains("/aistream-core")
                    || e.contains("/tools/jackson/")
                    || e.contains("/com/fasterxml/jackson/")
                    || e.contains("/org/assertj/")
                    || e.contains("/net/bytebuddy/")
                    || e.contains("/com/tngtech/archunit/")) {
                paths.add(Path.of(entry));
            }
        }
        Configuration cf = ModuleLayer.boot()
                .configuration()
                .resolve(ModuleFinder.of(paths.toArray(Path[]::new)), ModuleFinder.of(), Set.of("io.aistream.testing"));
        return ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    }

    @Test
    void theModuleResolvesWithCoreAndAssertJAndExportsOnlyItsPackage() throws Exception {
        ModuleLayer layer = layer();

        Module module = layer.findModule("io.aistream.testing").orElseThrow();
        assertThat(module.getDescriptor().exports())
                .extracting(ModuleDescriptor.Exports::source)
                .containsExactly("io.aistream.testing");
        assertThat(module.getDescriptor().requires())
                .extracting(ModuleDescriptor.Requires::name)
                .contains("io.aistream.core", "org.assertj.core")
                .doesNotContain("io.aistream.providers");
        assertThat(layer.configuration().modules())
                .extracting(ResolvedModule::name)
                .contains("io.aistream.core", "tools.jackson.databind", "org.assertj.core");
    }

    @Test
    void aFakeUpstreamFromTheModuleAnswersAndTheHarnessAssertsAcrossModules() throws Exception {
        ModuleLayer layer = layer();
        ClassLoader loader = layer.findLoader("io.aistream.testing");
        Class<?> fake = loader.loadClass("io.aistream.testing.FakeUpstream");
        Class<?> script = loader.loadClass("io.aistream.testing.Script");
        Object upstream = fake.getMethod("start").invoke(null);
        try {
            Object reply = script.getMethod("send", String.class)
                    .invoke(script.getMethod("sse").invoke(null), "from the module");
            fake.getMethod("enqueue", script).invoke(upstream, reply);
            URI base = (URI) fake.getMethod("baseUri").invoke(upstream);

            HttpResponse<String> response = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .build()
                    .send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.body()).isEqualTo("from the module");
        } finally {
            fake.getMethod("close").invoke(upstream);
        }

        // FixtureHarness reads JSON with core's Jackson and fails with AssertJ, both from the layer
        Object mapper =
                loader.loadClass("io.aistream.json.Jackson").getMethod("mapper").invoke(null);
        Object one = mapper.getClass().getMethod("readTree", String.class).invoke(mapper, "{\"a\":1}");
        Object two = mapper.getClass().getMethod("readTree", String.class).invoke(mapper, "{\"a\":2}");
        Class<?> jsonNode = loader.loadClass("tools.jackson.databind.JsonNode");
        var assertMatches = loader.loadClass("io.aistream.testing.FixtureHarness")
                .getMethod("assertMatches", jsonNode, jsonNode, String.class);
        assertMatches.invoke(null, one, one, "same");
        assertThatThrownBy(() -> assertMatches.invoke(null, one, two, "differs"))
                .isInstanceOf(InvocationTargetException.class)
                .cause()
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("differs");
    }
}
