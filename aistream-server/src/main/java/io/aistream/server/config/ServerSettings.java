package io.aistream.server.config;

import io.aistream.provider.registry.ProviderRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * The server settings of an aistream config — the JSON file of {@code aistream serve}, or a Spring
 * app's {@code aistream.*} properties turned into the same tree — with the {@code AISTREAM_API_KEYS},
 * {@code AISTREAM_CORS_ORIGINS}, {@code AISTREAM_REDIS_URL} and {@code AISTREAM_NODE_ID} environment
 * variables and the command-line flags (which win over the config; {@code --cors-origin} also over
 * {@code AISTREAM_CORS_ORIGINS}, which replaces the config's {@code corsOrigins}). The provider
 * sections ({@code providers}, {@code aliases}, {@code chains}, {@code retry}, ...) are the provider
 * registry's ({@code ProviderRegistry.Builder#config}).
 *
 * <pre>
 * {"host": "0.0.0.0", "port": 8080,
 *  "apiKeys": ["…"],
 *  "corsOrigins": ["https://app.example.com"],
 *  "allowedHosts": ["gateway.example.com", "*.apps.example.com"],
 *  "keepAliveSeconds": 15,
 *  "shutdownGraceSeconds": 10,
 *  "limits": {"maxBodyBytes": 1048576, "maxStreamsPerKey": 100, "maxStreams": 10000, "maxConnections": 0,
 *             "maxConnectionsPerAddress": 256, "requestHeaderTimeoutSeconds": 15,
 *             "minRequestBodyRate": 1024, "requestBodyGraceSeconds": 10},
 *  "resume": {"maxChunks": 10000, "maxBytes": 8388608, "ttlSeconds": 300},
 *  "memory": {"budgetMiB": 2048, "perKeyMiB": 512},
 *  "responses": {"storeMiB": 16, "perKeyMiB": 8, "ttlSeconds": 3600},
 *  "redis": {"url": "redis://127.0.0.1:6379/0", "leaseMillis": 3000, "renewMillis": 1000, "keyPrefix": "aistream:"},
 *  "nodeId": "web-1",
 *  "simulated": {"enabled": true, "tokensPerSecond": 40, "maxLength": 4096, "maxTokensPerSecond": 1000}}
 * </pre>
 *
 * With {@code redis} (or {@code AISTREAM_REDIS_URL}, which wins over the file's url) the node joins a
 * cluster on that Redis (see {@link ClusterConfig}); {@code nodeId} (or {@code AISTREAM_NODE_ID}) names it.
 *
 * <p>Every key is optional; an unknown key is an error naming it. An API key (file or environment)
 * shorter than {@link ServerConfig#MIN_API_KEY_LENGTH} characters is an error naming its position.
 *
 * <p>Connection limits ({@code limits}): {@code maxConnections} 0 (the default) derives the limit from
 * the process's open-files limit (half of it, at most 20,000; logged at start).
 * {@code maxConnectionsPerAddress} caps the connections one client IP may hold (0 = off; behind a
 * reverse proxy every connection has the proxy's address, so raise it or turn it off there).
 * {@code requestHeaderTimeoutSeconds}: a request's headers must arrive within this time, else 408 and
 * the connection is closed (0 = off). {@code minRequestBodyRate} (bytes per second, 0 = off) with
 * {@code requestBodyGraceSeconds}: a body of n bytes may take grace + n / rate seconds, else 408.
 *
 * @param config        the server configuration, without providers
 * @param shutdownGrace how long running streams may finish at SIGTERM
 * @param simulatedPace tokens per second of the simulated provider
 * @param file          the parsed config, whose provider sections (providers, aliases, chains, retry,
 *                      ...) the provider registry reads
 */
public record ServerSettings(
        ServerConfig.Builder config, Duration shutdownGrace, double simulatedPace, Optional<JsonNode> file) {
    /** The simulated provider's pace when the config sets none (tokens per second). */
    public static final double DEFAULT_SIMULATED_PACE = 40;
    /** The keys this class reads; the provider registry reads its own (see ProviderRegistry.configKeys()). */
    public static final Set<String> SERVER_KEYS = Set.of(
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

    private static final Set<String> TOP = union(SERVER_KEYS, ProviderRegistry.configKeys());
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
    private static final Set<String> RESPONSES = Set.of("storeMiB", "perKeyMiB", "ttlSeconds");
    private static final Set<String> REDIS = Set.of("url", "leaseMillis", "renewMillis", "keyPrefix");
    /** The simulated section's keys; the provider registry reads all but the pace (see RegistryConfig). */
    private static final Set<String> SIMULATED =
            Set.of("enabled", "tokensPerSecond", "maxLength", "maxTokensPerSecond");

    private static final Set<String> WEB_SOCKET = Set.of(
            "maxMessageBytes",
            "maxStreamsPerSocket",
            "pingSeconds",
            "maxMissedPongs",
            "sendQueueBytes",
            "sendQueueMessages");

    private static final String TOO_SHORT = "is too short: an API key needs at least " + ServerConfig.MIN_API_KEY_LENGTH
            + " characters (e.g. openssl rand -hex 32)";

    /** A settings problem the user must fix; its message names the source (file) and key. */
    public static final class BadSettings extends Exception {
        private static final long serialVersionUID = 1L;

        /** A problem described by {@code message}. */
        public BadSettings(String message) {
            super(message);
        }
    }

    /**
     * Reads the settings from a parsed config.
     *
     * @param config      the config tree (a JSON object), if there is one
     * @param source      what the config came from, for messages ({@code aistream.json}, {@code aistream.*
     *                    properties})
     * @param host        the {@code --host} flag, if given
     * @param port        the {@code --port} flag, if given
     * @param corsOrigins the {@code --cors-origin} flags (empty when none was given)
     * @param env         the process environment
     * @throws BadSettings naming the source and key of the first problem
     */
    public static ServerSettings read(
            Optional<JsonNode> config,
            String source,
            Optional<String> host,
            Optional<Integer> port,
            List<String> corsOrigins,
            Map<String, String> env)
            throws BadSettings {
        ServerConfig.Builder b = ServerConfig.builder();
        List<String> keys = new ArrayList<>();
        Duration[] grace = {Duration.ofSeconds(10)};
        JsonNode parsed = null;
        double[] pace = {DEFAULT_SIMULATED_PACE};
        String[] cluster = {null};
        String[] nodeId = {null};
        String[] prefix = {ClusterConfig.DEFAULT_KEY_PREFIX};
        Duration[] lease = {ClusterConfig.DEFAULT_LEASE};
        Duration[] renew = {ClusterConfig.DEFAULT_RENEW_EVERY};
        if (config.isPresent()) {
            JsonNode root = config.get();
            if (!root.isObject()) {
                throw new BadSettings(source + ": must hold one JSON object");
            }
            parsed = root;
            Reader r = new Reader(source);
            r.object(root, "", TOP);
            r.string(root, "host").ifPresent(b::host);
            r.integer(root, "port", 0, 65_535).ifPresent(b::port);
            List<String> fileKeys = r.strings(root, "apiKeys");
            for (int i = 0; i < fileKeys.size(); i++) {
                if (fileKeys.get(i).strip().length() < ServerConfig.MIN_API_KEY_LENGTH) {
                    r.fail("apiKeys[" + i + "]", TOO_SHORT);
                }
            }
            keys.addAll(fileKeys);
            if (root.has("corsOrigins")) {
                b.corsOrigins(r.strings(root, "corsOrigins"));
            }
            if (root.has("allowedHosts")) {
                b.allowedHosts(r.strings(root, "allowedHosts"));
            }
            r.integer(root, "keepAliveSeconds", 1, 3600).ifPresent(s -> b.keepAliveInterval(Duration.ofSeconds(s)));
            r.integer(root, "shutdownGraceSeconds", 0, 3600).ifPresent(s -> grace[0] = Duration.ofSeconds(s));
            r.section(root, "limits", LIMITS, limits -> {
                r.integer(limits, "maxBodyBytes", 1, Integer.MAX_VALUE).ifPresent(b::maxBodyBytes);
                r.integer(limits, "maxStreamsPerKey", 1, Integer.MAX_VALUE).ifPresent(b::maxStreamsPerKey);
                r.integer(limits, "maxStreams", 1, Integer.MAX_VALUE).ifPresent(b::maxStreams);
                r.integer(limits, "maxConnections", 0, Integer.MAX_VALUE).ifPresent(b::maxConnections);
                ConnectionConfig c = ConnectionConfig.defaults();
                c = c.withMaxConnectionsPerAddress(r.integer(limits, "maxConnectionsPerAddress", 0, Integer.MAX_VALUE)
                        .orElse(c.maxConnectionsPerAddress()));
                c = c.withRequestHeaderTimeout(r.integer(limits, "requestHeaderTimeoutSeconds", 0, 3600)
                        .map(Duration::ofSeconds)
                        .orElse(c.requestHeaderTimeout()));
                c = c.withMinRequestBodyRate(
                        r.integer(limits, "minRequestBodyRate", 0, Integer.MAX_VALUE)
                                .orElse(c.minRequestBodyRate()),
                        r.integer(limits, "requestBodyGraceSeconds", 0, 3600)
                                .map(Duration::ofSeconds)
                                .orElse(c.requestBodyGrace()));
                b.connections(c);
            });
            r.section(root, "resume", RESUME, resume -> {
                r.integer(resume, "maxChunks", 1, Integer.MAX_VALUE).ifPresent(b::resumeMaxChunks);
                r.integer(resume, "maxBytes", 1, Integer.MAX_VALUE).ifPresent(v -> b.resumeMaxBytes(v));
                r.integer(resume, "ttlSeconds", 1, 86_400).ifPresent(s -> b.resumeTtl(Duration.ofSeconds(s)));
            });
            r.section(root, "memory", MEMORY, memory -> {
                long budget = r.integer(memory, "budgetMiB", 1, 1 << 24).orElse(0) * (1L << 20);
                long perKey = r.integer(memory, "perKeyMiB", 1, 1 << 24).orElse(0) * (1L << 20);
                if (budget > 0 && perKey > budget) {
                    r.fail("memory.perKeyMiB", "must not exceed memory.budgetMiB");
                } else {
                    b.memory(new MemoryConfig(budget, perKey));
                }
            });
            r.section(root, "responses", RESPONSES, responses -> {
                ResponseStoreConfig d = ResponseStoreConfig.defaults();
                long max = r.integer(responses, "storeMiB", 1, 1 << 20)
                        .map(v -> v * (1L << 20))
                        .orElse(d.maxBytes());
                long perKey = r.integer(responses, "perKeyMiB", 1, 1 << 20).orElse(0) * (1L << 20);
                long ttl = r.integer(responses, "ttlSeconds", 1, 30 * 86_400)
                        .orElse((int) d.ttl().toSeconds());
                if (perKey > max) {
                    r.fail("responses.perKeyMiB", "must not exceed responses.storeMiB");
                } else {
                    b.storedResponses(new ResponseStoreConfig(max, perKey, Duration.ofSeconds(ttl)));
                }
            });
            r.section(root, "webSocket", WEB_SOCKET, ws -> {
                WebSocketConfig w = WebSocketConfig.defaults();
                w = w.withMaxMessageBytes(
                        r.integer(ws, "maxMessageBytes", 1, Integer.MAX_VALUE).orElse(w.maxMessageBytes()));
                w = w.withMaxStreamsPerSocket(
                        r.integer(ws, "maxStreamsPerSocket", 1, 100_000).orElse(w.maxStreamsPerSocket()));
                w = w.withPingInterval(r.integer(ws, "pingSeconds", 1, 3600)
                        .map(Duration::ofSeconds)
                        .orElse(w.pingInterval()));
                w = w.withMaxMissedPongs(r.integer(ws, "maxMissedPongs", 1, 100).orElse(w.maxMissedPongs()));
                w = w.withSendQueue(
                        r.integer(ws, "sendQueueBytes", 1024, Integer.MAX_VALUE).orElse(w.sendQueueBytes()),
                        r.integer(ws, "sendQueueMessages", 1, 1_000_000).orElse(w.sendQueueMessages()));
                b.webSocket(w);
            });
            r.section(root, "redis", REDIS, redis -> {
                Optional<String> url = r.string(redis, "url");
                if (url.isEmpty() && !env.containsKey("AISTREAM_REDIS_URL")) {
                    r.fail("redis.url", "is required, e.g. \"redis://127.0.0.1:6379/0\"");
                    return;
                }
                cluster[0] = url.orElse("redis://127.0.0.1:6379/0");
                lease[0] = r.integer(redis, "leaseMillis", 30, 3_600_000)
                        .map(Duration::ofMillis)
                        .orElse(ClusterConfig.DEFAULT_LEASE);
                renew[0] = r.integer(redis, "renewMillis", 10, 1_200_000)
                        .map(Duration::ofMillis)
                        .orElse(ClusterConfig.DEFAULT_RENEW_EVERY);
                prefix[0] = r.string(redis, "keyPrefix").orElse(ClusterConfig.DEFAULT_KEY_PREFIX);
            });
            r.string(root, "nodeId").ifPresent(id -> nodeId[0] = id);
            r.section(root, "simulated", SIMULATED, sim -> {
                r.integer(sim, "tokensPerSecond", 0, 100_000).ifPresent(v -> pace[0] = v);
            });
            if (r.problem != null) {
                throw new BadSettings(r.problem);
            }
        }
        String fromEnv = env.get("AISTREAM_API_KEYS");
        if (fromEnv != null) {
            int position = 0;
            for (String k : fromEnv.split(",")) {
                if (!k.isBlank()) {
                    position++;
                    if (k.strip().length() < ServerConfig.MIN_API_KEY_LENGTH) { // never echo the key
                        throw new BadSettings("AISTREAM_API_KEYS: key " + position + " " + TOO_SHORT);
                    }
                    keys.add(k.strip());
                }
            }
        }
        b.apiKeys(keys);
        String originsFromEnv = env.get("AISTREAM_CORS_ORIGINS");
        if (!corsOrigins.isEmpty()) {
            b.corsOrigins(origins(corsOrigins, "--cors-origin"));
        } else if (originsFromEnv != null && !originsFromEnv.isBlank()) {
            b.corsOrigins(origins(List.of(originsFromEnv.split(",")), "AISTREAM_CORS_ORIGINS"));
        }
        host.ifPresent(b::host);
        port.ifPresent(b::port);
        String redisFromEnv = env.get("AISTREAM_REDIS_URL");
        if (redisFromEnv != null && !redisFromEnv.isBlank()) {
            cluster[0] = redisFromEnv.strip();
        }
        String nodeFromEnv = env.get("AISTREAM_NODE_ID");
        if (nodeFromEnv != null && !nodeFromEnv.isBlank()) {
            nodeId[0] = nodeFromEnv.strip();
        }
        if (cluster[0] != null) {
            try {
                b.cluster(new ClusterConfig(
                        cluster[0],
                        nodeId[0] != null ? nodeId[0] : ClusterConfig.defaultNodeId(),
                        lease[0],
                        renew[0],
                        prefix[0]));
            } catch (IllegalArgumentException e) {
                throw new BadSettings(
                        (redisFromEnv != null ? "AISTREAM_REDIS_URL / redis: " : "redis: ") + e.getMessage());
            }
        } else if (nodeId[0] != null) {
            throw new BadSettings("nodeId is set, but no redis: a node id names a node of a cluster");
        }
        try {
            b.build(); // validates the combination now, with a clear message
        } catch (IllegalArgumentException e) {
            throw new BadSettings(e.getMessage());
        }
        return new ServerSettings(b, grace[0], pace[0], Optional.ofNullable(parsed));
    }

    /** The non-blank origins, stripped; an origin with a path or a space is refused naming {@code source}. */
    private static List<String> origins(List<String> given, String source) throws BadSettings {
        List<String> out = new ArrayList<>();
        for (String o : given) {
            String origin = o.strip();
            if (origin.isEmpty()) {
                continue;
            }
            if (!origin.equals("*") && !origin.matches("(?i)https?://[^/\\s]+/?")) {
                throw new BadSettings(source + ": '" + origin
                        + "' is not an origin (scheme://host[:port], e.g. https://app.example.com, or *)");
            }
            out.add(origin);
        }
        return out;
    }

    /** Typed access that records the first problem (lambdas cannot throw the checked exception). */
    private static final class Reader {
        private final String file;
        private String problem;

        Reader(String file) {
            this.file = file;
        }

        void object(JsonNode node, String path, Set<String> allowed) {
            for (String name : node.propertyNames()) {
                if (!allowed.contains(name)) {
                    fail(path + name, "unknown key; expected one of " + String.join(", ", new TreeSet<>(allowed)));
                }
            }
        }

        void section(JsonNode root, String name, Set<String> allowed, Consumer<JsonNode> body) {
            JsonNode node = root.get(name);
            if (node == null || node.isNull()) {
                return;
            }
            if (!node.isObject()) {
                fail(name, "must be an object");
                return;
            }
            object(node, name + ".", allowed);
            body.accept(node);
        }

        Optional<String> string(JsonNode node, String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            if (!v.isString()) {
                fail(name, "must be a string");
                return Optional.empty();
            }
            return Optional.of(v.stringValue());
        }

        Optional<Integer> integer(JsonNode node, String name, int min, int max) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
                fail(name, "must be a whole number from " + min + " to " + max);
                return Optional.empty();
            }
            return Optional.of(v.intValue());
        }

        List<String> strings(JsonNode node, String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            if (!v.isArray()) {
                fail(name, "must be an array of strings");
                return out;
            }
            for (JsonNode s : v) {
                if (!s.isString() || s.stringValue().isBlank()) {
                    fail(name, "must be an array of non-empty strings");
                    return List.of();
                }
                out.add(s.stringValue());
            }
            return out;
        }

        private void fail(String key, String why) {
            if (problem == null) {
                problem = file + ": '" + key + "': " + why;
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
