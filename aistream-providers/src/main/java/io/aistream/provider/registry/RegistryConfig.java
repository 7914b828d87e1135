package io.aistream.provider.registry;

import io.aistream.provider.ModelRef;
import io.aistream.provider.simulated.SimulatedProvider;
import io.aistream.provider.spi.InvalidConfigException;
import io.aistream.provider.transport.RecoveryPolicy;
import io.aistream.provider.transport.RetryPolicy;
import io.aistream.provider.transport.StreamOptions;
import io.aistream.stream.Timeouts;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The provider sections of an aistream config file, validated: every unknown key, wrong type or bad
 * value is an {@link InvalidConfigException} naming its JSON path.
 */
record RegistryConfig(
        List<ProviderEntry> providers,
        Map<String, ModelRef> aliases,
        Map<String, List<ModelRef>> chains,
        Timeouts timeouts,
        Optional<Duration> connectTimeout,
        RetryPolicy retry,
        RecoveryPolicy recovery,
        double simulatedTokensPerSecond,
        Simulated simulated,
        Optional<Path> replayRoot,
        PriceTable prices) {

    /**
     * The {@code simulated} section beyond its pace.
     *
     * @param enabled whether the provider is served ({@code "enabled": false} removes it)
     * @param caps    the caps a gateway with API keys applies ({@code maxLength}, {@code maxTokensPerSecond})
     */
    record Simulated(boolean enabled, SimulatedProvider.Caps caps) {
        static final Simulated DEFAULT = new Simulated(true, SimulatedProvider.Caps.DEFAULT);
    }

    /** The top-level keys this class reads. */
    static final Set<String> KEYS =
            Set.of("providers", "aliases", "chains", "timeouts", "retry", "recovery", "simulated", "replay", "prices");

    /** The fields of one model's price. */
    static final Set<String> PRICE_FIELDS = Set.of("input", "cachedInput", "cacheWrite", "output", "reasoning");

    /** A provider declared in the file, before its key is looked up. */
    record ProviderEntry(
            String name,
            String protocol,
            Optional<URI> baseUrl,
            Optional<String> apiKey,
            Optional<String> apiKeyEnv,
            Map<String, String> settings,
            List<String> models) {}

    static RegistryConfig defaults(double simulatedTokensPerSecond) {
        return new RegistryConfig(
                List.of(),
                Map.of(),
                Map.of(),
                StreamOptions.DEFAULT_TIMEOUTS,
                Optional.empty(),
                RetryPolicy.defaults(),
                RecoveryPolicy.fail(),
                simulatedTokensPerSecond,
                Simulated.DEFAULT,
                Optional.empty(),
                PriceTable.EMPTY);
    }

    /**
     * Reads the provider sections of {@code root}; other top-level keys are left to the caller
     * (listed in {@code otherKeys}), anything else is rejected.
     */
    static RegistryConfig parse(JsonNode root, Set<String> otherKeys, double defaultTokensPerSecond) {
        if (!root.isObject()) {
            throw bad("", "the config must be a JSON object");
        }
        for (String key : root.propertyNames()) {
            if (!KEYS.contains(key) && !otherKeys.contains(key)) {
                throw bad(key, "unknown key (known: " + sorted(KEYS, otherKeys) + ")");
            }
        }
        RegistryConfig d = defaults(defaultTokensPerSecond);
        List<ProviderEntry> providers = providers(root.path("providers"));
        Map<String, ModelRef> aliases = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object(root, "aliases").entrySet()) {
            aliases.put(e.getKey(), ref(e.getValue(), "aliases." + e.getKey()));
        }
        Map<String, List<ModelRef>> chains = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object(root, "chains").entrySet()) {
            String path = "chains." + e.getKey();
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                throw bad(path, "must be a non-empty array of \"provider/model\" strings");
            }
            List<ModelRef> refs = new ArrayList<>();
            for (int i = 0; i < e.getValue().size(); i++) {
                refs.add(ref(e.getValue().get(i), path + "[" + i + "]"));
            }
            chains.put(e.getKey(), List.copyOf(refs));
        }
        Map<String, JsonNode> t = object(root, "timeouts");
        allow(t, "timeouts", "connectMs", "firstChunkMs", "idleMs", "totalMs");
        Timeouts timeouts = d.timeouts();
        Optional<Duration> firstChunk = millis(t, "timeouts.firstChunkMs");
        Optional<Duration> idle = millis(t, "timeouts.idleMs");
        Optional<Duration> total = millis(t, "timeouts.totalMs");
        if (firstChunk.isPresent()) {
            timeouts = timeouts.withFirstChunk(firstChunk.get());
        }
        if (idle.isPresent()) {
            timeouts = timeouts.withIdleBetweenChunks(idle.get());
        }
        if (total.isPresent()) {
            timeouts = timeouts.withTotal(total.get());
        }
        Map<String, JsonNode> r = object(root, "retry");
        allow(r, "retry", "maxAttempts", "initialBackoffMs", "maxBackoffMs", "maxRetryAfterMs");
        RetryPolicy retry = d.retry();
        if (r.containsKey("maxAttempts")) {
            retry = retry.withMaxAttempts((int) integer(r.get("maxAttempts"), "retry.maxAttempts", 1, 20));
        }
        if (r.containsKey("initialBackoffMs") || r.containsKey("maxBackoffMs")) {
            Duration initial = millis(r, "retry.initialBackoffMs").orElse(retry.initialBackoff());
            Duration max = millis(r, "retry.maxBackoffMs").orElse(retry.maxBackoff());
            if (max.compareTo(initial) < 0) {
                throw bad("retry.maxBackoffMs", "must not be less than initialBackoffMs");
            }
            retry = retry.withBackoff(initial, max, retry.multiplier());
        }
        Optional<Duration> maxRetryAfter = millis(r, "retry.maxRetryAfterMs");
        if (maxRetryAfter.isPresent()) {
            retry = retry.withMaxRetryAfter(maxRetryAfter.get());
        }
        Map<String, JsonNode> rec = object(root, "recovery");
        allow(rec, "recovery", "mode", "maxContinuations");
        RecoveryPolicy recovery = d.recovery();
        if (rec.containsKey("mode")) {
            String mode = text(rec.get("mode"), "recovery.mode");
            int max = rec.containsKey("maxContinuations")
                    ? (int) integer(rec.get("maxContinuations"), "recovery.maxContinuations", 1, 10)
                    : 2;
            recovery = switch (mode) {
                case "fail" -> RecoveryPolicy.fail();
                case "continue" -> RecoveryPolicy.continueUpTo(max);
                default -> throw bad("recovery.mode", "must be \"fail\" or \"continue\"");
            };
        }
        Map<String, JsonNode> sim = object(root, "simulated");
        allow(sim, "simulated", "enabled", "tokensPerSecond", "maxLength", "maxTokensPerSecond");
        double pace = sim.containsKey("tokensPerSecond")
                ? integer(sim.get("tokensPerSecond"), "simulated.tokensPerSecond", 0, 100_000)
                : defaultTokensPerSecond;
        JsonNode enabled = sim.get("enabled");
        if (enabled != null && !enabled.isBoolean()) {
            throw bad("simulated.enabled", "must be true or false");
        }
        SimulatedProvider.Caps caps = new SimulatedProvider.Caps(
                sim.containsKey("maxLength")
                        ? (int) integer(sim.get("maxLength"), "simulated.maxLength", 1, 1_000_000)
                        : SimulatedProvider.Caps.DEFAULT.maxLength(),
                sim.containsKey("maxTokensPerSecond")
                        ? integer(sim.get("maxTokensPerSecond"), "simulated.maxTokensPerSecond", 1, 1_000_000)
                        : SimulatedProvider.Caps.DEFAULT.maxTokensPerSecond());
        Simulated simulated = new Simulated(enabled == null || enabled.booleanValue(), caps);
        Map<String, JsonNode> replay = object(root, "replay");
        allow(replay, "replay", "root");
        Optional<Path> replayRoot = replay.containsKey("root")
                ? Optional.of(Path.of(text(replay.get("root"), "replay.root")))
                : Optional.empty();
        return new RegistryConfig(
                providers,
                aliases,
                chains,
                timeouts,
                millis(t, "timeouts.connectMs"),
                retry,
                recovery,
                pace,
                simulated,
                replayRoot,
                prices(root.path("prices")));
    }

    /**
     * The {@code prices} section: {@code "provider/model": {"input": 0.15, "output": 0.6, ...}}, per
     * million tokens; {@code input} and {@code output} are required, the others default to them.
     */
    private static PriceTable prices(JsonNode node) {
        if (node.isMissingNode()) {
            return PriceTable.EMPTY;
        }
        if (!node.isObject()) {
            throw bad("prices", "must be an object of \"provider/model\" -> prices per million tokens");
        }
        Map<String, ModelPrice> prices = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String path = "prices." + e.getKey();
            try {
                ModelRef.parse(e.getKey());
            } catch (IllegalArgumentException ex) {
                throw bad(path, "the key must be provider/model, e.g. openai/gpt-4o-mini");
            }
            if (!e.getValue().isObject()) {
                throw bad(
                        path,
                        "must be an object of prices per million tokens (" + sorted(PRICE_FIELDS, Set.of()) + ")");
            }
            Map<String, JsonNode> p = new LinkedHashMap<>();
            e.getValue().properties().forEach(f -> p.put(f.getKey(), f.getValue()));
            allow(p, path, PRICE_FIELDS.toArray(String[]::new));
            for (String required : List.of("input", "output")) {
                if (!p.containsKey(required)) {
                    throw bad(path + "." + required, "is required (a price per million tokens)");
                }
            }
            prices.put(
                    e.getKey(),
                    new ModelPrice(
                            price(p.get("input"), path + ".input"),
                            optionalPrice(p, path, "cachedInput"),
                            optionalPrice(p, path, "cacheWrite"),
                            price(p.get("output"), path + ".output"),
                            optionalPrice(p, path, "reasoning")));
        }
        return new PriceTable(prices);
    }

    private static Optional<BigDecimal> optionalPrice(Map<String, JsonNode> p, String path, String key) {
        return p.containsKey(key) ? Optional.of(price(p.get(key), path + "." + key)) : Optional.empty();
    }

    /** A price: a JSON number (not a string), zero or more, at most a million per million tokens. */
    private static BigDecimal price(JsonNode node, String path) {
        if (!node.isNumber()) {
            throw bad(
                    path,
                    "must be a number (a price per million tokens), not "
                            + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        BigDecimal value = node.decimalValue();
        if (value.signum() < 0 || value.compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
            throw bad(path, "must be from 0 to 1000000 (a price per million tokens)");
        }
        return value;
    }

    private static List<ProviderEntry> providers(JsonNode node) {
        if (node.isMissingNode()) {
            return List.of();
        }
        if (!node.isObject()) {
            throw bad("providers", "must be an object of provider name -> settings");
        }
        List<ProviderEntry> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String path = "providers." + e.getKey();
            if (!e.getValue().isObject()) {
                throw bad(path, "must be an object");
            }
            Map<String, JsonNode> p = new LinkedHashMap<>();
            e.getValue().properties().forEach(f -> p.put(f.getKey(), f.getValue()));
            allow(p, path, "protocol", "preset", "baseUrl", "apiKey", "apiKeyEnv", "settings", "models");
            if (!p.containsKey("protocol")) {
                throw bad(path + ".protocol", "is required (one of " + ProtocolCatalog.ids() + ")");
            }
            String protocol = text(p.get("protocol"), path + ".protocol");
            if (!ProtocolCatalog.ids().contains(protocol)) {
                throw bad(
                        path + ".protocol",
                        "unknown protocol '" + protocol + "' (one of " + ProtocolCatalog.ids() + ")");
            }
            Map<String, String> settings = new LinkedHashMap<>();
            JsonNode s = p.getOrDefault("settings", null);
            if (s != null) {
                if (!s.isObject()) {
                    throw bad(path + ".settings", "must be an object of strings");
                }
                for (Map.Entry<String, JsonNode> kv : s.properties()) {
                    settings.put(kv.getKey(), text(kv.getValue(), path + ".settings." + kv.getKey()));
                }
            }
            if (p.containsKey("preset")) {
                settings.put("preset", text(p.get("preset"), path + ".preset"));
            }
            Optional<URI> baseUrl =
                    p.containsKey("baseUrl") ? Optional.of(url(p.get("baseUrl"), path + ".baseUrl")) : Optional.empty();
            List<String> models = new ArrayList<>();
            JsonNode m = p.get("models");
            if (m != null) {
                if (!m.isArray()) {
                    throw bad(path + ".models", "must be an array of strings");
                }
                for (int i = 0; i < m.size(); i++) {
                    models.add(text(m.get(i), path + ".models[" + i + "]"));
                }
            }
            out.add(new ProviderEntry(
                    e.getKey(),
                    protocol,
                    baseUrl,
                    p.containsKey("apiKey") ? Optional.of(text(p.get("apiKey"), path + ".apiKey")) : Optional.empty(),
                    p.containsKey("apiKeyEnv")
                            ? Optional.of(text(p.get("apiKeyEnv"), path + ".apiKeyEnv"))
                            : Optional.empty(),
                    settings,
                    models));
        }
        return out;
    }

    private static Map<String, JsonNode> object(JsonNode root, String key) {
        JsonNode node = root.path(key);
        if (node.isMissingNode()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw bad(key, "must be an object");
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static void allow(Map<String, JsonNode> section, String path, String... keys) {
        Set<String> allowed = Set.of(keys);
        for (String key : section.keySet()) {
            if (!allowed.contains(key)) {
                throw bad(path + "." + key, "unknown key (known: " + sorted(allowed, Set.of()) + ")");
            }
        }
    }

    private static ModelRef ref(JsonNode node, String path) {
        try {
            return ModelRef.parse(text(node, path));
        } catch (IllegalArgumentException e) {
            throw bad(path, e.getMessage());
        }
    }

    private static URI url(JsonNode node, String path) {
        String text = text(node, path);
        try {
            URI uri = URI.create(text);
            if (uri.getScheme() == null
                    || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw bad(path, "must be an absolute http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw bad(path, "must be an absolute http(s) URL");
        }
    }

    private static Optional<Duration> millis(Map<String, JsonNode> section, String path) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        JsonNode node = section.get(key);
        return node == null ? Optional.empty() : Optional.of(Duration.ofMillis(integer(node, path, 1, 86_400_000L)));
    }

    private static long integer(JsonNode node, String path, long min, long max) {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < min || node.asLong() > max) {
            throw bad(path, "must be an integer from " + min + " to " + max);
        }
        return node.asLong();
    }

    private static String text(JsonNode node, String path) {
        if (node == null || !node.isString()) {
            throw bad(path, "must be a string");
        }
        return node.asString();
    }

    private static List<String> sorted(Set<String> a, Set<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        all.sort(null);
        return all;
    }

    private static InvalidConfigException bad(String path, String problem) {
        return new InvalidConfigException(path.isEmpty() ? problem : "config '" + path + "': " + problem);
    }
}
