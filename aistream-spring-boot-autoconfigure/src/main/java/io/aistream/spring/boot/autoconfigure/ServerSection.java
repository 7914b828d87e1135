package io.aistream.spring.boot.autoconfigure;

import io.aistream.server.config.ClusterConfig;
import io.aistream.server.config.MemoryConfig;
import io.aistream.server.config.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * The server sections of the config tree (what {@code aistream serve} reads besides the providers),
 * read into a {@link ServerConfig.Builder} with the CLI's rules and messages, plus the environment
 * variables the CLI reads ({@code AISTREAM_API_KEYS}, {@code AISTREAM_REDIS_URL}, {@code AISTREAM_NODE_ID}).
 * Sections that only a standalone server has ({@code host}, {@code port}, {@code corsOrigins},
 * {@code allowedHosts}, the connection limits) are accepted and have no effect: the host application
 * owns its server. Stands in for the server's shared settings reader until it is public.
 */
final class ServerSection {
    /** The top-level keys read here; the provider registry reads the rest. */
    static final Set<String> KEYS = Set.of(
            "host",
            "port",
            "apiKeys",
            "corsOrigins",
            "allowedHosts",
            "keepAliveSeconds",
            "shutdownGraceSeconds",
            "limits",
            "resume",
            "memory",
            "simulated",
            "webSocket",
            "responses",
            "redis",
            "nodeId");

    private static final Set<String> LIMITS = Set.of(
            "maxBodyBytes",
            "maxStreamsPerKey",
            "maxStreams",
            "maxConnections",
            "maxConnectionsPerAddress",
            "requestHeaderTimeoutSeconds",
            "minRequestBodyRate",
            "requestBodyGraceSeconds");
    private static final Set<String> RESUME = Set.of("maxChunks", "maxBytes", "ttlSeconds");
    private static final Set<String> MEMORY = Set.of("budgetMiB", "perKeyMiB");
    private static final Set<String> REDIS = Set.of("url", "leaseMillis", "renewMillis", "keyPrefix");

    /**
     * @param config        the server configuration, without providers
     * @param shutdownGrace how long running streams may finish when the application stops
     */
    record Result(ServerConfig.Builder config, Duration shutdownGrace) {}

    private ServerSection() {}

    /**
     * Reads the tree's server sections and the environment.
     *
     * @param redisFallback a Redis URL to use when neither the tree nor the environment names one
     * @throws AiStreamConfigException naming the key
     */
    static Result read(JsonNode root, Map<String, String> env, Optional<String> redisFallback) {
        ServerConfig.Builder b = ServerConfig.builder();
        List<String> keys = new ArrayList<>();
        intValue(root, "keepAliveSeconds", 1, 3600).ifPresent(s -> b.keepAliveInterval(Duration.ofSeconds(s)));
        Duration grace = intValue(root, "shutdownGraceSeconds", 0, 3600)
                .map(Duration::ofSeconds)
                .orElse(Duration.ofSeconds(10));
        for (String k : strings(root, "apiKeys")) {
            if (k.strip().length() < ServerConfig.MIN_API_KEY_LENGTH) {
                throw bad("apiKeys", "an API key needs at least " + ServerConfig.MIN_API_KEY_LENGTH + " characters");
            }
            keys.add(k.strip());
        }
        JsonNode limits = section(root, "limits", LIMITS);
        intValue(limits, "limits.maxBodyBytes", 1, Integer.MAX_VALUE).ifPresent(b::maxBodyBytes);
        intValue(limits, "limits.maxStreamsPerKey", 1, Integer.MAX_VALUE).ifPresent(b::maxStreamsPerKey);
        intValue(limits, "limits.maxStreams", 1, Integer.MAX_VALUE).ifPresent(b::maxStreams);
        JsonNode resume = section(root, "resume", RESUME);
        intValue(resume, "resume.maxChunks", 1, Integer.MAX_VALUE).ifPresent(b::resumeMaxChunks);
        intValue(resume, "resume.maxBytes", 1, Integer.MAX_VALUE).ifPresent(v -> b.resumeMaxBytes(v));
        intValue(resume, "resume.ttlSeconds", 1, 86_400).ifPresent(s -> b.resumeTtl(Duration.ofSeconds(s)));
        JsonNode memory = section(root, "memory", MEMORY);
        long budget = intValue(memory, "memory.budgetMiB", 1, 1 << 24).orElse(0) * (1L << 20);
        long perKey = intValue(memory, "memory.perKeyMiB", 1, 1 << 24).orElse(0) * (1L << 20);
        if (budget > 0 && perKey > budget) {
            throw bad("memory.perKeyMiB", "must not exceed memory.budgetMiB");
        }
        b.memory(new MemoryConfig(budget, perKey));
        JsonNode redis = section(root, "redis", REDIS);
        Optional<String> url = string(redis, "redis.url");
        String fromEnv = env.get("AISTREAM_REDIS_URL");
        if (fromEnv != null && !fromEnv.isBlank()) {
            url = Optional.of(fromEnv.strip());
        }
        if (url.isEmpty()) {
            url = redisFallback;
        }
        Optional<String> nodeId = string(root, "nodeId");
        String nodeFromEnv = env.get("AISTREAM_NODE_ID");
        if (nodeFromEnv != null && !nodeFromEnv.isBlank()) {
            nodeId = Optional.of(nodeFromEnv.strip());
        }
        if (url.isPresent()) {
            try {
                b.cluster(new ClusterConfig(
                        url.get(),
                        nodeId.orElseGet(ClusterConfig::defaultNodeId),
                        intValue(redis, "redis.leaseMillis", 30, 3_600_000)
                                .map(Duration::ofMillis)
                                .orElse(ClusterConfig.DEFAULT_LEASE),
                        intValue(redis, "redis.renewMillis", 10, 1_200_000)
                                .map(Duration::ofMillis)
                                .orElse(ClusterConfig.DEFAULT_RENEW_EVERY),
                        string(redis, "redis.keyPrefix").orElse(ClusterConfig.DEFAULT_KEY_PREFIX)));
            } catch (IllegalArgumentException e) {
                throw bad("redis", e.getMessage());
            }
        } else if (nodeId.isPresent()) {
            throw bad("nodeId", "is set, but no redis: a node id names a node of a cluster");
        }
        String keysFromEnv = env.get("AISTREAM_API_KEYS");
        if (keysFromEnv != null) {
            int position = 0;
            for (String k : keysFromEnv.split(",")) {
                if (!k.isBlank()) {
                    position++;
                    if (k.strip().length() < ServerConfig.MIN_API_KEY_LENGTH) { // never echo the key
                        throw new AiStreamConfigException("AISTREAM_API_KEYS: key " + position
                                + " is too short: an API key needs at least " + ServerConfig.MIN_API_KEY_LENGTH
                                + " characters");
                    }
                    keys.add(k.strip());
                }
            }
        }
        b.apiKeys(keys);
        try {
            b.build(); // validates the combination now, with a clear message
        } catch (IllegalArgumentException e) {
            throw new AiStreamConfigException(e.getMessage());
        }
        return new Result(b, grace);
    }

    private static JsonNode section(JsonNode root, String name, Set<String> allowed) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw bad(name, "must be an object");
        }
        for (String key : node.propertyNames()) {
            if (!allowed.contains(key)) {
                throw bad(
                        name + "." + key, "unknown key; expected one of " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return node;
    }

    private static Optional<Integer> intValue(JsonNode node, String path, int min, int max) {
        JsonNode v = node.get(path.substring(path.lastIndexOf('.') + 1));
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            throw bad(path, "must be a whole number from " + min + " to " + max);
        }
        return Optional.of(v.intValue());
    }

    private static Optional<String> string(JsonNode node, String path) {
        JsonNode v = node.get(path.substring(path.lastIndexOf('.') + 1));
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isString()) {
            throw bad(path, "must be a string");
        }
        return Optional.of(v.stringValue());
    }

    private static List<String> strings(JsonNode node, String name) {
        JsonNode v = node.get(name);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw bad(name, "must be an array of strings");
        }
        for (JsonNode s : v) {
            if (!s.isString() || s.stringValue().isBlank()) {
                throw bad(name, "must be an array of non-empty strings");
            }
            out.add(s.stringValue());
        }
        return out;
    }

    private static AiStreamConfigException bad(String key, String why) {
        return new AiStreamConfigException("'" + key + "': " + why);
    }
}
