package io.aistream.server.openai;

import io.aistream.chunk.ReasoningState;
import io.aistream.json.JsonFieldException;
import io.aistream.json.JsonFieldReader;
import io.aistream.json.JsonFieldValue;
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
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Responses API request body ({@code POST /v1/responses}), read strictly into a {@link ChatRequest}.
 *
 * <p><b>Stored responses.</b> {@code store} (default true, as OpenAI's) only says whether the endpoint keeps
 * the response ({@link ResponseStore}). {@code previous_response_id} puts the input and output items of that
 * stored response before {@code input} (unknown, expired or another key's: 400
 * {@code previous_response_not_found}); an {@code item_reference} item ({@code {type, id}}) stands for the
 * stored output item of that id (unknown: 404 naming {@code input[i].id}). Both are looked up through
 * {@link StoredItems}, and resolved items are read like any other. {@code conversation} and {@code prompt}
 * are refused with a 400: the gateway keeps no conversations or prompt templates. {@code background: true}
 * (see {@link ResponsesEndpoint}) needs {@code store} not false (400 otherwise, as OpenAI).
 *
 * <p><b>Input.</b> {@code input} is a string (one user message) or an array of items: messages
 * ({@code {role, content}} with or without {@code type: "message"}; content a string or parts:
 * {@code input_text} and {@code input_image} with an {@code image_url} for users, {@code output_text} and
 * {@code refusal} for the assistant), {@code function_call} items (their {@code arguments} JSON text must
 * parse; consecutive calls join the assistant turn before them), {@code function_call_output} items (answering
 * the {@code call_id} of an earlier call; {@code output} a string or {@code input_text} parts), and
 * {@code reasoning} items ({@code id}, {@code summary}, {@code encrypted_content}): reasoning with
 * {@code openai} state, in order in the assistant turn (a provider other than OpenAI Responses drops the
 * state). Reasoning items, an assistant message and function calls that follow each other form one turn. {@code instructions} and {@code system}/{@code developer} messages become the system prompt, in
 * that order, joined by a blank line.
 *
 * <p><b>Parameters.</b> {@code tools} are flat function tools ({@code {type:"function", name, description,
 * parameters, strict}}); built-in tools ({@code web_search}, {@code file_search}, {@code mcp}, …) are refused
 * naming their type. {@code tool_choice}, {@code max_output_tokens}, {@code temperature}, {@code top_p} and
 * {@code reasoning.effort} map onto the request; {@code text.format} {@code json_schema}/{@code json_object}
 * and {@code text.verbosity} go to the provider as the provider options {@code response_format} (in Chat
 * Completions' shape) and {@code verbosity}, which a provider that cannot honour them refuses. The parameters
 * of {@link #ACCEPTED} change nothing a provider streams here: their type is checked and they are dropped.
 * The extension {@code provider_options} (an object) adds provider options of any name. Any other parameter
 * is refused with {@code unknown_parameter}. A JSON {@code null} counts as absent.
 *
 * @param model   the {@code model} text as given
 * @param request the request, without a model (the endpoint resolves {@code model})
 * @param stream  whether the answer is streamed
 * @param echo    the request's settings as the {@code response} object repeats them ({@link ResponseObject})
 * @param store   whether the response is to be kept ({@code store}, default true)
 * @param input   the input items as read: the previous response's items, then {@code input} with references
 *                resolved (a string input as one user message item); what a stored response keeps
 * @param background whether the response runs in background mode ({@code background: true}, which needs
 *                {@code store} not false): its stream survives the client and can be polled, resumed and cancelled
 */
record ResponsesRequest(
        String model,
        ChatRequest request,
        boolean stream,
        ObjectNode echo,
        boolean store,
        ArrayNode input,
        boolean background) {

    /** Where {@code previous_response_id} and {@code item_reference} are looked up: the caller's stored responses. */
    interface StoredItems {
        /** Nothing is stored. */
        StoredItems NONE = new StoredItems() {
            @Override
            public Optional<List<JsonNode>> conversation(String responseId) {
                return Optional.empty();
            }

            @Override
            public Optional<JsonNode> item(String itemId) {
                return Optional.empty();
            }
        };

        /** The input then output items of the stored response {@code responseId}. */
        Optional<List<JsonNode>> conversation(String responseId);

        /** The stored output item {@code itemId}. */
        Optional<JsonNode> item(String itemId);
    }

    /**
     * Parameters that are checked and then dropped: none changes what a provider streams through this
     * gateway (tracing, caching and billing hints, settings that only select what this gateway does
     * anyway). Each value is the JSON kind it must have.
     */
    static final Map<String, OpenAiRequest.Kind> ACCEPTED = Map.ofEntries(
            Map.entry("user", OpenAiRequest.Kind.STRING),
            Map.entry("metadata", OpenAiRequest.Kind.OBJECT),
            Map.entry("safety_identifier", OpenAiRequest.Kind.STRING),
            Map.entry("prompt_cache_key", OpenAiRequest.Kind.STRING),
            Map.entry("prompt_cache_retention", OpenAiRequest.Kind.STRING),
            Map.entry("service_tier", OpenAiRequest.Kind.STRING),
            Map.entry("parallel_tool_calls", OpenAiRequest.Kind.BOOLEAN),
            Map.entry("include", OpenAiRequest.Kind.ARRAY),
            Map.entry("max_tool_calls", OpenAiRequest.Kind.INTEGER),
            Map.entry("top_logprobs", OpenAiRequest.Kind.INTEGER));

    private static final Set<String> HANDLED = Set.of(
            "model",
            "input",
            "instructions",
            "tools",
            "tool_choice",
            "max_output_tokens",
            "temperature",
            "top_p",
            "reasoning",
            "text",
            "stream",
            "stream_options",
            "truncation",
            "background",
            "store",
            "previous_response_id",
            "conversation",
            "prompt",
            "provider_options");
    private static final Set<String> TOP_LEVEL = union(HANDLED, ACCEPTED.keySet());

    private static final Set<String> MESSAGE = Set.of("type", "role", "content", "id", "status", "phase");
    private static final Set<String> FUNCTION_CALL =
            Set.of("type", "call_id", "name", "arguments", "id", "status", "namespace", "caller");
    private static final Set<String> FUNCTION_CALL_OUTPUT =
            Set.of("type", "call_id", "output", "id", "status", "name", "namespace", "caller");
    private static final Set<String> REASONING_ITEM =
            Set.of("type", "id", "summary", "content", "encrypted_content", "status");
    private static final Set<String> INPUT_TEXT = Set.of("type", "text", "prompt_cache_breakpoint");
    private static final Set<String> INPUT_IMAGE =
            Set.of("type", "image_url", "file_id", "detail", "prompt_cache_breakpoint");
    private static final Set<String> OUTPUT_TEXT = Set.of("type", "text", "annotations", "logprobs");
    private static final Set<String> REFUSAL = Set.of("type", "refusal");
    private static final Set<String> FUNCTION_TOOL = Set.of(
            "type", "name", "description", "parameters", "strict", "defer_loading", "allowed_callers", "output_schema");
    private static final Set<String> TEXT = Set.of("format", "verbosity");
    private static final Set<String> REASONING = Set.of("effort", "summary", "generate_summary", "context", "mode");
    private static final Set<String> STREAM_OPTIONS = Set.of("include_obfuscation");
    private static final Set<String> ITEM_REFERENCE = Set.of("type", "id");

    /**
     * Reads a parsed body.
     *
     * @throws OpenAiError.Failure a 400 naming the parameter when the body is not a valid request
     */
    static ResponsesRequest parse(JsonNode body) {
        return parse(body, StoredItems.NONE);
    }

    /**
     * Reads a parsed body, resolving {@code previous_response_id} and {@code item_reference} items in
     * {@code stored}.
     *
     * @throws OpenAiError.Failure a 400 naming the parameter when the body is not a valid request; a 404 for
     *     an unknown item reference
     */
    static ResponsesRequest parse(JsonNode body, StoredItems stored) {
        try {
            return read(JsonFieldReader.root(body, "the request body"), stored);
        } catch (JsonFieldException e) {
            throw failure(e);
        }
    }

    private static ResponsesRequest read(JsonFieldReader body, StoredItems stored) {
        body.allowOnly(TOP_LEVEL);
        String model = body.requiredString("model");
        if (model.isBlank()) {
            throw body.invalid("model", "must name a model, e.g. \"simulated/echo\"");
        }
        refuseState(body);
        ObjectNode echo = Responses.JSON.createObjectNode();
        boolean store = body.optionalBoolean("store", true);
        echo.put("store", store);
        boolean background = body.optionalBoolean("background", false);
        if (background && !store) {
            throw body.invalid(
                    "background", "background mode needs the response to be stored; send store: true or leave it out");
        }
        echo.put("background", background);
        Optional<String> previous = body.optionalString("previous_response_id");
        echo.put("previous_response_id", previous.orElse(null));
        ChatRequest.Builder b = ChatRequest.builder();
        Optional<String> instructions = body.optionalString("instructions");
        echo.put("instructions", instructions.orElse(null));
        ArrayNode input = Responses.JSON.createArrayNode();
        readInput(body, instructions, previous.map(id -> previous(body, id, stored)), stored, b, input);
        Set<String> toolNames = readTools(body, b, echo);
        body.optional("tool_choice").ifPresent(choice -> b.toolChoice(toolChoice(choice, toolNames)));
        echo.set(
                "tool_choice",
                body.optional("tool_choice")
                        .map(JsonFieldValue::node)
                        .orElse(Responses.JSON.getNodeFactory().stringNode("auto")));
        ChatRequestRules.temperature(body, "temperature", b);
        ChatRequestRules.topP(body, "top_p", b);
        echo.set("temperature", orNull(body.optional("temperature")));
        echo.set("top_p", orNull(body.optional("top_p")));
        body.optional("max_output_tokens").ifPresent(v -> b.maxOutputTokens(v.asInt(1, Integer.MAX_VALUE)));
        echo.set("max_output_tokens", orNull(body.optional("max_output_tokens")));
        readReasoning(body, b, echo);
        readText(body, b, echo);
        boolean stream = body.optionalBoolean("stream", false);
        body.optional("stream_options").ifPresent(options -> {
            if (!stream) {
                throw options.invalid("is only allowed when 'stream' is true");
            }
            options.asObject().allowOnly(STREAM_OPTIONS).optionalBoolean("include_obfuscation", false);
        });
        body.optional("truncation").ifPresent(t -> {
            String value = t.asString();
            if (!value.equals("disabled") && !value.equals("auto")) {
                throw t.invalid("must be 'disabled' or 'auto'; got '" + value + "'");
            }
            echo.put("truncation", value);
        });
        for (Map.Entry<String, OpenAiRequest.Kind> p : ACCEPTED.entrySet()) {
            body.optional(p.getKey())
                    .ifPresent(value -> echo.set(p.getKey(), p.getValue().check(value)));
        }
        body.optionalObject("provider_options").ifPresent(providerOptions -> {
            for (Map.Entry<String, JsonNode> e : providerOptions.node().properties()) {
                b.providerOption(e.getKey(), e.getValue());
            }
        });
        try {
            return new ResponsesRequest(model, b.build(), stream, echo, store, input, background);
        } catch (IllegalArgumentException e) {
            // every rule of ChatRequest is checked above; this is a safety net, still the input's fault
            throw OpenAiError.invalid(null, "invalid_value", e.getMessage()).failure();
        }
    }

    /** The parameters that need state this gateway does not keep (or a job queue it does not have). */
    private static void refuseState(JsonFieldReader body) {
        if (body.has("conversation")) {
            throw body.invalid(
                    "conversation",
                    "this gateway keeps no conversations; send the whole conversation as 'input', or continue a "
                            + "stored response with 'previous_response_id'");
        }
        if (body.has("prompt")) {
            throw body.invalid("prompt", "stored prompt templates are not supported; send 'instructions' and 'input'");
        }
    }

    /**
     * The items of the stored response {@code id}.
     *
     * @throws OpenAiError.Failure 400 {@code previous_response_not_found}, as OpenAI answers
     */
    private static List<JsonNode> previous(JsonFieldReader body, String id, StoredItems stored) {
        return stored.conversation(id)
                .orElseThrow(() -> OpenAiError.invalid(
                                body.pathOf("previous_response_id"),
                                "previous_response_not_found",
                                "Previous response with id '" + id + "' not found: it is unknown or expired on "
                                        + "this gateway (responses are kept in memory for a limited time, and only "
                                        + "when created with store not false). Send the whole conversation as "
                                        + "'input' instead.")
                        .failure());
    }

    /** What the items read so far add up to. */
    private record Conversation(
            List<String> system, List<Message> messages, Map<String, String> toolNamesById, ArrayNode items) {}

    private static void readInput(
            JsonFieldReader body,
            Optional<String> instructions,
            Optional<List<JsonNode>> previous,
            StoredItems stored,
            ChatRequest.Builder b,
            ArrayNode items) {
        JsonFieldValue input = body.required("input");
        Conversation c = new Conversation(new ArrayList<>(), new ArrayList<>(), new HashMap<>(), items);
        instructions.filter(s -> !s.isEmpty()).ifPresent(c.system()::add);
        for (JsonNode item : previous.orElse(List.of())) {
            item(JsonFieldReader.root(item, "an item of the previous response"), c);
        }
        if (input.isString()) {
            ObjectNode user = Responses.JSON.createObjectNode();
            user.put("type", "message").put("role", "user").put("content", input.asString());
            items.add(user);
            c.messages().add(Message.user(input.asString()));
        } else {
            List<JsonFieldValue> elements = input.asArray("a string or an array of input items");
            Set<String> referenced = new HashSet<>();
            for (JsonFieldValue element : elements) {
                JsonFieldReader item = element.asObject();
                // OpenAI's item reference may leave out its type: an object of only an id is one too
                String type =
                        item.optionalString("type").orElse(!item.has("role") && item.has("id") ? "item_reference" : "");
                if (type.equals("item_reference")) {
                    item(resolve(item.allowOnly(ITEM_REFERENCE), stored, referenced), c);
                } else {
                    item(item, c);
                }
            }
            if (c.messages().isEmpty()) {
                throw input.invalid("must hold at least one user, assistant or function_call_output item besides "
                        + "system and developer messages");
            }
        }
        b.messages(c.messages());
        if (!c.system().isEmpty()) {
            b.system(String.join("\n\n", c.system()));
        }
    }

    /**
     * The stored item an {@code item_reference} stands for.
     *
     * @throws OpenAiError.Failure 404 naming {@code input[i].id}, as OpenAI answers an unknown item
     * @throws JsonFieldException    when {@code id} was referenced before in this input
     */
    private static JsonFieldReader resolve(JsonFieldReader reference, StoredItems stored, Set<String> referenced) {
        String id = reference.requiredString("id");
        // once each, as OpenAI requires: so a small body cannot multiply a big stored item
        if (!referenced.add(id)) {
            throw reference.invalid("id", "'" + id + "' is referenced more than once; send each item once");
        }
        JsonNode item = stored.item(id)
                .orElseThrow(() -> new OpenAiError(
                                404,
                                "Item with id '" + id + "' not found: it is unknown or expired on this gateway "
                                        + "(items are kept in memory for a limited time, and only for responses "
                                        + "created with store not false). Send the item itself instead of the "
                                        + "reference, or send store: false (with the AI SDK: "
                                        + "providerOptions.openai.store = false) so that no references are sent.",
                                OpenAiError.INVALID_REQUEST,
                                Optional.of(reference.pathOf("id")),
                                Optional.of("item_not_found"),
                                Map.of())
                        .failure());
        return JsonFieldReader.root(item, "a stored item");
    }

    /** One input item (a message, a function call or its output, a reasoning item) added to {@code c}. */
    private static void item(JsonFieldReader item, Conversation c) {
        String type = item.optionalString("type").orElse(item.has("role") ? "message" : "");
        switch (type) {
            case "message" -> message(item, c.system(), c.messages());
            case "function_call" -> functionCall(item, c.messages(), c.toolNamesById());
            case "function_call_output" -> functionCallOutput(item, c.messages(), c.toolNamesById());
            case "reasoning" -> reasoning(item, c.messages());
            case "" -> throw item.missing("type");
            default ->
                throw item.invalid(
                        "type",
                        "'" + type + "' items are not supported here; supported: message, function_call, "
                                + "function_call_output, reasoning, item_reference");
        }
        c.items().add(item.node());
    }

    private static void message(JsonFieldReader item, List<String> system, List<Message> messages) {
        item.allowOnly(MESSAGE);
        String role = item.requiredString("role");
        JsonFieldValue content = item.required("content");
        switch (role) {
            case "system", "developer" -> system.add(text(content, INPUT_TEXT, "input_text"));
            case "user" -> messages.add(new Message.User(userContent(content)));
            case "assistant" -> {
                String text = assistantText(content);
                // the answer after its reasoning items is one turn with them
                if (!messages.isEmpty()
                        && messages.getLast() instanceof Message.Assistant a
                        && a.parts().stream().allMatch(part -> part instanceof AssistantPart.Reasoning)) {
                    List<AssistantPart> parts = new ArrayList<>(a.parts());
                    parts.add(new AssistantPart.Text(text));
                    messages.set(messages.size() - 1, new Message.Assistant(parts));
                } else {
                    messages.add(Message.assistant(text));
                }
            }
            default ->
                throw item.invalid("role", "must be one of user, assistant, system, developer; got '" + role + "'");
        }
    }

    /** A string, or an array of text parts of type {@code partType}. */
    private static String text(JsonFieldValue content, Set<String> fields, String partType) {
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonFieldValue element : content.asArray("a string or an array of content parts")) {
            JsonFieldReader part = element.asObject();
            String type = part.requiredString("type");
            if (!type.equals(partType)) {
                throw part.invalid("type", "only '" + partType + "' parts are allowed here; got '" + type + "'");
            }
            text.append(part.allowOnly(fields).requiredString("text"));
        }
        return text.toString();
    }

    private static String assistantText(JsonFieldValue content) {
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonFieldValue element : content.asArray("a string or an array of content parts")) {
            JsonFieldReader part = element.asObject();
            String type = part.requiredString("type");
            switch (type) {
                case "output_text" -> text.append(part.allowOnly(OUTPUT_TEXT).requiredString("text"));
                case "input_text" -> text.append(part.allowOnly(INPUT_TEXT).requiredString("text"));
                case "refusal" -> text.append(part.allowOnly(REFUSAL).requiredString("refusal"));
                default ->
                    throw part.invalid(
                            "type", "an assistant message takes output_text and refusal parts; got '" + type + "'");
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
                case "input_text" ->
                    parts.add(new ContentPart.Text(part.allowOnly(INPUT_TEXT).requiredString("text")));
                case "input_image" -> {
                    part.allowOnly(INPUT_IMAGE);
                    part.optionalString("detail");
                    if (part.optionalString("file_id").isPresent()) {
                        throw part.invalid(
                                "file_id",
                                "this gateway stores no files; send the image as 'image_url' (a URL or a data: URL)");
                    }
                    String url = part.requiredString("image_url");
                    if (url.isBlank()) {
                        throw part.invalid("image_url", "must not be blank");
                    }
                    parts.add(ContentPart.Image.url(url));
                }
                case "input_file", "input_audio" ->
                    throw part.invalid(
                            "type",
                            "'" + type
                                    + "' parts are not supported here; send text (input_text) or images (input_image)");
                default -> throw part.invalid("type", "must be 'input_text' or 'input_image'; got '" + type + "'");
            }
        }
        return parts;
    }

    /**
     * A {@code reasoning} item: its summary texts (joined by a blank line) with {@code openai} state (its
     * {@code id} and {@code encrypted_content}), joining the assistant turn before it or starting one.
     */
    private static void reasoning(JsonFieldReader item, List<Message> messages) {
        item.allowOnly(REASONING_ITEM);
        Optional<String> id = item.optionalString("id");
        Optional<String> encrypted = item.optionalString("encrypted_content");
        item.optionalString("status");
        List<String> texts = new ArrayList<>();
        for (JsonFieldValue element :
                item.optionalArray("summary", "an array of summary parts").orElse(List.of())) {
            JsonFieldReader part = element.asObject().allowOnly(Set.of("type", "text"));
            String type = part.requiredString("type");
            if (!type.equals("summary_text")) {
                throw part.invalid("type", "must be 'summary_text'; got '" + type + "'");
            }
            texts.add(part.requiredString("text"));
        }
        item.optionalArray("content", "an array").orElse(List.of()); // reasoning text: provider-side only
        if (encrypted.isPresent() && id.isEmpty()) {
            throw item.missing("id");
        }
        Optional<ReasoningState> state = id.filter(i -> !i.isBlank()).map(i -> ReasoningState.openAiItem(i, encrypted));
        AssistantPart.Reasoning part = new AssistantPart.Reasoning(String.join("\n\n", texts), state);
        if (!messages.isEmpty() && messages.getLast() instanceof Message.Assistant a) {
            List<AssistantPart> parts = new ArrayList<>(a.parts());
            parts.add(part);
            messages.set(messages.size() - 1, new Message.Assistant(parts));
        } else {
            messages.add(new Message.Assistant(List.of(part)));
        }
    }

    private static void functionCall(JsonFieldReader item, List<Message> messages, Map<String, String> toolNamesById) {
        item.allowOnly(FUNCTION_CALL);
        String callId = item.requiredString("call_id");
        String name = item.requiredString("name");
        String arguments = item.requiredString("arguments");
        item.optionalString("id");
        item.optionalString("status");
        if (callId.isBlank()) {
            throw item.invalid("call_id", "must not be blank");
        }
        JsonNode parsed;
        try {
            parsed = arguments.isBlank() ? Responses.JSON.createObjectNode() : Responses.JSON.readTree(arguments);
        } catch (JacksonException e) {
            throw item.invalid("arguments", "must be a JSON text: " + e.getOriginalMessage());
        }
        toolNamesById.put(callId, name);
        AssistantToolCall call = new AssistantToolCall(callId, name, parsed);
        // a call joins the assistant turn right before it (its text and earlier calls of the same turn)
        if (!messages.isEmpty() && messages.getLast() instanceof Message.Assistant a) {
            List<AssistantPart> parts = new ArrayList<>(a.parts());
            parts.add(call);
            messages.set(messages.size() - 1, new Message.Assistant(parts));
        } else {
            messages.add(new Message.Assistant("", List.of(call)));
        }
    }

    private static void functionCallOutput(
            JsonFieldReader item, List<Message> messages, Map<String, String> toolNamesById) {
        item.allowOnly(FUNCTION_CALL_OUTPUT);
        String callId = item.requiredString("call_id");
        String name = toolNamesById.get(callId);
        if (name == null) {
            throw item.invalid(
                    "call_id",
                    "'" + callId + "' answers no function_call of an earlier item; a function_call_output must "
                            + "follow the function_call it answers (sent as an item, an item_reference or in the "
                            + "previous response)");
        }
        messages.add(Message.toolResult(callId, name, text(item.required("output"), INPUT_TEXT, "input_text")));
    }

    private static Set<String> readTools(JsonFieldReader body, ChatRequest.Builder b, ObjectNode echo) {
        Set<String> names = new LinkedHashSet<>();
        var tools = echo.putArray("tools");
        for (JsonFieldValue element : body.optionalArray("tools", "an array").orElse(List.of())) {
            JsonFieldReader tool = element.asObject();
            String type = tool.requiredString("type");
            if (!type.equals("function")) {
                throw tool.invalid(
                        "type",
                        "only 'function' tools are supported; the built-in tool '" + type
                                + "' is not available through this gateway");
            }
            tool.allowOnly(FUNCTION_TOOL);
            b.tool(ChatRequestRules.tool(tool, names, t -> {
                t.optionalBoolean("strict", false); // accepted, not used
                t.optionalBoolean("defer_loading", false);
                return t.optionalObject("parameters").map(JsonFieldReader::node);
            }));
            tools.add(tool.node());
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
                            + "{\"type\":\"function\",\"name\":…}; got '" + value.asString() + "'");
            };
        }
        JsonFieldReader choice = value.asObject("a string or an object");
        String type = choice.requiredString("type");
        if (!type.equals("function")) {
            throw choice.invalid("type", "only {\"type\":\"function\",\"name\":…} is supported; got '" + type + "'");
        }
        String name = choice.allowOnly(Set.of("type", "name")).requiredString("name");
        if (!toolNames.contains(name)) {
            throw choice.invalid(
                    "name",
                    "'" + name + "' is not among the tools"
                            + (toolNames.isEmpty() ? "" : " (" + String.join(", ", toolNames) + ")"));
        }
        return ToolChoice.tool(name);
    }

    private static void readReasoning(JsonFieldReader body, ChatRequest.Builder b, ObjectNode echo) {
        Optional<JsonFieldReader> reasoning = body.optionalObject("reasoning");
        echo.set(
                "reasoning",
                reasoning
                        .map(JsonFieldReader::node)
                        .orElse(Responses.JSON.getNodeFactory().nullNode()));
        if (reasoning.isEmpty()) {
            return;
        }
        JsonFieldReader r = reasoning.get().allowOnly(REASONING);
        for (String summary : List.of("summary", "generate_summary")) {
            r.optional(summary).ifPresent(v -> {
                String s = v.asString();
                if (!Set.of("auto", "concise", "detailed").contains(s)) {
                    throw v.invalid("must be one of auto, concise, detailed; got '" + s + "'");
                }
            });
        }
        r.optionalString("context");
        r.optionalString("mode");
        r.optional("effort").ifPresent(value -> {
            String effort = value.asString();
            switch (effort) {
                case "none" -> {} // no reasoning asked for: the request says nothing
                case "minimal", "low", "medium", "high" ->
                    b.reasoning(Reasoning.effort(Reasoning.Effort.valueOf(effort.toUpperCase(Locale.ROOT))));
                default -> throw value.invalid("must be one of none, minimal, low, medium, high; got '" + effort + "'");
            }
        });
    }

    private static void readText(JsonFieldReader body, ChatRequest.Builder b, ObjectNode echo) {
        Optional<JsonFieldReader> text = body.optionalObject("text");
        ObjectNode echoed = text.map(t -> (ObjectNode) t.node().deepCopy()).orElseGet(Responses.JSON::createObjectNode);
        if (!echoed.has("format")) {
            echoed.putObject("format").put("type", "text");
        }
        echo.set("text", echoed);
        if (text.isEmpty()) {
            return;
        }
        JsonFieldReader t = text.get().allowOnly(TEXT);
        t.optional("verbosity").ifPresent(v -> {
            String verbosity = v.asString();
            if (!Set.of("low", "medium", "high").contains(verbosity)) {
                throw v.invalid("must be one of low, medium, high; got '" + verbosity + "'");
            }
            b.providerOption("verbosity", v.node());
        });
        t.optionalObject("format").ifPresent(format -> {
            String type = format.requiredString("type");
            switch (type) {
                case "text" -> format.allowOnly(Set.of("type"));
                case "json_object" -> {
                    format.allowOnly(Set.of("type"));
                    b.providerOption("response_format", format.node());
                }
                case "json_schema" -> {
                    format.allowOnly(Set.of("type", "name", "schema", "description", "strict"));
                    String name = format.requiredString("name");
                    JsonFieldReader schema = format.requiredObject("schema");
                    ObjectNode chat = Responses.JSON.createObjectNode().put("type", "json_schema");
                    ObjectNode jsonSchema = chat.putObject("json_schema").put("name", name);
                    format.optionalString("description").ifPresent(d -> jsonSchema.put("description", d));
                    jsonSchema.set("schema", schema.node());
                    format.optional("strict").ifPresent(s -> jsonSchema.put("strict", s.asBoolean()));
                    b.providerOption("response_format", chat);
                }
                default ->
                    throw format.invalid("type", "must be one of text, json_schema, json_object; got '" + type + "'");
            }
        });
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** {@code value}, or JSON {@code null} when absent. */
    private static JsonNode orNull(Optional<JsonFieldValue> value) {
        return value.map(JsonFieldValue::node)
                .orElse(Responses.JSON.getNodeFactory().nullNode());
    }

    private static OpenAiError.Failure failure(JsonFieldException e) {
        return OpenAiFieldErrors.failure(
                e,
                unknown -> unknown.allowed().equals(TOP_LEVEL)
                        ? OpenAiError.invalid(
                                unknown.path(), "unknown_parameter", "Unknown parameter: '" + unknown.path() + "'.")
                        : OpenAiError.invalid(
                                unknown.path(),
                                "unknown_parameter",
                                "Unknown parameter: '" + unknown.path() + "'; expected one of "
                                        + String.join(", ", unknown.allowed()) + "."));
    }
}
