package io.aistream.server.openai;

import io.aistream.server.http.Responses;
import io.aistream.request.AssistantToolCall;
import io.aistream.request.ChatRequest;
import io.aistream.request.ContentPart;
import io.aistream.request.Message;
import io.aistream.request.Reasoning;
import io.aistream.request.ToolChoice;
import io.aistream.request.ToolDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Chat Completions request body, read strictly into a {@link ChatRequest}.
 *
 * <p><b>Mapping.</b> {@code system} and {@code developer} messages (string content or text parts)
 * become the system prompt, joined by a blank line when there are several, wherever they stand;
 * {@code user} content is a string or {@code text} / {@code image_url} parts ({@code detail} is
 * ignored); an {@code assistant} message's {@code tool_calls} carry their arguments as a JSON
 * string, which must parse; a {@code tool} message answers a {@code tool_call_id} of an earlier
 * assistant message (the tool's name is taken from that call). {@code tools} are
 * {@code {type:"function", function:{name, description, parameters, strict}}}; {@code tool_choice} is
 * {@code auto | none | required | {type:"function", function:{name}}}; {@code max_completion_tokens}
 * wins over the older {@code max_tokens}; {@code stop} is a string or an array of strings;
 * {@code reasoning_effort} is {@code minimal | low | medium | high}. {@code n} must be 1.
 *
 * <p><b>Other OpenAI parameters</b> ({@link #PASS_THROUGH}: {@code seed}, {@code response_format},
 * {@code user}, …) have no provider-neutral equivalent: their type is checked, then they are passed
 * to the provider verbatim as provider options, and a provider that cannot honour one rejects the
 * request naming it. The extension {@code provider_options} (an object) adds provider options of
 * any name. Any other parameter is rejected with {@code unknown_parameter}, so a typo never passes
 * silently. A JSON {@code null} counts as absent.
 *
 * @param model        the {@code model} text as given ({@code provider/model}, an alias or a chain)
 * @param request      the request, without a model (the endpoint resolves {@code model})
 * @param stream       whether the answer is streamed
 * @param includeUsage {@code stream_options.include_usage}
 */
record OpenAiRequest(String model, ChatRequest request, boolean stream, boolean includeUsage) {

    /** Known OpenAI parameters handed to the provider as provider options, with their JSON kind. */
    static final Map<String, Kind> PASS_THROUGH = Map.ofEntries(
            Map.entry("seed", Kind.INTEGER),
            Map.entry("frequency_penalty", Kind.NUMBER),
            Map.entry("presence_penalty", Kind.NUMBER),
            Map.entry("logit_bias", Kind.OBJECT),
            Map.entry("logprobs", Kind.BOOLEAN),
            Map.entry("top_logprobs", Kind.INTEGER),
            Map.entry("response_format", Kind.OBJECT),
            Map.entry("parallel_tool_calls", Kind.BOOLEAN),
            Map.entry("user", Kind.STRING),
            Map.entry("metadata", Kind.OBJECT),
            Map.entry("store", Kind.BOOLEAN),
            Map.entry("service_tier", Kind.STRING),
            Map.entry("verbosity", Kind.STRING),
            Map.entry("prediction", Kind.OBJECT),
            Map.entry("modalities", Kind.ARRAY),
            Map.entry("audio", Kind.OBJECT),
            Map.entry("web_search_options", Kind.OBJECT),
            Map.entry("safety_identifier", Kind.STRING),
            Map.entry("prompt_cache_key", Kind.STRING));

    private static final Set<String> HANDLED = Set.of("model", "messages", "tools", "tool_choice", "temperature",
            "top_p", "max_tokens", "max_completion_tokens", "stop", "reasoning_effort", "stream", "stream_options", "n",
            "provider_options");
    private static final Set<String> DEPRECATED = Set.of("functions", "function_call");
    private static final Set<String> TEXT_MESSAGE = Set.of("role", "content", "name");
    private static final Set<String> ASSISTANT = Set.of("role", "content", "name", "tool_calls", "refusal",
            "reasoning_content", "audio");
    private static final Set<String> TOOL = Set.of("role", "content", "tool_call_id");
    private static final Set<String> TOOL_CALL = Set.of("id", "type", "function");
    private static final Set<String> FUNCTION_CALL = Set.of("name", "arguments");
    private static final Set<String> TOOL_DEF = Set.of("type", "function");
    private static final Set<String> FUNCTION_DEF = Set.of("name", "description", "parameters", "strict");
    private static final Set<String> STREAM_OPTIONS = Set.of("include_usage", "include_obfuscation");

    /** JSON kinds a parameter may be required to have. */
    enum Kind {
        STRING("a string"), INTEGER("an integer"), NUMBER("a number"), BOOLEAN("a boolean"), OBJECT("an object"),
        ARRAY("an array");

        final String described;

        Kind(String described) {
            this.described = described;
        }

        boolean matches(JsonNode node) {
            return switch (this) {
                case STRING -> node.isString();
                case INTEGER -> node.isIntegralNumber();
                case NUMBER -> node.isNumber();
                case BOOLEAN -> node.isBoolean();
                case OBJECT -> node.isObject();
                case ARRAY -> node.isArray();
            };
        }
    }

    /**
     * Reads a parsed body.
     *
     * @throws OpenAiError.Failure a 400 naming the parameter when the body is not a valid request
     */
    static OpenAiRequest parse(JsonNode body) {
        if (!body.isObject()) {
            throw OpenAiError.invalid(null, "invalid_type", "the request body must be a JSON object, but got "
                    + kind(body) + " instead.").failure();
        }
        for (String name : body.propertyNames()) {
            if (DEPRECATED.contains(name)) {
                throw OpenAiError.invalid(name, "unsupported_parameter", "'" + name
                        + "' is deprecated and not supported here; use 'tools' and 'tool_choice'.").failure();
            }
            if (!HANDLED.contains(name) && !PASS_THROUGH.containsKey(name)) {
                throw OpenAiError.invalid(name, "unknown_parameter", "Unrecognized request argument supplied: "
                        + name).failure();
            }
        }
        String model = requiredString(body, "model", "model");
        if (model.isBlank()) {
            throw invalidValue("model", "must name a model, e.g. \"simulated/echo\"");
        }
        ChatRequest.Builder b = ChatRequest.builder();
        readMessages(body, b);
        Set<String> toolNames = readTools(body, b);
        present(body, "tool_choice").ifPresent(node -> b.toolChoice(toolChoice(node, toolNames)));
        present(body, "temperature").ifPresent(node -> {
            double t = typed(node, "temperature", Kind.NUMBER).doubleValue();
            if (!(t >= 0 && t <= 2)) {
                throw invalidValue("temperature", "must be between 0 and 2");
            }
            b.temperature(t);
        });
        present(body, "top_p").ifPresent(node -> {
            double p = typed(node, "top_p", Kind.NUMBER).doubleValue();
            if (!(p > 0 && p <= 1)) {
                throw invalidValue("top_p", "must be greater than 0 and at most 1");
            }
            b.topP(p);
        });
        Optional<JsonNode> maxTokens = present(body, "max_completion_tokens");
        String maxName = "max_completion_tokens";
        if (maxTokens.isEmpty()) {
            maxTokens = present(body, "max_tokens");
            maxName = "max_tokens";
        } else {
            present(body, "max_tokens").ifPresent(node -> positiveInt(node, "max_tokens"));
        }
        if (maxTokens.isPresent()) {
            b.maxOutputTokens(positiveInt(maxTokens.get(), maxName));
        }
        present(body, "stop").ifPresent(node -> readStop(node, b));
        present(body, "reasoning_effort").ifPresent(node -> {
            String effort = typed(node, "reasoning_effort", Kind.STRING).stringValue();
            try {
                b.reasoning(Reasoning.effort(Reasoning.Effort.valueOf(effort.toUpperCase(Locale.ROOT))));
            } catch (IllegalArgumentException e) {
                throw invalidValue("reasoning_effort", "must be one of minimal, low, medium, high; got '" + effort + "'");
            }
        });
        present(body, "n").ifPresent(node -> {
            if (typed(node, "n", Kind.INTEGER).longValue() != 1) {
                throw invalidValue("n", "only n = 1 is supported");
            }
        });
        boolean stream = present(body, "stream").map(node -> typed(node, "stream", Kind.BOOLEAN).booleanValue())
                .orElse(false);
        boolean includeUsage = false;
        Optional<JsonNode> options = present(body, "stream_options");
        if (options.isPresent()) {
            if (!stream) {
                throw invalidValue("stream_options", "is only allowed when 'stream' is true");
            }
            JsonNode o = typed(options.get(), "stream_options", Kind.OBJECT);
            allowOnly(o, "stream_options", STREAM_OPTIONS);
            present(o, "include_obfuscation").ifPresent(n -> typed(n, "stream_options.include_obfuscation", Kind.BOOLEAN));
            includeUsage = present(o, "include_usage")
                    .map(n -> typed(n, "stream_options.include_usage", Kind.BOOLEAN).booleanValue()).orElse(false);
        }
        for (Map.Entry<String, Kind> p : PASS_THROUGH.entrySet()) {
            Optional<JsonNode> v = present(body, p.getKey());
            if (v.isPresent()) {
                b.providerOption(p.getKey(), typed(v.get(), p.getKey(), p.getValue()));
            }
        }
        present(body, "provider_options").ifPresent(node -> {
            for (Map.Entry<String, JsonNode> e : typed(node, "provider_options", Kind.OBJECT).properties()) {
                b.providerOption(e.getKey(), e.getValue());
            }
        });
        try {
            return new OpenAiRequest(model, b.build(), stream, includeUsage);
        } catch (IllegalArgumentException e) {
            // every rule of ChatRequest is checked above; this is a safety net, still the input's fault
            throw OpenAiError.invalid(null, "invalid_value", e.getMessage()).failure();
        }
    }

    private static void readMessages(JsonNode body, ChatRequest.Builder b) {
        JsonNode messages = present(body, "messages").orElseThrow(() -> missing("messages"));
        typed(messages, "messages", Kind.ARRAY);
        if (messages.isEmpty()) {
            throw OpenAiError.invalid("messages", "empty_array", "Invalid 'messages': empty array. Expected an array "
                    + "with minimum length 1, but got an empty array instead.").failure();
        }
        List<String> system = new ArrayList<>();
        Map<String, String> toolNamesById = new HashMap<>();
        int conversation = 0;
        for (int i = 0; i < messages.size(); i++) {
            String path = "messages[" + i + "]";
            JsonNode m = typed(messages.get(i), path, Kind.OBJECT);
            String role = requiredString(m, "role", path + ".role");
            switch (role) {
                case "system", "developer" -> {
                    allowOnly(m, path, TEXT_MESSAGE);
                    system.add(text(m, path + ".content", true));
                }
                case "user" -> {
                    allowOnly(m, path, TEXT_MESSAGE);
                    b.message(new Message.User(userContent(m, path + ".content")));
                    conversation++;
                }
                case "assistant" -> {
                    allowOnly(m, path, ASSISTANT);
                    String text = present(m, "content").map(c -> text(m, path + ".content", false)).orElse("");
                    List<AssistantToolCall> calls = toolCalls(m, path + ".tool_calls");
                    for (AssistantToolCall call : calls) {
                        toolNamesById.put(call.id(), call.name());
                    }
                    b.message(new Message.Assistant(text, calls));
                    conversation++;
                }
                case "tool" -> {
                    allowOnly(m, path, TOOL);
                    String id = requiredString(m, "tool_call_id", path + ".tool_call_id");
                    String name = toolNamesById.get(id);
                    if (name == null) {
                        throw invalidValue(path + ".tool_call_id", "'" + id + "' answers no tool call of an earlier "
                                + "assistant message; a 'tool' message must answer a preceding message with 'tool_calls'");
                    }
                    b.message(Message.toolResult(id, name, text(m, path + ".content", true)));
                    conversation++;
                }
                default -> throw invalidValue(path + ".role", "must be one of system, developer, user, assistant, tool; "
                        + "got '" + role + "'");
            }
        }
        if (conversation == 0) {
            throw invalidValue("messages", "must hold at least one user, assistant or tool message besides system ones");
        }
        if (!system.isEmpty()) {
            b.system(String.join("\n\n", system));
        }
    }

    /**
     * Text content: a string or an array of {@code text} parts (a {@code refusal} part of an
     * assistant message counts as text). {@code required}: absent or null is an error.
     */
    private static String text(JsonNode message, String path, boolean required) {
        JsonNode content = message.get("content");
        if (content == null || content.isNull()) {
            if (required) {
                throw missing(path);
            }
            return "";
        }
        if (content.isString()) {
            return content.stringValue();
        }
        if (!content.isArray()) {
            throw wrongType(path, "a string or an array of text parts", content);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            String partPath = path + "[" + i + "]";
            JsonNode part = typed(content.get(i), partPath, Kind.OBJECT);
            String type = requiredString(part, "type", partPath + ".type");
            switch (type) {
                case "text" -> {
                    allowOnly(part, partPath, Set.of("type", "text"));
                    text.append(requiredString(part, "text", partPath + ".text"));
                }
                case "refusal" -> {
                    allowOnly(part, partPath, Set.of("type", "refusal"));
                    text.append(requiredString(part, "refusal", partPath + ".refusal"));
                }
                default -> throw invalidValue(partPath + ".type", "only 'text' parts are allowed here; got '" + type + "'");
            }
        }
        return text.toString();
    }

    private static List<ContentPart> userContent(JsonNode message, String path) {
        JsonNode content = message.get("content");
        if (content == null || content.isNull()) {
            throw missing(path);
        }
        if (content.isString()) {
            return List.of(new ContentPart.Text(content.stringValue()));
        }
        if (!content.isArray()) {
            throw wrongType(path, "a string or an array of content parts", content);
        }
        if (content.isEmpty()) {
            throw invalidValue(path, "must hold at least one content part");
        }
        List<ContentPart> parts = new ArrayList<>(content.size());
        for (int i = 0; i < content.size(); i++) {
            String partPath = path + "[" + i + "]";
            JsonNode part = typed(content.get(i), partPath, Kind.OBJECT);
            String type = requiredString(part, "type", partPath + ".type");
            switch (type) {
                case "text" -> {
                    allowOnly(part, partPath, Set.of("type", "text"));
                    parts.add(new ContentPart.Text(requiredString(part, "text", partPath + ".text")));
                }
                case "image_url" -> {
                    allowOnly(part, partPath, Set.of("type", "image_url"));
                    JsonNode image = present(part, "image_url").orElseThrow(() -> missing(partPath + ".image_url"));
                    typed(image, partPath + ".image_url", Kind.OBJECT);
                    allowOnly(image, partPath + ".image_url", Set.of("url", "detail"));
                    String url = requiredString(image, "url", partPath + ".image_url.url");
                    present(image, "detail").ifPresent(d -> typed(d, partPath + ".image_url.detail", Kind.STRING));
                    if (url.isBlank()) {
                        throw invalidValue(partPath + ".image_url.url", "must not be blank");
                    }
                    parts.add(ContentPart.Image.url(url));
                }
                default -> throw invalidValue(partPath + ".type", "must be 'text' or 'image_url'; got '" + type + "'");
            }
        }
        return parts;
    }

    private static List<AssistantToolCall> toolCalls(JsonNode message, String path) {
        Optional<JsonNode> node = present(message, "tool_calls");
        if (node.isEmpty()) {
            return List.of();
        }
        JsonNode calls = typed(node.get(), path, Kind.ARRAY);
        List<AssistantToolCall> out = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            String callPath = path + "[" + i + "]";
            JsonNode call = typed(calls.get(i), callPath, Kind.OBJECT);
            allowOnly(call, callPath, TOOL_CALL);
            String id = requiredString(call, "id", callPath + ".id");
            String type = requiredString(call, "type", callPath + ".type");
            if (!type.equals("function")) {
                throw invalidValue(callPath + ".type", "must be 'function'; got '" + type + "'");
            }
            JsonNode fn = present(call, "function").orElseThrow(() -> missing(callPath + ".function"));
            typed(fn, callPath + ".function", Kind.OBJECT);
            allowOnly(fn, callPath + ".function", FUNCTION_CALL);
            String name = requiredString(fn, "name", callPath + ".function.name");
            String arguments = requiredString(fn, "arguments", callPath + ".function.arguments");
            JsonNode parsed;
            try {
                parsed = arguments.isBlank() ? Responses.JSON.createObjectNode() : Responses.JSON.readTree(arguments);
            } catch (JacksonException e) {
                throw invalidValue(callPath + ".function.arguments", "must be a JSON text: " + e.getOriginalMessage());
            }
            out.add(new AssistantToolCall(id, name, parsed));
        }
        return out;
    }

    private static Set<String> readTools(JsonNode body, ChatRequest.Builder b) {
        Set<String> names = new LinkedHashSet<>();
        Optional<JsonNode> node = present(body, "tools");
        if (node.isEmpty()) {
            return names;
        }
        JsonNode tools = typed(node.get(), "tools", Kind.ARRAY);
        for (int i = 0; i < tools.size(); i++) {
            String path = "tools[" + i + "]";
            JsonNode tool = typed(tools.get(i), path, Kind.OBJECT);
            allowOnly(tool, path, TOOL_DEF);
            String type = requiredString(tool, "type", path + ".type");
            if (!type.equals("function")) {
                throw invalidValue(path + ".type", "only 'function' tools are supported; got '" + type + "'");
            }
            JsonNode fn = present(tool, "function").orElseThrow(() -> missing(path + ".function"));
            typed(fn, path + ".function", Kind.OBJECT);
            allowOnly(fn, path + ".function", FUNCTION_DEF);
            String name = requiredString(fn, "name", path + ".function.name");
            if (name.isBlank()) {
                throw invalidValue(path + ".function.name", "must not be blank");
            }
            if (!names.add(name)) {
                throw invalidValue(path + ".function.name", "'" + name + "' is already the name of another tool");
            }
            Optional<String> description = present(fn, "description")
                    .map(d -> typed(d, path + ".function.description", Kind.STRING).stringValue());
            present(fn, "strict").ifPresent(s -> typed(s, path + ".function.strict", Kind.BOOLEAN));
            JsonNode parameters = present(fn, "parameters")
                    .map(p -> typed(p, path + ".function.parameters", Kind.OBJECT))
                    .orElseGet(OpenAiRequest::emptySchema);
            b.tool(new ToolDefinition(name, description, parameters));
        }
        return names;
    }

    private static ObjectNode emptySchema() {
        ObjectNode schema = Responses.JSON.createObjectNode();
        schema.put("type", "object");
        schema.putObject("properties");
        return schema;
    }

    private static ToolChoice toolChoice(JsonNode node, Set<String> toolNames) {
        if (node.isString()) {
            return switch (node.stringValue()) {
                case "auto" -> ToolChoice.AUTO;
                case "none" -> ToolChoice.NONE;
                case "required" -> {
                    if (toolNames.isEmpty()) {
                        throw invalidValue("tool_choice", "'required' needs 'tools'");
                    }
                    yield ToolChoice.REQUIRED;
                }
                default -> throw invalidValue("tool_choice", "must be 'auto', 'none', 'required' or "
                        + "{\"type\":\"function\",\"function\":{\"name\":…}}; got '" + node.stringValue() + "'");
            };
        }
        if (!node.isObject()) {
            throw wrongType("tool_choice", "a string or an object", node);
        }
        allowOnly(node, "tool_choice", TOOL_DEF);
        String type = requiredString(node, "type", "tool_choice.type");
        if (!type.equals("function")) {
            throw invalidValue("tool_choice.type", "must be 'function'; got '" + type + "'");
        }
        JsonNode fn = present(node, "function").orElseThrow(() -> missing("tool_choice.function"));
        typed(fn, "tool_choice.function", Kind.OBJECT);
        allowOnly(fn, "tool_choice.function", Set.of("name"));
        String name = requiredString(fn, "name", "tool_choice.function.name");
        if (!toolNames.contains(name)) {
            throw invalidValue("tool_choice.function.name", "'" + name + "' is not among the tools"
                    + (toolNames.isEmpty() ? "" : " (" + String.join(", ", toolNames) + ")"));
        }
        return ToolChoice.tool(name);
    }

    private static void readStop(JsonNode node, ChatRequest.Builder b) {
        if (node.isString()) {
            b.stopSequence(node.stringValue());
            return;
        }
        if (!node.isArray()) {
            throw wrongType("stop", "a string or an array of strings", node);
        }
        for (int i = 0; i < node.size(); i++) {
            b.stopSequence(typed(node.get(i), "stop[" + i + "]", Kind.STRING).stringValue());
        }
    }

    private static int positiveInt(JsonNode node, String param) {
        typed(node, param, Kind.INTEGER);
        if (!node.canConvertToInt() || node.intValue() <= 0) {
            throw invalidValue(param, "must be a positive integer");
        }
        return node.intValue();
    }

    // --- small helpers ---

    /** The field's value unless absent or JSON null. */
    private static Optional<JsonNode> present(JsonNode object, String name) {
        JsonNode v = object.get(name);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    private static String requiredString(JsonNode object, String name, String path) {
        JsonNode v = present(object, name).orElseThrow(() -> missing(path));
        return typed(v, path, Kind.STRING).stringValue();
    }

    private static JsonNode typed(JsonNode node, String path, Kind kind) {
        if (!kind.matches(node)) {
            throw wrongType(path, kind.described, node);
        }
        return node;
    }

    private static void allowOnly(JsonNode object, String path, Set<String> allowed) {
        for (String name : object.propertyNames()) {
            if (!allowed.contains(name)) {
                throw OpenAiError.invalid(path + "." + name, "unknown_parameter", "Unrecognized parameter '" + path
                        + "." + name + "'; expected one of " + String.join(", ", new java.util.TreeSet<>(allowed)) + ".")
                        .failure();
            }
        }
    }

    private static OpenAiError.Failure missing(String path) {
        return OpenAiError.invalid(path, "missing_required_parameter", "Missing required parameter: '" + path + "'.")
                .failure();
    }

    private static OpenAiError.Failure wrongType(String path, String expected, JsonNode got) {
        return OpenAiError.invalid(path, "invalid_type", "Invalid type for '" + path + "': expected " + expected
                + ", but got " + kind(got) + " instead.").failure();
    }

    private static OpenAiError.Failure invalidValue(String path, String problem) {
        return OpenAiError.invalid(path, "invalid_value", "Invalid value for '" + path + "': " + problem + ".").failure();
    }

    private static String kind(JsonNode node) {
        if (node.isString()) {
            return "a string";
        }
        if (node.isIntegralNumber()) {
            return "an integer";
        }
        if (node.isNumber()) {
            return "a decimal";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        return node.isNull() ? "null" : "an unexpected value";
    }
}
