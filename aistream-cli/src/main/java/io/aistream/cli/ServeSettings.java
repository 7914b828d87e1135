package io.aistream.cli;

import io.aistream.json.Jackson;
import io.aistream.server.config.ServerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The settings of {@code aistream serve}: an optional JSON file (strict: a duplicate key is an error),
 * read by {@link ServerSettings} together with the environment and the command-line flags; see there
 * for every key.
 */
final class ServeSettings {
    static final double DEFAULT_SIMULATED_PACE = ServerSettings.DEFAULT_SIMULATED_PACE;
    /** The keys the server reads; the provider registry reads its own (see ProviderRegistry.configKeys()). */
    static final Set<String> SERVER_KEYS = ServerSettings.SERVER_KEYS;

    private static final JsonMapper JSON = Jackson.mapperBuilder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** A settings problem the user must fix; its message names the file and key. */
    static final class BadSettings extends Exception {
        private static final long serialVersionUID = 1L;

        BadSettings(String message) {
            super(message);
        }
    }

    private ServeSettings() {}

    /**
     * Reads the settings.
     *
     * @param file the JSON file, if given
     * @param host the {@code --host} flag, if given
     * @param port the {@code --port} flag, if given
     * @param env  the process environment
     */
    static ServerSettings load(
            Optional<Path> file, Optional<String> host, Optional<Integer> port, Map<String, String> env)
            throws BadSettings {
        return load(file, host, port, List.of(), env);
    }

    /**
     * Reads the settings. The CORS origins come from the first of: the {@code --cors-origin} flags,
     * {@code AISTREAM_CORS_ORIGINS} (comma-separated), the file's {@code corsOrigins}.
     *
     * @param file        the JSON file, if given
     * @param host        the {@code --host} flag, if given
     * @param port        the {@code --port} flag, if given
     * @param corsOrigins the {@code --cors-origin} flags (empty when none was given)
     * @param env         the process environment
     */
    static ServerSettings load(
            Optional<Path> file,
            Optional<String> host,
            Optional<Integer> port,
            List<String> corsOrigins,
            Map<String, String> env)
            throws BadSettings {
        Optional<JsonNode> root = file.isPresent() ? Optional.of(read(file.get())) : Optional.empty();
        String source = file.map(f -> f.getFileName().toString()).orElse("settings");
        try {
            return ServerSettings.read(root, source, host, port, corsOrigins, env);
        } catch (ServerSettings.BadSettings e) {
            throw new BadSettings(e.getMessage());
        }
    }

    private static JsonNode read(Path file) throws BadSettings {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new BadSettings("cannot read " + file + ": " + e.getMessage());
        }
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || !root.isObject()) {
                throw new BadSettings(file.getFileName() + ": must hold one JSON object");
            }
            return root;
        } catch (JacksonException e) {
            throw new BadSettings(file.getFileName() + ": not valid JSON: " + e.getOriginalMessage());
        }
    }
}
