package io.aistream.spring.boot.autoconfigure;

import io.aistream.server.assembly.GatewayRoutes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code aistream.*} properties of the application's environment: the JSON config tree (every
 * key of aistream's config file) and the Spring-only keys ({@code aistream.enabled},
 * {@code aistream.endpoints.enabled}, {@code aistream.endpoints.base-path}). Immutable.
 *
 * <p>The tree is read from the environment's enumerable property sources (application properties and
 * YAML, command-line arguments, system properties, test properties), highest precedence first, with
 * placeholders resolved. The operating system environment is not read for the tree: the variables
 * the CLI reads ({@code OPENAI_API_KEY}, {@code AISTREAM_REDIS_URL}, ...) are read as the CLI reads them.
 *
 * @param tree      the config tree (without the Spring-only keys)
 * @param endpoints the endpoint groups to mount
 * @param basePath  where they are mounted ({@code ""} or like {@code /ai})
 */
public record AiStreamSettings(ObjectNode tree, List<String> endpoints, String basePath) {
    /** The property prefix. */
    public static final String PREFIX = "aistream";

    /** The groups mounted by default: every group but {@code info} (Actuator has health and metrics). */
    public static final List<String> DEFAULT_ENDPOINTS = GatewayRoutes.ENDPOINT_GROUPS.stream()
            .filter(g -> !g.equals("info"))
            .toList();

    /**
     * Reads the settings.
     *
     * @throws AiStreamConfigException naming the property when a name does not parse, an endpoint group
     *                                 is unknown or the base path is malformed
     */
    public static AiStreamSettings read(ConfigurableEnvironment environment) {
        PropertyTree tree = new PropertyTree(PREFIX + ".");
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> names)
                    || StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(source.getName())) {
                continue;
            }
            for (String name : names.getPropertyNames()) {
                if (!name.startsWith(PREFIX + ".") || springOnly(name)) {
                    continue;
                }
                Object raw = source.getProperty(name);
                String value = raw == null ? "" : environment.resolveRequiredPlaceholders(String.valueOf(raw));
                try {
                    tree.add(name, value);
                } catch (IllegalArgumentException e) {
                    throw new AiStreamConfigException(e.getMessage());
                }
            }
        }
        Binder binder = Binder.get(environment);
        List<String> groups = binder.bind(PREFIX + ".endpoints.enabled", Bindable.listOf(String.class))
                .orElse(DEFAULT_ENDPOINTS);
        List<String> cleaned = new ArrayList<>();
        for (String g : groups) {
            String group = g.strip().toLowerCase(Locale.ROOT);
            if (group.isEmpty()) {
                continue;
            }
            if (!GatewayRoutes.ENDPOINT_GROUPS.contains(group)) {
                throw new AiStreamConfigException("'endpoints.enabled': unknown endpoint group '" + g + "' (known: "
                        + String.join(", ", GatewayRoutes.ENDPOINT_GROUPS) + ")");
            }
            cleaned.add(group);
        }
        String basePath = binder.bind(PREFIX + ".endpoints.base-path", String.class)
                .orElse("")
                .strip();
        if (basePath.equals("/")) {
            basePath = "";
        }
        if (!basePath.isEmpty() && (!basePath.startsWith("/") || basePath.endsWith("/") || basePath.contains("//"))) {
            throw new AiStreamConfigException(
                    "'endpoints.base-path': '" + basePath + "' must start with / and not end with one, e.g. /ai");
        }
        return new AiStreamSettings(tree.toJson(), List.copyOf(cleaned), basePath);
    }

    private static boolean springOnly(String name) {
        String first = name.substring(PREFIX.length() + 1).split("[.\\[]", 2)[0];
        return first.equals("endpoints") || first.equals("enabled");
    }
}
