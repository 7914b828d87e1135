package io.aistream.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The UI message chunk schema of {@code ai@5.0.0} ({@code uiMessageChunkSchema} in
 * {@code packages/ai/src/ui-message-stream/ui-message-chunks.ts}), transcribed by hand: a union of
 * <em>strict</em> objects, so an unknown field on a known chunk type fails the client's parse.
 * Only the chunk types the gateway may emit are listed; any other type fails here too.
 * (6.0.0 drops {@code reasoning} and {@code reasoning-part-finish}, adds {@code finish.finishReason},
 * {@code tool-input-error}, {@code title}s and more; none of which the gateway emits by default.)
 */
final class AiSdk5ChunkSchema {
    /** A field's JSON kind as zod checks it. */
    enum Kind {
        STRING,
        BOOLEAN,
        PROVIDER_METADATA,
        UNKNOWN
    }

    private record Field(Kind kind, boolean required) {}

    private static Field req(Kind k) {
        return new Field(k, true);
    }

    private static Field opt(Kind k) {
        return new Field(k, false);
    }

    private static final Map<String, Map<String, Field>> TYPES = Map.ofEntries(
            Map.entry("text-start", Map.of("id", req(Kind.STRING), "providerMetadata", opt(Kind.PROVIDER_METADATA))),
            Map.entry(
                    "text-delta",
                    Map.of(
                            "id",
                            req(Kind.STRING),
                            "delta",
                            req(Kind.STRING),
                            "providerMetadata",
                            opt(Kind.PROVIDER_METADATA))),
            Map.entry("text-end", Map.of("id", req(Kind.STRING), "providerMetadata", opt(Kind.PROVIDER_METADATA))),
            Map.entry("error", Map.of("errorText", req(Kind.STRING))),
            Map.entry(
                    "tool-input-start",
                    Map.of(
                            "toolCallId",
                            req(Kind.STRING),
                            "toolName",
                            req(Kind.STRING),
                            "providerExecuted",
                            opt(Kind.BOOLEAN),
                            "dynamic",
                            opt(Kind.BOOLEAN))),
            Map.entry("tool-input-delta", Map.of("toolCallId", req(Kind.STRING), "inputTextDelta", req(Kind.STRING))),
            Map.entry(
                    "tool-input-available",
                    Map.of(
                            "toolCallId",
                            req(Kind.STRING),
                            "toolName",
                            req(Kind.STRING),
                            "input",
                            opt(Kind.UNKNOWN),
                            "providerExecuted",
                            opt(Kind.BOOLEAN),
                            "providerMetadata",
                            opt(Kind.PROVIDER_METADATA),
                            "dynamic",
                            opt(Kind.BOOLEAN))),
            Map.entry(
                    "tool-output-available",
                    Map.of(
                            "toolCallId",
                            req(Kind.STRING),
                            "output",
                            opt(Kind.UNKNOWN),
                            "providerExecuted",
                            opt(Kind.BOOLEAN),
                            "dynamic",
                            opt(Kind.BOOLEAN))),
            Map.entry(
                    "tool-output-error",
                    Map.of(
                            "toolCallId",
                            req(Kind.STRING),
                            "errorText",
                            req(Kind.STRING),
                            "providerExecuted",
                            opt(Kind.BOOLEAN),
                            "dynamic",
                            opt(Kind.BOOLEAN))),
            Map.entry(
                    "reasoning-start", Map.of("id", req(Kind.STRING), "providerMetadata", opt(Kind.PROVIDER_METADATA))),
            Map.entry(
                    "reasoning-delta",
                    Map.of(
                            "id",
                            req(Kind.STRING),
                            "delta",
                            req(Kind.STRING),
                            "providerMetadata",
                            opt(Kind.PROVIDER_METADATA))),
            Map.entry("reasoning-end", Map.of("id", req(Kind.STRING), "providerMetadata", opt(Kind.PROVIDER_METADATA))),
            Map.entry("start-step", Map.of()),
            Map.entry("finish-step", Map.of()),
            Map.entry("start", Map.of("messageId", opt(Kind.STRING), "messageMetadata", opt(Kind.UNKNOWN))),
            Map.entry("finish", Map.of("messageMetadata", opt(Kind.UNKNOWN))),
            Map.entry("abort", Map.of()),
            Map.entry("message-metadata", Map.of("messageMetadata", req(Kind.UNKNOWN))));

    /** Chunk types 6.0.0 no longer has (never to be emitted). */
    static final Set<String> REMOVED_IN_6 = Set.of("reasoning", "reasoning-part-finish");

    private AiSdk5ChunkSchema() {}

    /** The violations of {@code chunk} against the 5.0.0 schema; empty when it is accepted. */
    static List<String> violations(JsonNode chunk) {
        List<String> problems = new ArrayList<>();
        if (!chunk.isObject()) {
            return List.of("not an object: " + chunk);
        }
        JsonNode type = chunk.get("type");
        if (type == null || !type.isString()) {
            return List.of("no string type: " + chunk);
        }
        Map<String, Field> fields = TYPES.get(type.stringValue());
        if (fields == null) {
            return List.of("unknown chunk type '" + type.stringValue() + "'");
        }
        for (String name : chunk.propertyNames()) {
            if (!name.equals("type") && !fields.containsKey(name)) {
                problems.add(type.stringValue() + ": unrecognized key '" + name + "' (strictObject)");
            }
        }
        for (Map.Entry<String, Field> f : fields.entrySet()) {
            JsonNode v = chunk.get(f.getKey());
            // zod's .optional() accepts undefined only: an explicit null fails
            if (v == null) {
                if (f.getValue().required() && f.getValue().kind() != Kind.UNKNOWN) {
                    problems.add(type.stringValue() + ": missing " + f.getKey());
                }
                continue;
            }
            boolean ok = switch (f.getValue().kind()) {
                case STRING -> v.isString();
                case BOOLEAN -> v.isBoolean();
                case PROVIDER_METADATA -> providerMetadata(v);
                case UNKNOWN -> true;
            };
            if (!ok) {
                problems.add(type.stringValue() + ": " + f.getKey() + " has the wrong type: " + v);
            }
        }
        return problems;
    }

    /** {@code Record<string, Record<string, JSONValue>>}. */
    private static boolean providerMetadata(JsonNode v) {
        if (!v.isObject()) {
            return false;
        }
        for (JsonNode inner : v) {
            if (!inner.isObject()) {
                return false;
            }
        }
        return true;
    }
}
