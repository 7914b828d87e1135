package io.aistream.server.openai;

import io.aistream.chunk.Usage;
import io.aistream.server.http.Responses;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Responses API's {@code response} object: the body of a non-streamed answer and the payload of the
 * {@code response.created}, {@code response.in_progress} and terminal events of a streamed one.
 *
 * <p>Every field OpenAI's SDKs read is present (absent values are JSON {@code null}), in OpenAI's order;
 * the request's settings are repeated as the request gave them ({@link ResponsesRequest#echo()}), with
 * OpenAI's defaults for those it did not give ({@code store} true, {@code background} false). Immutable
 * and thread-safe; {@link #build} returns a new tree each time.
 *
 * @param id        {@code resp_…}
 * @param createdAt Unix seconds
 * @param model     the {@code model} text as the request gave it
 * @param echo      the request's settings
 */
record ResponseObject(String id, long createdAt, String model, ObjectNode echo) {

    /** A response's state: {@code in_progress}, {@code completed}, {@code incomplete} or {@code failed}. */
    static final String IN_PROGRESS = "in_progress";

    static final String COMPLETED = "completed";
    static final String INCOMPLETE = "incomplete";
    static final String FAILED = "failed";
    /** A background response that has not started streaming yet. */
    static final String QUEUED = "queued";
    /** A background response that {@code POST /v1/responses/{id}/cancel} stopped. */
    static final String CANCELLED = "cancelled";

    /**
     * The head of a response that was answered before: its id, creation time, model and settings are read
     * back from the {@code response} object, so that {@link #build} gives the same fields again (a background
     * response's events replayed after its stream ended).
     */
    static ResponseObject of(ObjectNode response) {
        return new ResponseObject(
                response.path("id").asString(),
                response.path("created_at").asLong(),
                response.path("model").asString(),
                response);
    }

    /**
     * The object in state {@code status}.
     *
     * @param output           the output items so far
     * @param usage            token usage, when known
     * @param error            {@code {code, message}} of a failed response
     * @param incompleteReason {@code max_output_tokens} or {@code content_filter} of an incomplete one
     */
    ObjectNode build(
            String status,
            ArrayNode output,
            Optional<Usage> usage,
            Optional<ObjectNode> error,
            Optional<String> incompleteReason) {
        ObjectNode r = Responses.JSON.createObjectNode();
        r.put("id", id);
        r.put("object", "response");
        r.put("created_at", createdAt);
        r.put("status", status);
        r.put("background", echo.path("background").asBoolean(false));
        r.set("error", error.map(e -> (JsonNode) e).orElseGet(r::nullNode));
        if (incompleteReason.isPresent()) {
            r.putObject("incomplete_details").put("reason", incompleteReason.get());
        } else {
            r.putNull("incomplete_details");
        }
        copy(r, "instructions", null);
        copy(r, "max_output_tokens", null);
        copy(r, "max_tool_calls", null);
        r.put("model", model);
        r.set("output", output);
        r.put("parallel_tool_calls", echo.path("parallel_tool_calls").asBoolean(true));
        copy(r, "previous_response_id", null);
        copy(r, "prompt_cache_key", null);
        copy(r, "reasoning", null);
        copy(r, "safety_identifier", null);
        copy(r, "service_tier", r.stringNode("default"));
        copy(r, "store", r.booleanNode(true));
        copy(r, "temperature", null);
        copy(r, "text", null);
        copy(r, "tool_choice", r.stringNode("auto"));
        copy(r, "tools", r.arrayNode());
        copy(r, "top_logprobs", r.numberNode(0));
        copy(r, "top_p", null);
        copy(r, "truncation", r.stringNode("disabled"));
        if (usage.isPresent()) {
            r.set("usage", usage(usage.get()));
        } else {
            r.putNull("usage");
        }
        copy(r, "user", null);
        copy(r, "metadata", r.objectNode());
        return r;
    }

    /**
     * OpenAI's usage object: {@code input_tokens} counts all input, cached included, with
     * {@code input_tokens_details.cached_tokens} (cache reads) and {@code cache_write_tokens} beside it;
     * {@code output_tokens_details.reasoning_tokens} is part of {@code output_tokens}. A count the
     * provider did not report is 0 (OpenAI's SDKs require the fields).
     */
    static ObjectNode usage(Usage u) {
        ObjectNode usage = Responses.JSON.createObjectNode();
        usage.put("input_tokens", u.inputTokens());
        usage.putObject("input_tokens_details")
                .put("cached_tokens", u.cacheReadTokens())
                .put("cache_write_tokens", u.cacheWriteTokens());
        usage.put("output_tokens", u.outputTokens());
        usage.putObject("output_tokens_details").put("reasoning_tokens", u.reasoningTokens());
        usage.put("total_tokens", u.totalTokens());
        return usage;
    }

    /** The request's {@code name}, else {@code ifAbsent} ({@code null} for JSON null). */
    private void copy(ObjectNode r, String name, JsonNode ifAbsent) {
        JsonNode value = echo.get(name);
        if (value == null) {
            value = ifAbsent == null ? r.nullNode() : ifAbsent;
        }
        r.set(name, value.deepCopy());
    }
}
