package io.aistream.provider.spi;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One named provider a {@link ProviderDescriptor}'s protocol serves, e.g. {@code deepseek} or
 * {@code azure-openai} for OpenAI Chat Completions: its default base URL, the environment variables
 * that configure it, and how they become a {@link ProviderConfig}.
 *
 * @param name                 the provider name requests and configuration use (lower case)
 * @param order                where this provider stands among all presets of all descriptors when the
 *                             environment is read (lower first; ties by name): it fixes the order of
 *                             the environment's providers in listings such as {@code /health}
 * @param aliases              other names whose recorded streams this preset reads when the body's
 *                             framing fits this protocol and not the one of that name (e.g. Ollama's
 *                             OpenAI-compatible endpoint reads {@code ollama} bodies that are SSE); never
 *                             used to pick a protocol for a configured provider
 * @param defaultBaseUrl       the usual API base URL, if there is one that needs no account detail
 * @param environmentVariables the variables {@link #fromEnvironment} reads, for documentation and help
 * @param environment          turns the environment into this provider's configuration
 */
public record ProviderPreset(
        String name,
        int order,
        List<String> aliases,
        Optional<URI> defaultBaseUrl,
        List<String> environmentVariables,
        EnvironmentReader environment) {

    /** Reads one provider's configuration from the environment. Stateless and thread-safe. */
    @FunctionalInterface
    public interface EnvironmentReader {
        /** Reads nothing. */
        EnvironmentReader NONE = env -> Optional.empty();

        /**
         * The provider's configuration when the environment sets its credentials, else empty.
         *
         * @throws InvalidConfigException naming the variable when a value is unusable (e.g. not a URL)
         */
        Optional<ProviderConfig> read(Environment env);
    }

    public ProviderPreset {
        Objects.requireNonNull(name, "name");
        aliases = List.copyOf(aliases);
        Objects.requireNonNull(defaultBaseUrl, "defaultBaseUrl");
        environmentVariables = List.copyOf(environmentVariables);
        Objects.requireNonNull(environment, "environment");
    }

    /** A preset no environment variable configures (a config file names it). */
    public static ProviderPreset of(String name, int order, Optional<URI> defaultBaseUrl) {
        return new ProviderPreset(name, order, List.of(), defaultBaseUrl, List.of(), EnvironmentReader.NONE);
    }

    /** This preset, configured from {@code variables} by {@code reader}. */
    public ProviderPreset readingEnvironment(List<String> variables, EnvironmentReader reader) {
        return new ProviderPreset(name, order, aliases, defaultBaseUrl, variables, reader);
    }

    /**
     * This preset, configured for {@code protocol} by an API key: by the first of {@code keyVariables}
     * that is set (none set: not configured), at the base URL in {@code baseUrlVariable} if that is set,
     * else at the {@linkplain #defaultBaseUrl default} one, with {@code settings}. The variables it reads
     * are the key variables, then the base URL variable.
     *
     * @throws IllegalStateException when this preset has no default base URL
     */
    public ProviderPreset readingApiKey(
            String protocol,
            List<String> keyVariables,
            Optional<String> baseUrlVariable,
            Map<String, String> settings) {
        URI fallbackUrl =
                defaultBaseUrl.orElseThrow(() -> new IllegalStateException(name + " has no default base URL"));
        List<String> keys = List.copyOf(keyVariables);
        Map<String, String> fixedSettings = Map.copyOf(settings);
        List<String> variables = new ArrayList<>(keys);
        baseUrlVariable.ifPresent(variables::add);
        return readingEnvironment(
                variables,
                env -> keys.stream()
                        .map(env::get)
                        .flatMap(Optional::stream)
                        .findFirst()
                        .map(key -> new ProviderConfig(
                                name,
                                protocol,
                                baseUrlVariable
                                        .flatMap(env::get)
                                        .map(Environment::url)
                                        .orElse(fallbackUrl),
                                Optional.of(key),
                                fixedSettings)));
    }

    /** {@link #readingApiKey(String, List, Optional, Map)} with one key variable, no base URL variable, no settings. */
    public ProviderPreset readingApiKey(String protocol, String keyVariable) {
        return readingApiKey(protocol, List.of(keyVariable), Optional.empty(), Map.of());
    }

    /** {@link #readingApiKey(String, List, Optional, Map)} with one key variable, an optional base URL variable, no settings. */
    public ProviderPreset readingApiKey(String protocol, String keyVariable, String baseUrlVariable) {
        return readingApiKey(protocol, List.of(keyVariable), Optional.of(baseUrlVariable), Map.of());
    }

    /** This preset, also reading recorded streams of the providers called {@code names} (see {@link #aliases}). */
    public ProviderPreset withAliases(String... names) {
        return new ProviderPreset(name, order, List.of(names), defaultBaseUrl, environmentVariables, environment);
    }

    /** The configuration the environment gives this provider, if its credentials are set. */
    public Optional<ProviderConfig> fromEnvironment(Environment env) {
        return environment.read(env);
    }
}
