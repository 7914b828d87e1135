package io.aistream.server.openai;

import io.aistream.chunk.ReasoningState;
import io.aistream.json.JsonFieldException;
import io.aistream.json.JsonFieldReader;
import io.aistream.json.JsonFieldValue;
import io.aistream.json.JsonKind;
import io.aistream.request.AssistantPart;
import io.aistream.request.AssistantToolCall;
import io.aistream.request.ChatRequest;
import io.aistream.request.ChatRequestRules;
import io.aistream.request.ContentPart;
import io.aistream.request.Message;
import io.aistream.request.Reasoning;
import io.aistream.request.ToolChoice;
import io.aistream.server.http.Responses;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A Chat Completions request body, read strictly into a {@link ChatRequest}.
 *
 * <p><b>Mapping.</b> {@code system} and {@code developer} messages (string content or text parts)
 * become the system prompt, joined by a blank line when there are several, wherever they stand;
 * {@code user} content is a string or {@code text} / {@code image_url} parts ({@code detail} is
 * ignored); an {@code assistant} message's {@code tool_calls} carry their arguments as a JSON
 * string, which must parse; a {@code tool} message answers a {@code tool_call_id} of an earlier
 * assistant message (the tool's name is taken from that call).
 *
 * <p><b>Reasoning state.</b> An assistant message may carry back what this endpoint answered
 * ({@link ChatReasoningFields}): {@code thinking_blocks} (Claude's signed and redacted thinking),
 * {@code reasoning_details} (OpenAI Responses items), {@code extra_content.google.thought_signature}
 * on the message and on its tool calls (Gemini), and {@code reasoning_content} (plain reasoning text).
 * They become the turn's parts in order: reasoning, text, tool calls; each provider's request mapping
 * sends back only the states it accepts.
 *
 * <p><b>Message and part fields OpenAI takes but that change nothing here are accepted and
 * ignored</b>, so that a conversation a client got from OpenAI (or from this gateway) can be sent
 * back as it is: {@code name} on every message (type-checked: a string); {@code cache_control} on
 * messages and parts (a caching hint some clients add); on an assistant message {@code refusal},
 * {@code annotations}, the openai SDKs' {@code parsed}, {@code reasoning}, and {@code audio} or
 * {@code function_call} when {@code null}; {@code index} on
 * a tool call; {@code annotations} on a text part; {@code detail} of an image. What would change the
 * answer and cannot be honoured is refused naming it: a non-null {@code function_call} (deprecated:
 * send {@code tool_calls}), a non-null {@code audio}, the {@code function} role, {@code input_audio}
 * and {@code file} parts, tool calls of a type other than {@code function}. Any other unknown field,
 * at any level, is {@code unknown_parameter}. {@code tools} are
 * {@code {type:"function", function:{name, description, parameters, strict}}}; {@code tool_choice} is
 * {@code auto | none | required | {type:"function", function:{name}}}; {@code max_completion_tokens}
 * wins over the older {@code max_tokens}; {@code stop} is a string or an array of strings;
 * {@code reasoning_effort} is {@code minimal | low | medium | high}. {@code n} must be 1.
 *
 * <p><b>Other OpenAI parameters</b> ({@link #PASS_THROUGH}: {@code seed}, {@code response_format},
 * {@code user}, …) have no provider-neutral equivalent: their type is checked, then they are passed
 * to the provider as provider options. Each provider's request mapping decides through
 * {@code io.aistream.provider.support.PortableOptions}: values at OpenAI's defaults
 * ({@code frequency_penalty: 0}, {@code response_format: {"type":"text"}}, …) and advisory ones
 * ({@code user}, {@code metadata}, {@code store: false}, …) are accepted by every provider; a value
 * that would change the answer and that the provider cannot honour is refused naming it. The extension {@code provider_options} (an object) adds provider options of
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

    private static final Set<String> HANDLED = Set.of(
            "model",
            "messages",
            "tools",
            "tool_choice",
            "temperature",
            "top_p",
            "max_tokens",
            "max_completion_tokens",
            "stop",
            "reasoning_effort",
            "stream",
            "stream_options",
            "n",
            "provider_options");
    /** Every parameter the body may have: an unknown one is refused in OpenAI's words for a top-level argument. */
    private static final Set<String> TOP_LEVEL = union(HANDLED, PASS_THROUGH.keySet());

    private static final Set<String> DEPRECATED = Set.of("functions", "function_call");
    private static final Set<String> TEXT_MESSAGE = Set.of("role", "content", "name", "cache_control");
    /**
     * Besides what is read: fields of an answer that clients send back as they got it (and OpenAI
     * takes): {@code refusal}, {@code annotations}, the openai SDKs' {@code parsed}, and the reasoning
     * text of DeepSeek-style answers; all ignored.
     */
    private static final Set<String> ASSISTANT = Set.of(
            "role",
            "content",
            "name",
            "cache_control",
            "tool_calls",
            "refusal",
            "annotations",
            "audio",
            "function_call",
            "parsed",
            "reasoning_content",
            "reasoning",
            "thinking_blocks",
            "reasoning_details",
            "extra_content");

    private static final Set<String> TOOL = Set.of("role", "content", "tool_call_id", "name", "cache_control");
    /** {@code index} stays on calls that a client folded from stream deltas. */
    private static final Set<String> TOOL_CALL = Set.of("id", "type", "function", "index", "extra_content");

    private static final Set<String> TEXT_PART = Set.of("type", "text", "cache_control", "annotations");
    private static final Set<String> IMAGE_PART = Set.of("type", "image_url", "cache_control");
    private static final Set<String> FUNCTION_CALL = Set.of("name", "arguments");
    private static final Set<String> TOOL_DEF = Set.of("type", "function");
    private static final Set<String> FUNCTION_DEF = Set.of("name", "description", "parameters", "strict");
    private static final Set<String> STREAM_OPTIONS = Set.of("include_usage", "include_obfuscation");

    /** JSON kinds a parameter may be required to have. */
    enum Kind {
        STRING("a string", JsonKind.STRING),
        INTEGER("an integer", JsonKind.INTEGER),
        NUMBER("a number", JsonKind.INTEGER, JsonKind.DECIMAL),
        BOOLEAN("a boolean", JsonKind.BOOLEAN),
        OBJECT("an object", JsonKind.OBJECT),
        ARRAY("an array", JsonKind.ARRAY);

        final String described;
        private final Set<JsonKind> kinds;

        Kind(String described, JsonKind... kinds) {
            this.described = described;
            this.kinds = Set.of(kinds);
        }

        /** The value's node; a value of another kind is refused. */
        JsonNode check(JsonFieldValue value) {
            if (!kinds.contains(value.kind())) {
                throw value.mustBe(described);
            }
            return value.node();
        }
    }

    /**
     * Reads a parsed body.
     *
     * @throws OpenAiError.Failure a 400 naming the parameter when the body is not a valid request
     */
    static OpenAiRequest parse(JsonNode body) {
        try {
            return read(JsonFieldReader.root(body, "the request body"));
        } catch (JsonFieldException e) {
            throw failure(e);
        }
    }

    private static OpenAiRequest read(JsonFieldReader body) {
        body.allowOnly(TOP_LEVEL);
        String model = body.requiredString("model");
        if (model.isBlank()) {
            throw body.invalid("model", "must name a model, e.g. \"simulated/echo\"");
        }
        ChatRequest.Builder b = ChatRequest.builder();
        readMessages(body, b);
        Set<String> toolNames = readTools(body, b);
        body.optional("tool_choice").ifPresent(choice -> b.toolChoice(toolChoice(choice, toolNames)));
        ChatRequestRules.temperature(body, "temperature", b);
        ChatRequestRules.topP(body, "top_p", b);
        // both are checked; max_completion_tokens wins
        Optional<Integer> maxTokens = body.optional("max_tokens").map(OpenAiRequest::positiveInt);
        body.optional("max_completion_tokens")
                .map(OpenAiRequest::positiveInt)
                .or(() -> maxTokens)
                .ifPresent(b::maxOutputTokens);
        body.optionalStrings("stop", "a string or an array of strings").forEach(b::stopSequence);
        body.optional("reasoning_effort").ifPresent(value -> {
            String effort = value.asString();
            try {
                b.reasoning(Reasoning.effort(Reasoning.Effort.valueOf(effort.toUpperCase(Locale.ROOT))));
            } catch (IllegalArgumentException e) {
                throw value.invalid("must be one of minimal, low, medium, high; got '" + effort + "'");
            }
        });
        body.optional("n").ifPresent(n -> {
            if (Kind.INTEGER.check(n).longValue() != 1) {
                throw n.invalid("only n = 1 is supported");
            }
        });
        boolean stream = body.optionalBoolean("stream", false);
        boolean includeUsage = false;
        Optional<JsonFieldValue> options = body.optional("stream_options");
        if (options.isPresent()) {
            if (!stream) {
                throw options.get().invalid("is only allowed when 'stream' is true");
            }
            JsonFieldReader o = options.get().asObject().allowOnly(STREAM_OPTIONS);
            o.optionalBoolean("include_obfuscation", false);
            includeUsage = o.optionalBoolean("include_usage", false);
        }
        for (Map.Entry<String, Kind> p : PASS_THROUGH.entrySet()) {
            body.optional(p.getKey())
                    .ifPresent(
                            value -> b.providerOption(p.getKey(), p.getValue().check(value)));
        }
        body.optionalObject("provider_options").ifPresent(providerOptions -> {
            for (Map.Entry<String, JsonNode> e : providerOptions.node().properties()) {
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

    private static void readMessages(JsonFieldReader body, ChatRequest.Builder b) {
        List<JsonFieldValue> messages = body.requiredArray("messages", "an array");
        if (messages.isEmpty()) {
            throw OpenAiError.invalid(
                            "messages",
                            "empty_array",
                            "Invalid 'messages': empty array. Expected an array "
                                    + "with minimum length 1, but got an empty array instead.")
                    .failure();
        }
        List<String> system = new ArrayList<>();
        Map<String, String> toolNamesById = new HashMap<>();
        int conversation = 0;
        for (JsonFieldValue element : messages) {
            JsonFieldReader m = element.asObject();
            String role = m.requiredString("role");
            m.optionalString("name"); // checked, then ignored: it only tells participants apart
            switch (role) {
                case "system", "developer" ->
                    system.add(text(m.allowOnly(TEXT_MESSAGE).required("content")));
                case "user" -> {
                    b.message(new Message.User(
                            userContent(m.allowOnly(TEXT_MESSAGE).required("content"))));
                    conversation++;
                }
                case "assistant" -> {
                    m.allowOnly(ASSISTANT);
                    m.optional("function_call").ifPresent(call -> {
                        throw call.invalid("the deprecated 'function_call' is not supported here; "
                                + "send the call in 'tool_calls' (and its result as a 'tool' message)");
                    });
                    m.optional("audio").ifPresent(audio -> {
                        throw audio.invalid("audio of an earlier answer cannot be sent back: "
                                + "this gateway answers in text; leave it out or send null");
                    });
                    // reasoning first, as the provider produced it, then the text, then the calls
                    List<AssistantPart> parts = new ArrayList<>(ChatReasoningFields.reasoning(m));
                    String text = m.optional("content").map(OpenAiRequest::text).orElse("");
                    Optional<ReasoningState> textState = ChatReasoningFields.googleSignature(m);
                    if (!text.isEmpty() || textState.isPresent()) {
                        parts.add(new AssistantPart.Text(text, textState));
                    }
                    List<AssistantToolCall> calls = toolCalls(m);
                    for (AssistantToolCall call : calls) {
                        toolNamesById.put(call.id(), call.name());
                    }
                    parts.addAll(calls);
                    b.message(new Message.Assistant(parts));
                    conversation++;
                }
                case "tool" -> {
                    m.allowOnly(TOOL);
                    String id = m.requiredString("tool_call_id");
                    String name = toolNamesById.get(id);
                    if (name == null) {
                        throw m.invalid(
                                "tool_call_id",
                                "'" + id + "' answers no tool call of an earlier "
                                        + "assistant message; a 'tool' message must answer a preceding message with 'tool_calls'");
                    }
                    b.message(Message.toolResult(id, name, text(m.required("content"))));
                    conversation++;
                }
                case "function" ->
                    throw m.invalid(
                            "role",
                            "the deprecated 'function' role is not supported here; answer a call in "
                                    + "'tool_calls' with a 'tool' message");
                default ->
                    throw m.invalid(
                            "role", "must be one of system, developer, user, assistant, tool; " + "got '" + role + "'");
            }
        }
        if (conversation == 0) {
            throw body.invalid(
                    "messages", "must hold at least one user, assistant or tool message besides system ones");
        }
        if (!system.isEmpty()) {
            b.system(String.join("\n\n", system));
        }
    }

    /**
     * Text content: a string or an array of {@code text} parts (a {@code refusal} part of an
     * assistant message counts as text).
     */
    private static String text(JsonFieldValue content) {
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonFieldValue element : content.asArray("a string or an array of text parts")) {
            JsonFieldReader part = element.asObject();
            String type = part.requiredString("type");
            switch (type) {
                case "text" -> text.append(part.allowOnly(TEXT_PART).requiredString("text"));
                case "refusal" ->
                    text.append(part.allowOnly(Set.of("type", "refusal")).requiredString("refusal"));
                default -> throw part.invalid("type", "only 'text' parts are allowed here; got '" + type + "'");
            }
        }
        return text.toString();
    }

    private static List<ContentPart> userContent(JsonFieldValue content) {
        if (content.isString()) {
            return List.of(new ContentPart.Text(content.asString()));
        }
        List<JsonFieldValue> elements = content.asArray("a string or an array of content parts");
        if (elements.isEmpty()) {
            throw content.invalid("must hold at least one content part");
        }
        List<ContentPart> parts = new ArrayList<>(elements.size());
        for (JsonFieldValue element : elements) {
            JsonFieldReader part = element.asObject();
            String type = part.requiredString("type");
            switch (type) {
                case "text" ->
                    parts.add(new ContentPart.Text(part.allowOnly(TEXT_PART).requiredString("text")));
                case "image_url" -> {
                    JsonFieldReader image = part.allowOnly(IMAGE_PART)
                            .requiredObject("image_url")
                            .allowOnly(Set.of("url", "detail"));
                    String url = image.requiredString("url");
                    image.optionalString("detail");
                    if (url.isBlank()) {
                        throw image.invalid("url", "must not be blank");
                    }
                    parts.add(ContentPart.Image.url(url));
                }
                case "input_audio", "file" ->
                    throw part.invalid(
                            "type",
                            "'" + type + "' parts are not supported: this gateway takes 'text' and 'image_url' parts");
                default -> throw part.invalid("type", "must be 'text' or 'image_url'; got '" + type + "'");
            }
        }
        return parts;
    }

    private static List<AssistantToolCall> toolCalls(JsonFieldReader message) {
        List<AssistantToolCall> out = new ArrayList<>();
        for (JsonFieldValue element :
                message.optionalArray("tool_calls", "an array").orElse(List.of())) {
            JsonFieldReader call = element.asObject().allowOnly(TOOL_CALL);
            String id = call.requiredString("id");
            String type = call.requiredString("type");
            if (!type.equals("function")) {
                throw call.invalid("type", "must be 'function'; got '" + type + "'");
            }
            call.optional("index").ifPresent(Kind.INTEGER::check);
            JsonFieldReader fn = call.requiredObject("function").allowOnly(FUNCTION_CALL);
            String name = fn.requiredString("name");
            String arguments = fn.requiredString("arguments");
            JsonNode parsed;
            try {
                parsed = arguments.isBlank() ? Responses.JSON.createObjectNode() : Responses.JSON.readTree(arguments);
            } catch (JacksonException e) {
                throw fn.invalid("arguments", "must be a JSON text: " + e.getOriginalMessage());
            }
            out.add(new AssistantToolCall(id, name, parsed, ChatReasoningFields.googleSignature(call)));
        }
        return out;
    }

    private static Set<String> readTools(JsonFieldReader body, ChatRequest.Builder b) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonFieldValue element : body.optionalArray("tools", "an array").orElse(List.of())) {
            JsonFieldReader tool = element.asObject().allowOnly(TOOL_DEF);
            String type = tool.requiredString("type");
            if (!type.equals("function")) {
                throw tool.invalid("type", "only 'function' tools are supported; got '" + type + "'");
            }
            JsonFieldReader fn = tool.requiredObject("function").allowOnly(FUNCTION_DEF);
            b.tool(ChatRequestRules.tool(fn, names, f -> {
                f.optionalBoolean("strict", false); // accepted, not used
                return f.optionalObject("parameters").map(JsonFieldReader::node);
            }));
        }
        return names;
    }

    private static ToolChoice toolChoice(JsonFieldValue value, Set<String> toolNames) {
        if (value.isString()) {
            return switch (value.asString()) {
                case "auto" -> ToolChoice.AUTO;
                case "none" -> ToolChoice.NONE;
                case "required" -> {
                    if (toolNames.isEmpty()) {
                        throw value.invalid("'required' needs 'tools'");
                    }
                    yield ToolChoice.REQUIRED;
                }
                default ->
                    throw value.invalid("must be 'auto', 'none', 'required' or "
                            + "{\"type\":\"function\",\"function\":{\"name\":…}}; got '" + value.asString() + "'");
            };
        }
        JsonFieldReader choice = value.asObject("a string or an object").allowOnly(TOOL_DEF);
        String type = choice.requiredString("type");
        if (!type.equals("function")) {
            throw choice.invalid("type", "must be 'function'; got '" + type + "'");
        }
        JsonFieldReader fn = choice.requiredObject("function").allowOnly(Set.of("name"));
        String name = fn.requiredString("name");
        if (!toolNames.contains(name)) {
            throw fn.invalid(
                    "name",
                    "'" + name + "' is not among the tools"
                            + (toolNames.isEmpty() ? "" : " (" + String.join(", ", toolNames) + ")"));
        }
        return ToolChoice.tool(name);
    }

    private static int positiveInt(JsonFieldValue value) {
        JsonNode node = Kind.INTEGER.check(value);
        if (!node.canConvertToInt() || node.intValue() <= 0) {
            throw value.invalid("must be a positive integer");
        }
        return node.intValue();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /**
     * OpenAI's wording of every field error this reader finds ({@link OpenAiFieldErrors}); an unknown
     * top-level argument is {@code unknown_parameter} (a deprecated one: {@code unsupported_parameter}).
     */
    private static OpenAiError.Failure failure(JsonFieldException e) {
        return OpenAiFieldErrors.failure(e, unknown -> {
            String path = unknown.path();
            if (!unknown.allowed().equals(TOP_LEVEL)) {
                return OpenAiError.invalid(
                        path,
                        "unknown_parameter",
                        "Unrecognized parameter '" + path + "'; expected one of " + String.join(", ", unknown.allowed())
                                + ".");
            }
            return DEPRECATED.contains(path)
                    ? OpenAiError.invalid(
                            path,
                            "unsupported_parameter",
                            "'" + path + "' is deprecated and not supported here; use 'tools' and 'tool_choice'.")
                    : OpenAiError.invalid(path, "unknown_parameter", "Unrecognized request argument supplied: " + path);
        });
    }
}
