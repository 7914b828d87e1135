package io.aistream.server.anthropic;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A Messages API request body ({@code POST /v1/messages}, or {@code /v1/messages/count_tokens}),
 * read strictly into a {@link ChatRequest}. Every refusal is a 400 {@code invalid_request_error} whose
 * message starts with the path of the offending value, e.g. {@code messages[2].content[0].type: …}.
 *
 * <p><b>Mapping.</b>
 * <ul>
 *   <li>{@code system}: a string or {@code text} blocks (joined by a blank line); {@code max_tokens}
 *       (required, except for count_tokens) → the output limit; {@code stop_sequences};
 *       {@code temperature} (0 to 1, as Anthropic); {@code top_p}; {@code stream}.</li>
 *   <li>{@code messages}: {@code user} and {@code assistant}, content a string or blocks. User:
 *       {@code text}, {@code image} (source {@code base64} or {@code url}), {@code tool_result}
 *       ({@code tool_use_id} of an earlier {@code tool_use}, content a string or {@code text} blocks,
 *       {@code is_error}) — the results become tool messages ahead of the turn's other content.
 *       Assistant: {@code text}, {@code tool_use} ({@code id}, {@code name}, {@code input} object),
 *       {@code thinking} ({@code thinking}, {@code signature}) and {@code redacted_thinking}
 *       ({@code data}), kept in their order as the turn's parts, with {@code anthropic} state (a
 *       thinking block with an empty signature is reasoning text without state); each provider's
 *       request mapping sends back what it accepts (the Claude platforms: the signed blocks).
 *       {@code cache_control} and {@code citations} are accepted and ignored everywhere.</li>
 *   <li>{@code tools}: custom tools {@code {name, description, input_schema}} ({@code type: "custom"}
 *       and {@code strict} accepted); {@code tool_choice}: {@code auto | any | tool (name) | none}
 *       ({@code disable_parallel_tool_use} accepted; no provider-neutral equivalent, so ignored).</li>
 *   <li>{@code thinking}: {@code {type: enabled, budget_tokens}} → a reasoning budget (at least 1024
 *       and below {@code max_tokens}, as Anthropic); {@code {type: disabled}} → none;
 *       {@code {type: adaptive}} → medium effort; {@code display} is accepted and ignored.</li>
 *   <li>{@code top_k} has no provider-neutral equivalent: it is passed to the provider as the provider
 *       option {@code top_k}, which an Anthropic upstream honours and another provider refuses, naming
 *       it. The aistream extension {@code provider_options} (an object) adds provider options of any
 *       name (e.g. the simulated provider's {@code seed}).</li>
 *   <li>{@code metadata}: {@code {user_id}}, checked and advisory (see {@link #advisory}).</li>
 * </ul>
 *
 * <p><b>Refused with a 400 naming them:</b> {@code document}, {@code search_result} and server-tool
 * blocks; images in tool results; server tools ({@code web_search_*}, {@code bash_*},
 * {@code text_editor_*}, {@code computer_*}, code execution, …); {@code service_tier},
 * {@code container}, {@code mcp_servers}, {@code context_management}; and any field Anthropic's API
 * does not have ("Extra inputs are not permitted", as Anthropic answers). A JSON {@code null} counts as
 * absent.
 *
 * @param model   the {@code model} text as given ({@code provider/model}, an alias or a chain)
 * @param request the request, without a model (the endpoint resolves {@code model})
 * @param stream  whether the answer is streamed
 */
record MessagesRequest(String model, ChatRequest request, boolean stream) {
    /** Anthropic's documented minimum thinking budget. */
    static final int MIN_THINKING_BUDGET = 1024;

    /** Anthropic parameters this gateway cannot honour: refused by name rather than as unknown. */
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "service_tier", "the gateway chooses no service tier",
            "container", "code-execution containers are a server tool of Anthropic's",
            "mcp_servers", "the MCP connector is a server tool of Anthropic's",
            "context_management", "context editing needs server-side state");

    private static final Set<String> TOP_LEVEL = Set.of(
            "model",
            "max_tokens",
            "messages",
            "system",
            "tools",
            "tool_choice",
            "temperature",
            "top_p",
            "top_k",
            "stop_sequences",
            "stream",
            "metadata",
            "thinking",
            "provider_options",
            "service_tier",
            "container",
            "mcp_servers",
            "context_management");

    private static final Set<String> MESSAGE = Set.of("role", "content");
    private static final Set<String> TEXT_BLOCK = Set.of("type", "text", "cache_control", "citations");
    private static final Set<String> IMAGE_BLOCK = Set.of("type", "source", "cache_control");
    private static final Set<String> TOOL_USE_BLOCK = Set.of("type", "id", "name", "input", "cache_control", "caller");
    private static final Set<String> TOOL_RESULT_BLOCK =
            Set.of("type", "tool_use_id", "content", "is_error", "cache_control");
    private static final Set<String> THINKING_BLOCK = Set.of("type", "thinking", "signature");
    private static final Set<String> REDACTED_THINKING_BLOCK = Set.of("type", "data");
    private static final Set<String> TOOL =
            Set.of("type", "name", "description", "input_schema", "cache_control", "strict", "eager_input_streaming");
    private static final Set<String> TOOL_CHOICE = Set.of("type", "name", "disable_parallel_tool_use");
    private static final Set<String> CACHE_CONTROL = Set.of("type", "ttl");
    /** Block types of Anthropic's that this gateway cannot carry to every provider. */
    private static final Set<String> UNSUPPORTED_BLOCKS = Set.of(
            "document",
            "search_result",
            "server_tool_use",
            "web_search_tool_result",
            "web_fetch_tool_result",
            "code_execution_tool_result",
            "bash_code_execution_tool_result",
            "text_editor_code_execution_tool_result",
            "tool_search_tool_result",
            "mcp_tool_use",
            "mcp_tool_result",
            "container_upload");

    /** Which endpoint the body is for. */
    enum Kind {
        /** {@code POST /v1/messages}: {@code max_tokens} required. */
        MESSAGES,
        /** {@code POST /v1/messages/count_tokens}: {@code max_tokens} optional. */
        COUNT_TOKENS
    }

    /**
     * Reads a parsed body.
     *
     * @throws AnthropicError.Failure a 400 naming the field when the body is not a valid request
     */
    static MessagesRequest parse(JsonNode body, Kind kind) {
        try {
            return read(JsonFieldReader.root(body, "the request body"), kind);
        } catch (JsonFieldException e) {
            throw failure(e);
        }
    }

    private static MessagesRequest read(JsonFieldReader body, Kind kind) {
        body.allowOnly(TOP_LEVEL);
        for (Map.Entry<String, String> u : UNSUPPORTED.entrySet()) {
            if (body.has(u.getKey())) {
                throw body.invalid(u.getKey(), "is not supported by this gateway (" + u.getValue() + ")");
            }
        }
        String model = body.requiredString("model");
        if (model.isBlank()) {
            throw body.invalid("model", "must name a model, e.g. \"simulated/echo\"");
        }
        ChatRequest.Builder b = ChatRequest.builder();
        int maxTokens;
        if (kind == Kind.MESSAGES || body.has("max_tokens")) {
            maxTokens = body.required("max_tokens").asInt(1, Integer.MAX_VALUE);
            b.maxOutputTokens(maxTokens);
        } else {
            maxTokens = Integer.MAX_VALUE;
        }
        body.optional("system").ifPresent(system -> b.system(text(system, "a string or an array of text blocks")));
        readMessages(body, b);
        Set<String> toolNames = readTools(body, b);
        body.optionalObject("tool_choice").ifPresent(choice -> toolChoice(choice, toolNames, b));
        body.optionalNumber("temperature").ifPresent(t -> {
            if (!(t >= 0 && t <= 1)) {
                throw body.invalid("temperature", "must be between 0 and 1");
            }
            b.temperature(t);
        });
        ChatRequestRules.topP(body, "top_p", b);
        body.optional("top_k").ifPresent(k -> {
            k.asInt(1, Integer.MAX_VALUE);
            b.providerOption("top_k", k.node());
        });
        for (JsonFieldValue stop :
                body.optionalArray("stop_sequences", "an array of strings").orElse(List.of())) {
            b.stopSequence(stop.asString());
        }
        boolean stream = body.optionalBoolean("stream", false);
        body.optionalObject("metadata").ifPresent(metadata -> advisory(metadata, b));
        body.optionalObject("thinking").ifPresent(thinking -> thinking(thinking, maxTokens, b));
        body.optionalObject("provider_options").ifPresent(providerOptions -> {
            for (Map.Entry<String, JsonNode> e : providerOptions.node().properties()) {
                b.providerOption(e.getKey(), e.getValue());
            }
        });
        try {
            return new MessagesRequest(model, b.build(), stream);
        } catch (IllegalArgumentException e) {
            // every rule of ChatRequest is checked above; this is a safety net, still the input's fault
            throw AnthropicError.invalid(e.getMessage()).failure();
        }
    }

    /**
     * {@code metadata: {user_id}}: handed on as the portable option {@code user} (it changes no answer).
     * {@code PortableOptions} decides per wire: an Anthropic upstream gets it back as
     * {@code metadata.user_id}, an OpenAI one as {@code user}, the others drop it.
     */
    private static void advisory(JsonFieldReader metadata, ChatRequest.Builder b) {
        metadata.allowOnly(Set.of("user_id"));
        metadata.optionalString("user_id")
                .ifPresent(id -> b.providerOption("user", JsonNodeFactory.instance.stringNode(id)));
    }

    private static void thinking(JsonFieldReader thinking, int maxTokens, ChatRequest.Builder b) {
        String type = thinking.requiredString("type");
        switch (type) {
            case "enabled" -> {
                thinking.allowOnly(Set.of("type", "budget_tokens", "display"));
                thinking.optionalString("display"); // how Anthropic shows thinking; nothing to choose here
                JsonFieldValue budget = thinking.required("budget_tokens");
                int tokens = budget.asInt(MIN_THINKING_BUDGET, Integer.MAX_VALUE);
                if (tokens >= maxTokens) {
                    throw budget.invalid("must be less than max_tokens (" + maxTokens + ")");
                }
                b.reasoning(Reasoning.budget(tokens));
            }
            case "disabled" -> thinking.allowOnly(Set.of("type"));
            case "adaptive" -> {
                thinking.allowOnly(Set.of("type", "display"));
                thinking.optionalString("display");
                b.reasoning(Reasoning.effort(Reasoning.Effort.MEDIUM));
            }
            default ->
                throw thinking.invalid("type", "must be 'enabled', 'disabled' or 'adaptive'; got '" + type + "'");
        }
    }

    private static void readMessages(JsonFieldReader body, ChatRequest.Builder b) {
        List<JsonFieldValue> messages = body.requiredArray("messages", "an array of messages");
        if (messages.isEmpty()) {
            throw body.invalid("messages", "must hold at least one message");
        }
        Map<String, String> toolNamesById = new HashMap<>();
        for (JsonFieldValue element : messages) {
            JsonFieldReader m = element.asObject().allowOnly(MESSAGE);
            String role = m.requiredString("role");
            JsonFieldValue content = m.required("content");
            switch (role) {
                case "user" -> user(content, toolNamesById, b);
                case "assistant" -> assistant(content, toolNamesById, b);
                default -> throw m.invalid("role", "must be 'user' or 'assistant'; got '" + role + "'");
            }
        }
    }

    private static void user(JsonFieldValue content, Map<String, String> toolNamesById, ChatRequest.Builder b) {
        if (content.isString()) {
            b.message(Message.user(content.asString()));
            return;
        }
        List<ContentPart> parts = new ArrayList<>();
        List<Message.Tool> results = new ArrayList<>();
        for (JsonFieldValue element : content.asArray("a string or an array of content blocks")) {
            JsonFieldReader block = element.asObject();
            String type = block.requiredString("type");
            switch (type) {
                case "text" -> parts.add(new ContentPart.Text(textBlock(block)));
                case "image" -> parts.add(image(block.allowOnly(IMAGE_BLOCK)));
                case "tool_result" -> results.add(toolResult(block, toolNamesById));
                default -> throw unsupportedBlock(block, type, "text, image, tool_result");
            }
        }
        if (parts.isEmpty() && results.isEmpty()) {
            throw content.invalid("must hold at least one content block");
        }
        results.forEach(b::message);
        if (!parts.isEmpty()) {
            b.message(new Message.User(parts));
        }
    }

    private static void assistant(JsonFieldValue content, Map<String, String> toolNamesById, ChatRequest.Builder b) {
        if (content.isString()) {
            b.message(Message.assistant(content.asString()));
            return;
        }
        // the blocks in order: the signed thinking must go back exactly where the model produced it
        List<AssistantPart> parts = new ArrayList<>();
        for (JsonFieldValue element : content.asArray("a string or an array of content blocks")) {
            JsonFieldReader block = element.asObject();
            String type = block.requiredString("type");
            switch (type) {
                case "text" -> {
                    String text = textBlock(block);
                    if (!parts.isEmpty() && parts.getLast() instanceof AssistantPart.Text previous) {
                        parts.set(parts.size() - 1, new AssistantPart.Text(previous.text() + text));
                    } else {
                        parts.add(new AssistantPart.Text(text));
                    }
                }
                case "tool_use" -> {
                    block.allowOnly(TOOL_USE_BLOCK);
                    cacheControl(block);
                    String id = block.requiredString("id");
                    String name = block.requiredString("name");
                    JsonNode input = block.requiredObject("input").node();
                    if (toolNamesById.putIfAbsent(id, name) != null) {
                        throw block.invalid("id", "'" + id + "' is already the id of an earlier tool_use block");
                    }
                    parts.add(new AssistantToolCall(id, name, input));
                }
                case "thinking" -> {
                    block.allowOnly(THINKING_BLOCK);
                    String thinking = block.requiredString("thinking");
                    // a block without signature (this gateway's answer from a provider that signs nothing)
                    // is reasoning text alone: mappers that need a signature leave it out
                    Optional<ReasoningState> state = block.optionalString("signature")
                            .filter(signature -> !signature.isEmpty())
                            .map(signature -> ReasoningState.signature(ReasoningState.ANTHROPIC, signature));
                    parts.add(new AssistantPart.Reasoning(thinking, state));
                }
                case "redacted_thinking" -> {
                    String data = block.allowOnly(REDACTED_THINKING_BLOCK).requiredString("data");
                    if (data.isEmpty()) {
                        throw block.invalid("data", "must not be empty");
                    }
                    parts.add(new AssistantPart.Reasoning(
                            "", Optional.of(ReasoningState.redacted(ReasoningState.ANTHROPIC, data))));
                }
                default -> throw unsupportedBlock(block, type, "text, tool_use, thinking, redacted_thinking");
            }
        }
        b.message(new Message.Assistant(parts));
    }

    private static String textBlock(JsonFieldReader block) {
        block.allowOnly(TEXT_BLOCK);
        cacheControl(block);
        return block.requiredString("text");
    }

    private static void cacheControl(JsonFieldReader block) {
        // accepted and ignored: prompt caching is Anthropic's own; its shape is still checked
        block.optionalObject("cache_control").ifPresent(c -> c.allowOnly(CACHE_CONTROL));
    }

    private static ContentPart image(JsonFieldReader block) {
        cacheControl(block);
        JsonFieldReader source = block.requiredObject("source");
        String type = source.requiredString("type");
        return switch (type) {
            case "base64" -> {
                source.allowOnly(Set.of("type", "media_type", "data"));
                String mediaType = source.requiredString("media_type");
                String data = source.requiredString("data");
                if (mediaType.isBlank()) {
                    throw source.invalid("media_type", "must not be blank");
                }
                if (data.isEmpty()) {
                    throw source.invalid("data", "must not be empty");
                }
                yield ContentPart.Image.base64(mediaType, data);
            }
            case "url" -> {
                source.allowOnly(Set.of("type", "url"));
                String url = source.requiredString("url");
                if (url.isBlank()) {
                    throw source.invalid("url", "must not be blank");
                }
                yield ContentPart.Image.url(url);
            }
            default ->
                throw source.invalid(
                        "type", "must be 'base64' or 'url'; got '" + type + "' (the Files API is not supported)");
        };
    }

    private static Message.Tool toolResult(JsonFieldReader block, Map<String, String> toolNamesById) {
        block.allowOnly(TOOL_RESULT_BLOCK);
        cacheControl(block);
        String id = block.requiredString("tool_use_id");
        String name = toolNamesById.get(id);
        if (name == null) {
            throw block.invalid(
                    "tool_use_id", "'" + id + "' answers no tool_use block of an earlier assistant message");
        }
        String content = block.optional("content")
                .map(c -> text(c, "a string or an array of text blocks"))
                .orElse("");
        return new Message.Tool(id, name, content, block.optionalBoolean("is_error", false));
    }

    /** Text content: a string, or {@code text} blocks joined by a blank line. */
    private static String text(JsonFieldValue content, String expected) {
        if (content.isString()) {
            return content.asString();
        }
        List<String> texts = new ArrayList<>();
        for (JsonFieldValue element : content.asArray(expected)) {
            JsonFieldReader block = element.asObject();
            String type = block.requiredString("type");
            if (!type.equals("text")) {
                throw block.invalid(
                        "type",
                        "only text blocks are allowed here; got '" + type + "'"
                                + (type.equals("image")
                                        ? " (images in tool results and system prompts are not supported)"
                                        : ""));
            }
            texts.add(textBlock(block));
        }
        return String.join("\n\n", texts);
    }

    private static JsonFieldException unsupportedBlock(JsonFieldReader block, String type, String allowed) {
        if (UNSUPPORTED_BLOCKS.contains(type)) {
            return block.invalid(
                    "type",
                    "'" + type + "' blocks are not supported by this gateway (it serves every provider; "
                            + "supported here: " + allowed + ")");
        }
        return block.invalid("type", "must be one of " + allowed + "; got '" + type + "'");
    }

    private static Set<String> readTools(JsonFieldReader body, ChatRequest.Builder b) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonFieldValue element : body.optionalArray("tools", "an array").orElse(List.of())) {
            JsonFieldReader tool = element.asObject();
            String type = tool.optionalString("type").orElse("custom");
            if (!type.equals("custom")) {
                throw tool.invalid(
                        "type",
                        "server tool '" + type + "'"
                                + tool.optionalString("name")
                                        .map(n -> " (" + n + ")")
                                        .orElse("")
                                + " is not supported by this gateway: only custom tools"
                                + " ({name, description, input_schema}) are");
            }
            tool.allowOnly(TOOL);
            cacheControl(tool);
            tool.optionalBoolean("strict", false); // accepted, not used
            // @ai-sdk/anthropic sends it on every tool; input deltas stream as they come here anyway
            tool.optionalBoolean("eager_input_streaming", false);
            b.tool(ChatRequestRules.tool(tool, names, t -> {
                JsonFieldReader schema = t.requiredObject("input_schema");
                return java.util.Optional.of(schema.node());
            }));
        }
        return names;
    }

    private static void toolChoice(JsonFieldReader choice, Set<String> toolNames, ChatRequest.Builder b) {
        choice.allowOnly(TOOL_CHOICE);
        choice.optionalBoolean("disable_parallel_tool_use", false); // no provider-neutral equivalent
        String type = choice.requiredString("type");
        if (!type.equals("tool") && choice.has("name")) {
            throw choice.invalid("name", "is only allowed with type 'tool'");
        }
        switch (type) {
            case "auto" -> b.toolChoice(ToolChoice.AUTO);
            case "none" -> b.toolChoice(ToolChoice.NONE);
            case "any" -> {
                if (toolNames.isEmpty()) {
                    throw choice.invalid("type", "'any' needs 'tools'");
                }
                b.toolChoice(ToolChoice.REQUIRED);
            }
            case "tool" -> {
                String name = choice.requiredString("name");
                if (!toolNames.contains(name)) {
                    throw choice.invalid(
                            "name",
                            "'" + name + "' is not among the tools"
                                    + (toolNames.isEmpty() ? "" : " (" + String.join(", ", toolNames) + ")"));
                }
                b.toolChoice(ToolChoice.tool(name));
            }
            default -> throw choice.invalid("type", "must be one of auto, any, tool, none; got '" + type + "'");
        }
    }

    /**
     * A field error as Anthropic words it: the path, a colon, the problem; a field that has no place in
     * the request is "Extra inputs are not permitted", as Anthropic says, with what is allowed there.
     */
    private static AnthropicError.Failure failure(JsonFieldException e) {
        String message = switch (e.reason()) {
            case UNKNOWN_FIELD ->
                e.path() + ": Extra inputs are not permitted (expected one of " + String.join(", ", e.allowed()) + ")";
            case MISSING -> e.path() + ": Field required";
            default -> e.getMessage();
        };
        return AnthropicError.invalid(message).failure();
    }
}
