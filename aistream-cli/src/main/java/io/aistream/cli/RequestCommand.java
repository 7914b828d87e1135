package io.aistream.cli;

import io.aistream.AIStreamException;
import io.aistream.provider.UnknownProviderException;
import io.aistream.provider.registry.ProtocolCatalog;
import io.aistream.provider.registry.ProviderRegistry;
import io.aistream.provider.spi.ProviderDescriptor;
import io.aistream.provider.spi.ProviderPreset;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.request.ChatRequest;
import io.aistream.request.ChatRequestJson;
import io.aistream.request.InvalidRequestException;
import io.aistream.server.assembly.EndpointRequests;
import io.aistream.server.config.ServerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code aistream request}: a request on stdin → the exact upstream HTTP request a provider would be
 * sent, with no network: {@code POST <url>}, the headers sorted, credentials redacted, a blank line,
 * the body. For debugging a provider mapping.
 *
 * <p>The provider is configured as {@code serve} would configure it (the environment, then the
 * {@code --config} file), so base URLs, presets and settings apply. A catalog provider whose
 * credentials are not set still works: its credential variables get placeholders for the dry run
 * (shown redacted; a region placeholder is {@code us-east-1}, a Vertex location {@code global}, a
 * project {@code your-project}), and a provider with no credentials to
 * set (Ollama) gets its default base URL.
 */
@Command(
        name = "request",
        mixinStandardHelpOptions = true,
        description = {
            "Reads a request on stdin (native aistream JSON, or with --openai an OpenAI Chat Completions body,",
            "read by the gateway's own endpoint reader) and prints the exact HTTP request the provider would be",
            "sent: method and URL, headers sorted (credentials redacted), a blank line, the body. No network."
        })
final class RequestCommand implements Callable<Integer>, Main.TerminalAware {
    /** The credential placeholder a dry run uses where none is configured (never shown: it is redacted). */
    static final String PLACEHOLDER = "dry-run-placeholder";

    /** The cloud project a dry run shows where none is configured (a project id is not a secret). */
    static final String PROJECT_PLACEHOLDER = "your-project";

    /** For tests: the environment. */
    static volatile Map<String, String> environment = System.getenv();

    @Option(
            names = "--provider",
            required = true,
            paramLabel = "P",
            description = "A catalog provider (e.g. anthropic, openai, gemini, bedrock), or one from --config.")
    String provider;

    @Option(names = "--model", paramLabel = "M", description = "The model; by default the request's own 'model'.")
    String model;

    @Option(names = "--openai", description = "stdin is an OpenAI Chat Completions request body.")
    boolean openai;

    @Option(names = "--config", paramLabel = "FILE", description = "An aistream config file (as for serve).")
    Path config;

    @Option(names = "--pretty", description = "Indent a JSON body (the default prints its exact bytes).")
    boolean pretty;

    private Main.Terminal terminal;

    @Override
    public void terminal(Main.Terminal t) {
        this.terminal = t;
    }

    @Override
    public Integer call() throws IOException {
        byte[] input = terminal.in().readAllBytes();
        try {
            ChatRequest request = read(input);
            String m = Optional.ofNullable(model)
                    .or(request::model)
                    .orElseThrow(() -> new Bad("name a model: --model M, or 'model' in the request"));
            Optional<JsonNode> file = config == null ? Optional.empty() : Optional.of(readConfig(config));
            ProviderRegistry registry = registry(file);
            ProviderRegistry.Resolution target = registry.resolve(Optional.of(provider), Optional.of(m));
            UpstreamRequest upstream = registry.dryRun(target, request);
            terminal.out().write(UpstreamRequestPrinter.print(upstream, pretty));
            terminal.out().flush();
            return 0;
        } catch (InvalidRequestException e) {
            return fail("the request is not valid: " + e.getMessage());
        } catch (UnknownProviderException e) {
            return fail("unknown provider '" + provider + "' (known: " + String.join(", ", known()) + ")");
        } catch (Bad | AIStreamException | IllegalArgumentException e) {
            return fail(e.getMessage());
        }
    }

    private ChatRequest read(byte[] input) {
        return openai ? EndpointRequests.openAiChat(input) : ChatRequestJson.parse(input);
    }

    private static JsonNode readConfig(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new Bad("--config " + file + ": no such file");
        }
        try {
            return ChatRequestJson.readTree(bytes);
        } catch (InvalidRequestException e) {
            throw new Bad("--config " + file + " is not valid JSON: " + e.problem());
        }
    }

    /**
     * The registry as {@code serve} builds it; when that does not serve the provider and it is a
     * catalog provider, again with placeholders for its credentials (or, needing none, a config
     * entry with its protocol and default base URL).
     */
    private ProviderRegistry registry(Optional<JsonNode> file) {
        Map<String, String> env = environment;
        ProviderRegistry registry = build(env, file);
        if (serves(registry)) {
            return registry;
        }
        Optional<ProviderPreset> preset = preset(provider);
        if (preset.isEmpty()) {
            return registry; // resolve() names it unknown, listing the known ones
        }
        Map<String, String> placeholders = new HashMap<>(env);
        for (String variable : preset.get().environmentVariables()) {
            placeholderFor(variable).ifPresent(value -> placeholders.putIfAbsent(variable, value));
        }
        registry = build(placeholders, file);
        if (serves(registry)) {
            return registry;
        }
        ObjectNode root = file.map(JsonNode::deepCopy)
                .map(ObjectNode.class::cast)
                .orElseGet(() -> (ObjectNode) ChatRequestJson.readTree("{}"));
        ObjectNode entry = root.withObject("providers").putObject(provider);
        entry.put("protocol", descriptorOf(provider).orElseThrow().id());
        if (!descriptorOf(provider).orElseThrow().id().equals(provider)) {
            entry.put("preset", provider);
        }
        return build(placeholders, Optional.of(root));
    }

    private boolean serves(ProviderRegistry registry) {
        return registry.providerNames().contains(provider)
                || registry.aliases().containsKey(provider)
                || registry.chains().containsKey(provider);
    }

    private static ProviderRegistry build(Map<String, String> env, Optional<JsonNode> file) {
        ProviderRegistry.Builder b = ProviderRegistry.builder().environment(env);
        file.ifPresent(root -> b.config(root, ServerSettings.SERVER_KEYS));
        return b.build();
    }

    /** A placeholder for a credential or region variable; none for optional ones (URLs, versions, tokens). */
    static Optional<String> placeholderFor(String variable) {
        if (variable.endsWith("_BASE_URL")
                || variable.endsWith("_HOST")
                || variable.endsWith("_API_VERSION")
                || variable.endsWith("_DEPLOYMENT")
                || variable.endsWith("_SESSION_TOKEN")
                || variable.endsWith("_DEFAULT_REGION")) {
            return Optional.empty();
        }
        if (variable.endsWith("_REGION")) {
            return Optional.of("us-east-1");
        }
        if (variable.endsWith("_LOCATION")) {
            return Optional.of("global"); // Vertex AI's documented default location
        }
        if (variable.endsWith("_PROJECT")) {
            return Optional.of(PROJECT_PLACEHOLDER);
        }
        if (variable.endsWith("_ENDPOINT")) {
            return Optional.of("https://dry-run.invalid");
        }
        return Optional.of(PLACEHOLDER);
    }

    private static Optional<ProviderPreset> preset(String name) {
        for (ProviderDescriptor d : ProtocolCatalog.descriptors()) {
            for (ProviderPreset p : d.presets()) {
                if (p.name().equals(name)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<ProviderDescriptor> descriptorOf(String presetName) {
        return ProtocolCatalog.descriptors().stream()
                .filter(d -> d.presets().stream().anyMatch(p -> p.name().equals(presetName)))
                .findFirst();
    }

    private List<String> known() {
        Set<String> names = new LinkedHashSet<>();
        for (ProviderDescriptor d : ProtocolCatalog.descriptors()) {
            d.presets().forEach(p -> names.add(p.name()));
        }
        if (config != null) {
            try {
                ProviderRegistry r = build(environment, Optional.of(readConfig(config)));
                names.addAll(r.providerNames());
                names.addAll(r.aliases().keySet());
                names.addAll(r.chains().keySet());
            } catch (IOException | RuntimeException e) {
                // the catalog's names are still worth listing
            }
        }
        names.remove("simulated");
        return new ArrayList<>(names);
    }

    private int fail(String message) {
        terminal.err().println("aistream request: " + message);
        return Main.EXIT_BAD_INPUT;
    }

    /** Bad input, said in a sentence. */
    private static final class Bad extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Bad(String message) {
            super(message, null, false, false);
        }
    }
}
