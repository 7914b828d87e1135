package io.aistream.request;

import io.aistream.json.Jackson;
import java.util.Objects;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The native JSON form of a {@link ChatRequest}, as the gateway's {@code POST /v1/stream} takes it:
 *
 * <pre>
 * {"model": "gpt-4o-mini",
 *  "system": "You are terse.",
 *  "messages": [
 *    {"role": "user", "content": "What is in this picture?"},
 *    {"role": "user", "content": [{"type": "text", "text": "and this?"},
 *                                 {"type": "image", "url": "https://…/cat.png"},
 *                                 {"type": "image", "mediaType": "image/png", "data": "iVBORw0…"}]},
 *    {"role": "assistant", "content": "", "toolCalls": [{"id": "call_1", "name": "get_weather", "arguments": {"city": "Paris"}}]},
 *    {"role": "tool", "toolCallId": "call_1", "name": "get_weather", "content": "{\"temp\":21}", "isError": false}],
 *  "tools": [{"name": "get_weather", "description": "Current weather", "parameters": {"type": "object"}}],
 *  "toolChoice": "auto" | "none" | "required" | {"tool": "get_weather"},
 *  "temperature": 0.2, "topP": 0.9, "maxOutputTokens": 256, "stop": ["END"],
 *  "reasoning": {"effort": "low"} | {"budgetTokens": 1024},
 *  "providerOptions": {"seed": 7}}
 * </pre>
 *
 * <p><b>Reading</b> is strict, so that a typo never passes silently: unknown fields are rejected by
 * name at every level of this shape (the free-form {@code arguments}, {@code parameters} and
 * {@code providerOptions} excepted), and so are duplicate fields. A JSON {@code null} counts as
 * absent. A user message's {@code content} is a string (one text part) or an array of parts; an
 * assistant's {@code content} may be omitted (no text); {@code stop} may be a single string;
 * a tool's {@code parameters} default to an empty object schema. Every problem is an
 * {@link InvalidRequestException} whose {@link InvalidRequestException#field() field} is the path of
 * the offending value, e.g. {@code messages[2].content[0].url: must be a string}.
 *
 * <p>A caller that embeds the request in a larger body (the gateway adds {@code provider},
 * {@code backpressure}, {@code resumable}, …) names those extra top-level fields in
 * {@link #parse(JsonNode, Set)}; they are then skipped here and left to the caller.
 *
 * <p><b>Writing</b> gives the same shape, fields in the order above, absent values omitted; a user
 * message of exactly one text part is written with string content. {@code parse(write(r))} equals
 * {@code r}.
 *
 * <p>All methods are static and thread-safe.
 */
public final class ChatRequestJson {
    // duplicate fields and trailing content are errors
    static final JsonMapper MAPPER = Jackson.strictMapper();

    private ChatRequestJson() {}

    /**
     * Reads a request from its JSON text; no extra top-level fields are allowed.
     *
     * @throws InvalidRequestException naming the field when the body is not a valid request
     */
    public static ChatRequest parse(String json) {
        return parse(readTree(json), Set.of());
    }

    /**
     * Reads a request from its UTF-8 JSON; no extra top-level fields are allowed.
     *
     * @throws InvalidRequestException naming the field when the body is not a valid request
     */
    public static ChatRequest parse(byte[] json) {
        return parse(readTree(json), Set.of());
    }

    /**
     * Reads a request from a JSON tree; no extra top-level fields are allowed.
     *
     * @throws InvalidRequestException naming the field when the body is not a valid request
     */
    public static ChatRequest parse(JsonNode body) {
        return parse(body, Set.of());
    }

    /**
     * Reads a request from a JSON tree that may also hold the caller's own top-level fields.
     *
     * @param body        the request body, a JSON object
     * @param extraFields top-level field names the caller handles itself; they are skipped here,
     *                    any other unknown field is rejected
     * @throws InvalidRequestException naming the field when the body is not a valid request
     */
    public static ChatRequest parse(JsonNode body, Set<String> extraFields) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(extraFields, "extraFields");
        return new ChatRequestReader(extraFields).read(body);
    }

    /**
     * Parses UTF-8 JSON text into a tree, strictly: duplicate fields and trailing content are
     * errors. For callers that need the tree first (to read their own fields) and then
     * {@link #parse(JsonNode, Set)} it.
     *
     * @throws InvalidRequestException (no field) when the bytes are not one JSON value
     */
    public static JsonNode readTree(byte[] json) {
        Objects.requireNonNull(json, "json");
        try {
            return nonEmpty(MAPPER.readTree(json));
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    /** Like {@link #readTree(byte[])}, for JSON text. */
    public static JsonNode readTree(String json) {
        Objects.requireNonNull(json, "json");
        try {
            return nonEmpty(MAPPER.readTree(json));
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    /** The request as a JSON tree in the native shape. */
    public static ObjectNode toJsonNode(ChatRequest request) {
        return ChatRequestWriter.write(Objects.requireNonNull(request, "request"));
    }

    /** The request as compact JSON text in the native shape. */
    public static String toJson(ChatRequest request) {
        return MAPPER.writeValueAsString(toJsonNode(request));
    }

    private static JsonNode nonEmpty(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            throw new InvalidRequestException("", "the body is empty; expected a JSON object");
        }
        return node;
    }

    private static InvalidRequestException malformed(JacksonException e) {
        String message = e.getOriginalMessage();
        var location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            message += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
        return new InvalidRequestException("", "malformed JSON: " + message, e);
    }
}
