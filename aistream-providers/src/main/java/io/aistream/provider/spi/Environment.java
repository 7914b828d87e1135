package io.aistream.provider.spi;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The environment variables a {@link ProviderPreset} reads its configuration from. Values are
 * stripped; an empty value counts as unset. Credentials read here must never be logged.
 *
 * <p>Immutable and thread-safe.
 */
public final class Environment {
    private final Map<String, String> variables;

    private Environment(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    /** The environment of these variables (usually {@code System.getenv()}). */
    public static Environment of(Map<String, String> variables) {
        return new Environment(Objects.requireNonNull(variables, "variables"));
    }

    /** The variable's stripped value, unless it is unset or blank. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(variables.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    /**
     * {@code text} (a variable's value) as an absolute URL.
     *
     * @throws InvalidConfigException quoting the text when it is not one
     */
    public static URI url(String text) {
        try {
            URI uri = URI.create(text.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("not an absolute URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("not a valid base URL in the environment: '" + text + "'");
        }
    }
}
