package io.aistream.server.streams;

import io.aistream.request.ChatRequest;
import io.aistream.request.ChatRequestJson;
import io.aistream.request.InvalidRequestException;
import io.aistream.stream.Backpressure;
import io.aistream.stream.ChatStream;
import io.aistream.stream.Timeouts;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /v1/stream}: a native {@link ChatRequest} plus the gateway's own fields.
 *
 * <pre>
 * {"provider": "simulated", "model": "echo", "messages": [...],
 *  "backpressure": "block" | "buffer" | "drop" | "coalesce", "bufferCapacity": 256,
 *  "resumable": false,
 *  "timeouts": {"firstChunkMs": 30000, "idleMs": 10000, "totalMs": 300000}}
 * </pre>
 */
public record StreamRequest(String provider, ChatRequest request, Backpressure backpressure, int bufferCapacity,
        boolean resumable, Timeouts timeouts) {

    public static final Set<String> GATEWAY_FIELDS = Set.of("provider", "backpressure", "bufferCapacity", "resumable", "timeouts");
    private static final Set<String> TIMEOUT_FIELDS = Set.of("firstChunkMs", "idleMs", "totalMs");
    private static final int MAX_BUFFER_CAPACITY = 65_536;

    /** Reads and validates the body. */
    public static StreamRequest parse(JsonNode body) {
        ChatRequest request = ChatRequestJson.parse(body, GATEWAY_FIELDS);
        JsonNode provider = body.get("provider");
        if (provider == null || provider.isNull()) {
            throw new InvalidRequestException("provider", "is required, e.g. \"simulated\"");
        }
        if (!provider.isString() || provider.stringValue().isBlank()) {
            throw new InvalidRequestException("provider", "must be a provider name");
        }
        Backpressure backpressure = Backpressure.BLOCK;
        JsonNode bp = body.get("backpressure");
        if (bp != null && !bp.isNull()) {
            if (!bp.isString()) {
                throw new InvalidRequestException("backpressure", "must be one of block, buffer, drop, coalesce");
            }
            try {
                backpressure = Backpressure.valueOf(bp.stringValue().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("backpressure",
                        "must be one of block, buffer, drop, coalesce; found '" + bp.stringValue() + "'");
            }
        }
        int capacity = ChatStream.Builder.DEFAULT_BUFFER_CAPACITY;
        JsonNode cap = body.get("bufferCapacity");
        if (cap != null && !cap.isNull()) {
            if (!cap.isIntegralNumber() || !cap.canConvertToInt() || cap.intValue() < 1 || cap.intValue() > MAX_BUFFER_CAPACITY) {
                throw new InvalidRequestException("bufferCapacity", "must be a whole number from 1 to " + MAX_BUFFER_CAPACITY);
            }
            capacity = cap.intValue();
        }
        boolean resumable = false;
        JsonNode res = body.get("resumable");
        if (res != null && !res.isNull()) {
            if (!res.isBoolean()) {
                throw new InvalidRequestException("resumable", "must be true or false");
            }
            resumable = res.booleanValue();
        }
        return new StreamRequest(provider.stringValue(), request, backpressure, capacity, resumable, timeouts(body.get("timeouts")));
    }

    private static Timeouts timeouts(JsonNode node) {
        if (node == null || node.isNull()) {
            return Timeouts.none();
        }
        if (!node.isObject()) {
            throw new InvalidRequestException("timeouts", "must be an object with firstChunkMs, idleMs and/or totalMs");
        }
        for (String name : node.propertyNames()) {
            if (!TIMEOUT_FIELDS.contains(name)) {
                throw new InvalidRequestException("timeouts." + name, "unknown field; expected one of firstChunkMs, idleMs, totalMs");
            }
        }
        Optional<Duration> first = millis(node, "firstChunkMs");
        Optional<Duration> idle = millis(node, "idleMs");
        Optional<Duration> total = millis(node, "totalMs");
        return new Timeouts(first, idle, total);
    }

    private static Optional<Duration> millis(JsonNode object, String name) {
        JsonNode v = object.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() <= 0) {
            throw new InvalidRequestException("timeouts." + name, "must be a positive whole number of milliseconds");
        }
        return Optional.of(Duration.ofMillis(v.longValue()));
    }
}
