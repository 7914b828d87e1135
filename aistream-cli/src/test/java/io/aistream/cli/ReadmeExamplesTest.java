package io.aistream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.json.Jackson;
import io.aistream.provider.registry.ProviderRegistry;
import io.aistream.server.config.ServerSettings;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The README's examples cannot rot: every JSON config example starts {@code aistream serve}'s
 * settings and provider registry as written, with no environment but the variables the prose right
 * before it names (in backticks), and every Java block compiles.
 */
class ReadmeExamplesTest {
    private static final Pattern FENCE = Pattern.compile("(?ms)^```(\\w+)\\n(.*?)^```");
    /** An environment variable the prose before an example says it needs. */
    private static final Pattern ENV_NAME = Pattern.compile("`([A-Z][A-Z0-9_]*_(?:API_KEY|HOST|REGION))`");

    /** A fenced block and the prose between the previous block and it. */
    private record Block(String text, String before) {}

    @TempDir
    Path dir;

    private static String readme() throws IOException {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path readme = p.resolve("README.md");
            if (Files.isRegularFile(readme) && Files.isDirectory(p.resolve("aistream-cli"))) {
                return Files.readString(readme);
            }
        }
        throw new IllegalStateException("no README.md above " + here);
    }

    private static List<Block> blocks(String text, String language) {
        List<Block> out = new ArrayList<>();
        Matcher m = FENCE.matcher(text);
        int previousEnd = 0;
        while (m.find()) {
            if (m.group(1).equals(language)) {
                out.add(new Block(m.group(2), text.substring(previousEnd, m.start())));
            }
            previousEnd = m.end();
        }
        return out;
    }

    /** The environment an example runs with: the variables the prose before it names, nothing else. */
    private static Map<String, String> environmentNamedBefore(Block block) {
        Map<String, String> env = new java.util.TreeMap<>();
        Matcher m = ENV_NAME.matcher(block.before());
        while (m.find()) {
            env.put(m.group(1), "example-value-0123456789");
        }
        return env;
    }

    @Test
    void everyJsonConfigExampleLoadsThroughTheRealConfigReader() throws Exception {
        List<Block> configs = new ArrayList<>();
        for (Block block : blocks(readme(), "json")) {
            JsonNode node = Jackson.mapper().readTree(block.text());
            // a config is an object of config keys; other JSON blocks (bodies, answers) are not configs
            if (node.isObject()
                    && node.propertyNames().stream()
                            .anyMatch(k -> ServeSettings.SERVER_KEYS.contains(k)
                                    || ProviderRegistry.configKeys().contains(k))) {
                configs.add(block);
            }
        }
        assertThat(configs).as("config examples in README.md").hasSizeGreaterThanOrEqualTo(2);
        for (int i = 0; i < configs.size(); i++) {
            Path file = dir.resolve("example-" + i + ".json");
            Files.writeString(file, configs.get(i).text());
            Map<String, String> env = environmentNamedBefore(configs.get(i));
            try {
                ServerSettings settings =
                        ServeSettings.load(Optional.of(file), Optional.empty(), Optional.empty(), env);
                ProviderRegistry.Builder providers = ProviderRegistry.builder().environment(env);
                settings.file().ifPresent(root -> providers.config(root, ServeSettings.SERVER_KEYS));
                settings.config().providers(providers.build().asProviders()).build();
            } catch (Exception | AssertionError e) {
                throw new AssertionError(
                        "README config example " + (i + 1) + " does not load with the environment " + env.keySet()
                                + " (the variables its prose names): " + e.getMessage() + "\n"
                                + configs.get(i).text(),
                        e);
            }
        }
    }

    @Test
    void theLibrarySnippetCompiles() throws Exception {
        List<String> snippets = blocks(readme(), "java").stream()
                .map(Block::text)
                // a Spring controller needs Spring on the class path: the samples/ apps compile and test it
                .filter(text -> !text.contains("@RestController"))
                .toList();
        assertThat(snippets).as("java blocks in README.md").isNotEmpty();
        for (int i = 0; i < snippets.size(); i++) {
            String snippet = snippets.get(i);
            StringBuilder imports = new StringBuilder();
            StringBuilder body = new StringBuilder();
            for (String line : snippet.lines().toList()) {
                (line.startsWith("import ") ? imports : body).append(line).append('\n');
            }
            String source =
                    imports + "class Snippet" + i + " {\n  static void run() throws Exception {\n" + body + "  }\n}\n";
            Path source0 = dir.resolve("Snippet" + i + ".java");
            Files.writeString(source0, source);
            // javac in a process of its own: the test runs as a module that does not read java.compiler
            String classPath = System.getProperty("jdk.module.path", "")
                    + File.pathSeparator
                    + System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process javac = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "javac")
                                    .toString(),
                            "-proc:none",
                            "-d",
                            dir.toString(),
                            "-cp",
                            classPath,
                            source0.toString())
                    .redirectErrorStream(true)
                    .start();
            String errors = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean ok = javac.waitFor() == 0;
            assertThat(ok)
                    .as("README java block " + (i + 1) + " compiles:\n" + errors + "\n" + source)
                    .isTrue();
        }
    }
}
