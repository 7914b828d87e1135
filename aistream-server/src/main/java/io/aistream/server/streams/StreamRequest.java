package io.aistream.server.streams;

import io.aistream.json.JsonFieldException;
import io.aistream.json.JsonFieldReader;
import io.aistream.json.JsonFieldValue;
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
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

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
public record StreamRequest(
        String provider,
        ChatRequest request,
        Backpressure backpressure,
        int bufferCapacity,
        boolean resumable,
        Timeouts timeouts) {

    public static final Set<String> GATEWAY_FIELDS =
            Set.of("provider", "backpressure", "bufferCapacity", "resumable", "timeouts");
    private static final Set<String> TIMEOUT_FIELDS = Set.of("firstChunkMs", "idleMs", "totalMs");
    private static final int MAX_BUFFER_CAPACITY = 65_536;

    /**
     * This request as the body {@link #parse} reads (what another node needs to open it again): the chat
     * request in the native shape plus the gateway's fields.
     */
    public String toJson() {
        ObjectNode body = ChatRequestJson.toJsonNode(request);
        body.put("provider", provider);
        body.put("backpressure", backpressure.name().toLowerCase(Locale.ROOT));
        body.put("bufferCapacity", bufferCapacity);
        body.put("resumable", resumable);
        if (timeouts.firstChunk().isPresent()
                || timeouts.idleBetweenChunks().isPresent()
                || timeouts.total().isPresent()) {
            ObjectNode t = body.putObject("timeouts");
            timeouts.firstChunk().ifPresent(d -> t.put("firstChunkMs", d.toMillis()));
            timeouts.idleBetweenChunks().ifPresent(d -> t.put("idleMs", d.toMillis()));
            timeouts.total().ifPresent(d -> t.put("totalMs", d.toMillis()));
        }
        return body.toString();
    }

    /** Reads and validates {@link #toJson()}'s text (a body this gateway wrote). */
    public static StreamRequest parse(String json) {
        return parse(ChatRequestJson.readTree(json));
    }

    /** Reads and validates the body. */
    public static StreamRequest parse(JsonNode body) {
        ChatRequest request = ChatRequestJson.parse(body, GATEWAY_FIELDS);
        try {
            return gatewayFields(JsonFieldReader.root(body, "the body"), request);
        } catch (JsonFieldException e) {
            throw invalidRequest(e);
        }
    }

    private static StreamRequest gatewayFields(JsonFieldReader body, ChatRequest request) {
        JsonFieldValue provider = body.optional("provider")
                .orElseThrow(() -> body.invalid("provider", "is required, e.g. \"simulated\""));
        if (!provider.isString() || provider.asString().isBlank()) {
            throw provider.invalid("must be a provider name");
        }
        Backpressure backpressure =
                body.optional("backpressure").map(StreamRequest::backpressure).orElse(Backpressure.BLOCK);
        int capacity = body.optional("bufferCapacity")
                .map(v -> orElseInvalid(
                        () -> v.asInt(1, MAX_BUFFER_CAPACITY),
                        v,
                        "must be a whole number from 1 to " + MAX_BUFFER_CAPACITY))
                .orElse(ChatStream.Builder.DEFAULT_BUFFER_CAPACITY);
        boolean resumable = body.optionalBoolean("resumable", false);
        Timeouts timeouts = body.optional("timeouts")
                .map(v -> timeouts(v.asObject("an object with firstChunkMs, idleMs and/or totalMs")))
                .orElseGet(Timeouts::none);
        return new StreamRequest(provider.asString(), request, backpressure, capacity, resumable, timeouts);
    }

    private static Backpressure backpressure(JsonFieldValue value) {
        String name = orElseInvalid(value::asString, value, "must be one of block, buffer, drop, coalesce");
        try {
            return Backpressure.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw value.invalid("must be one of block, buffer, drop, coalesce; found '" + name + "'");
        }
    }

    private static Timeouts timeouts(JsonFieldReader timeouts) {
        timeouts.allowOnly(TIMEOUT_FIELDS);
        return new Timeouts(millis(timeouts, "firstChunkMs"), millis(timeouts, "idleMs"), millis(timeouts, "totalMs"));
    }

    private static Optional<Duration> millis(JsonFieldReader timeouts, String name) {
        return timeouts.optional(name)
                .map(v -> orElseInvalid(
                        () -> v.asLong(1, Long.MAX_VALUE), v, "must be a positive whole number of milliseconds"))
                .map(Duration::ofMillis);
    }

    /** {@code read}'s value; any problem with it is reported as the single {@code problem} this field has always had. */
    private static <T> T orElseInvalid(Supplier<T> read, JsonFieldValue value, String problem) {
        try {
            return read.get();
        } catch (JsonFieldException e) {
            throw value.invalid(problem);
        }
    }

    /**
     * The native protocol's wording of a field error: a type error is "must be <expected>" (without
     * what was found), anything else the reader's own problem.
     */
    private static InvalidRequestException invalidRequest(JsonFieldException e) {
        String problem = e.reason() == JsonFieldException.Reason.WRONG_TYPE
                ? "must be " + e.expected().orElseThrow()
                : e.problem();
        return new InvalidRequestException(e.path(), problem, e);
    }
}
