package io.aistream.spring.boot.autoconfigure;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns flat {@code aistream.*} property names and their string values into the JSON tree of an
 * aistream config file, so that the very same validators read it. Spring's relaxed forms are accepted
 * for the schema's own keys ({@code base-url}, {@code baseUrl}, {@code base_url} are all {@code baseUrl});
 * names the user chooses (a provider's, an alias's, a chain's, a provider setting's) are kept as written.
 * Values become numbers or booleans only where the schema wants one and the text is one; a value
 * that is not stays a string, so the validator names the key. Not thread-safe; one per startup.
 */
final class PropertyTree {
    /**
     * The keys of the JSON schema (server and provider sections, camelCase) that are neither numbers
     * nor booleans: sections and strings. {@link #SCHEMA_KEYS} adds {@link #NUMBERS} and {@link #BOOLEANS}.
     */
    private static final Set<String> OTHER_KEYS = Set.of(
            "host",
            "apiKeys",
            "corsOrigins",
            "allowedHosts",
            "limits",
            "resume",
            "memory",
            "simulated",
            "webSocket",
            "responses",
            "redis",
            "nodeId",
            "providers",
            "aliases",
            "chains",
            "timeouts",
            "retry",
            "recovery",
            "replay",
            "url",
            "keyPrefix",
            "mode",
            "root",
            "protocol",
            "preset",
            "baseUrl",
            "apiKey",
            "apiKeyEnv",
            "settings",
            "models",
            "prices",
            "input",
            "cachedInput",
            "cacheWrite",
            "output",
            "reasoning");

    /** Keys whose value the schema wants as a whole number (outside the user-named sections). */
    private static final Set<String> NUMBERS = Set.of(
            "port",
            "keepAliveSeconds",
            "shutdownGraceSeconds",
            "maxBodyBytes",
            "maxStreamsPerKey",
            "maxStreams",
            "maxConnections",
            "maxConnectionsPerAddress",
            "requestHeaderTimeoutSeconds",
            "minRequestBodyRate",
            "requestBodyGraceSeconds",
            "maxChunks",
            "maxBytes",
            "ttlSeconds",
            "budgetMiB",
            "perKeyMiB",
            "storeMiB",
            "leaseMillis",
            "renewMillis",
            "tokensPerSecond",
            "maxLength",
            "maxTokensPerSecond",
            "maxMessageBytes",
            "maxStreamsPerSocket",
            "pingSeconds",
            "maxMissedPongs",
            "sendQueueBytes",
            "sendQueueMessages",
            "connectMs",
            "firstChunkMs",
            "idleMs",
            "totalMs",
            "maxAttempts",
            "initialBackoffMs",
            "maxBackoffMs",
            "maxRetryAfterMs",
            "maxContinuations");

    private static final Set<String> BOOLEANS = Set.of("enabled");

    /** Every key of the JSON schema, in its camelCase form. */
    private static final Set<String> SCHEMA_KEYS = union(OTHER_KEYS, NUMBERS, BOOLEANS);

    /** Keys whose value is a list of strings: a single property value is split at commas. */
    private static final Set<String> LISTS = Set.of("apiKeys", "corsOrigins", "allowedHosts", "models");

    private static final Map<String, String> BY_CANONICAL = canonicalIndex();

    private static final Pattern WHOLE = Pattern.compile("-?\\d{1,18}");

    /** A price per million tokens ({@code prices.<provider/model>.<field>}): a plain decimal. */
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,9}(\\.\\d{1,18})?");

    private final String prefix;
    private final Map<String, Object> root = new LinkedHashMap<>();

    /** @param prefix the property prefix with its dot, e.g. {@code aistream.} */
    PropertyTree(String prefix) {
        this.prefix = prefix;
    }

    /**
     * Adds one property (its full name with the prefix) unless a property of higher precedence already
     * set the same key; callers add in precedence order.
     *
     * @throws IllegalArgumentException naming the property when its name does not parse or clashes
     *                                  with another (a value where a section is, say)
     */
    void add(String property, String value) {
        List<Object> path = path(property.substring(prefix.length()), property);
        Map<String, Object> node = root;
        for (int i = 0; i < path.size() - 1; i++) {
            node = child(node, path.get(i), path.get(i + 1) instanceof Integer, property);
        }
        Object last = path.getLast();
        String key = String.valueOf(last);
        if (!node.containsKey(key)) {
            node.put(key, value);
        } else if (!(node.get(key) instanceof String)) {
            throw new IllegalArgumentException(
                    "property '" + property + "' sets a value where other properties set a section");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> node, Object segment, boolean list, String property) {
        String key = String.valueOf(segment);
        Object existing = node.get(key);
        if (existing == null) {
            Map<String, Object> created = list ? new TreeMap<>(PropertyTree::compareIndex) : new LinkedHashMap<>();
            node.put(key, created);
            return created;
        }
        if (existing instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException(
                "property '" + property + "' sets a section where another property sets a value");
    }

    private static int compareIndex(String a, String b) {
        return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
    }

    /**
     * Splits {@code name} into keys (schema keys normalized, user-chosen names kept) and list indexes.
     * {@code a.b[0]} is {@code a, b, 0}; {@code a[x.y].c} is {@code a, "x.y", c}.
     */
    private static List<Object> path(String name, String property) {
        List<Object> raw = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (!current.isEmpty()) {
                    raw.add(current.toString());
                    current.setLength(0);
                }
            } else if (c == '[') {
                if (!current.isEmpty()) {
                    raw.add(current.toString());
                    current.setLength(0);
                }
                int end = name.indexOf(']', i);
                if (end < 0) {
                    throw new IllegalArgumentException("property '" + property + "': unclosed [");
                }
                String inside = name.substring(i + 1, end);
                raw.add(inside.matches("\\d{1,6}") ? (Object) Integer.valueOf(inside) : new Verbatim(inside));
                i = end;
            } else {
                current.append(c);
            }
        }
        if (!current.isEmpty()) {
            raw.add(current.toString());
        }
        if (raw.isEmpty()) {
            throw new IllegalArgumentException("property '" + property + "' names no key");
        }
        List<Object> out = new ArrayList<>();
        String section = null;
        for (int i = 0; i < raw.size(); i++) {
            Object segment = raw.get(i);
            if (segment instanceof Integer index) {
                out.add(String.valueOf(index));
                continue;
            }
            String text = segment instanceof Verbatim v ? v.text() : (String) segment;
            boolean userNamed = segment instanceof Verbatim
                    || (i == 1
                            && ("providers".equals(section)
                                    || "aliases".equals(section)
                                    || "chains".equals(section)
                                    || "prices".equals(section)))
                    || (i == 3 && "providers".equals(section) && "settings".equals(out.get(2)));
            String key = userNamed ? text : normalize(text);
            if (i == 0) {
                section = key;
            }
            out.add(key);
        }
        // list indexes are kept as strings in the tree; the map that holds them knows it is a list
        List<Object> typed = new ArrayList<>(out.size());
        for (int i = 0; i < out.size(); i++) {
            typed.add(raw.get(i) instanceof Integer ? (Object) Integer.valueOf((String) out.get(i)) : out.get(i));
        }
        return typed;
    }

    private record Verbatim(String text) {}

    /** The schema key for a relaxed spelling ({@code tokens-per-second} → {@code tokensPerSecond}), or as given. */
    static String normalize(String segment) {
        String key = BY_CANONICAL.get(canonical(segment));
        return key != null ? key : segment;
    }

    private static String canonical(String s) {
        return s.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static Map<String, String> canonicalIndex() {
        Map<String, String> index = new LinkedHashMap<>();
        for (String k : SCHEMA_KEYS) {
            index.put(canonical(k), k);
        }
        return Map.copyOf(index);
    }

    /** Whether no property was added. */
    boolean isEmpty() {
        return root.isEmpty();
    }

    /** The JSON tree: typed values where the schema wants them, lists for indexed keys and list keys. */
    ObjectNode toJson() {
        return object(root, null, 0);
    }

    private static ObjectNode object(Map<String, Object> map, String section, int depth) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String s = depth == 0 ? e.getKey() : section;
            node.set(e.getKey(), value(e.getKey(), e.getValue(), s, depth + 1, false));
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static JsonNode value(String key, Object value, String section, int depth, boolean item) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value instanceof TreeMap<?, ?> indexed) {
            ArrayNode array = f.arrayNode();
            for (Object element : indexed.values()) {
                array.add(value(key, element, section, depth + 1, true));
            }
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            return object((Map<String, Object>) map, section, depth);
        }
        String text = (String) value;
        boolean chain = "chains".equals(section) && depth == 2;
        boolean userNamed = "aliases".equals(section) || "chains".equals(section);
        if (!item && ((LISTS.contains(key) && !userNamed) || chain)) {
            ArrayNode array = f.arrayNode();
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    array.add(part.strip());
                }
            }
            return array;
        }
        if ("prices".equals(section)
                && depth == 3
                && DECIMAL.matcher(text.strip()).matches()) {
            return f.numberNode(new BigDecimal(text.strip())); // exact: the cost is decimal arithmetic
        }
        boolean typed = !("providers".equals(section) || "aliases".equals(section) || "chains".equals(section));
        if (typed && NUMBERS.contains(key) && WHOLE.matcher(text.strip()).matches()) {
            return f.numberNode(Long.parseLong(text.strip()));
        }
        if (typed && BOOLEANS.contains(key)) {
            String t = text.strip().toLowerCase(Locale.ROOT);
            if (t.equals("true") || t.equals("false")) {
                return f.booleanNode(Boolean.parseBoolean(t));
            }
        }
        return f.stringNode(text);
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new java.util.HashSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return Set.copyOf(all);
    }
}
