package io.aistream.request;

import io.aistream.chunk.ReasoningState;
import io.aistream.json.JsonFieldException;
import io.aistream.json.JsonFieldReader;
import io.aistream.json.JsonFieldValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads the native JSON shape (see {@link ChatRequestJson}) into a {@link ChatRequest}; one use.
 * Field access and error wording come from {@link JsonFieldReader}; its errors become
 * {@link InvalidRequestException}s with the same path and problem.
 */
final class ChatRequestReader {
    private static final Set<String> TOP_LEVEL = Set.of(
            "model",
            "system",
            "messages",
            "tools",
            "toolChoice",
            "temperature",
            "topP",
            "maxOutputTokens",
            "stop",
            "reasoning",
            "providerOptions");
    private static final Set<String> USER = Set.of("role", "content");
    private static final Set<String> ASSISTANT = Set.of("role", "content", "toolCalls", "parts");
    private static final Set<String> TOOL = Set.of("role", "toolCallId", "name", "content", "isError");
    private static final Set<String> TOOL_CALL = Set.of("id", "name", "arguments", "state");
    private static final Set<String> ASSISTANT_TEXT = Set.of("type", "text", "state");
    private static final Set<String> ASSISTANT_TOOL_CALL = Set.of("type", "id", "name", "arguments", "state");
    private static final Set<String> STATE = Set.of("source", "signature", "redacted", "itemId", "encryptedContent");
    private static final Set<String> TEXT_PART = Set.of("type", "text");
    private static final Set<String> IMAGE_PART = Set.of("type", "url", "mediaType", "data");
    private static final Set<String> TOOL_DEFINITION = Set.of("name", "description", "parameters");
    private static final Set<String> TOOL_CHOICE = Set.of("tool");
    private static final Set<String> REASONING = Set.of("effort", "budgetTokens");
    private static final String TOOL_CHOICES = "'auto', 'none', 'required' or {\"tool\": \"<name>\"}";

    private final Set<String> topLevel;

    ChatRequestReader(Set<String> extraFields) {
        Set<String> all = new HashSet<>(TOP_LEVEL);
        all.addAll(extraFields);
        this.topLevel = all;
    }

    ChatRequest read(JsonNode body) {
        try {
            return read(JsonFieldReader.root(body, "the body"));
        } catch (JsonFieldException e) {
            throw new InvalidRequestException(e.path(), e.problem(), e);
        }
    }

    private ChatRequest read(JsonFieldReader body) {
        body.allowOnly(topLevel);
        ChatRequest.Builder b = ChatRequest.builder();
        body.optionalString("model").ifPresent(model -> {
            if (model.isBlank()) {
                throw body.invalid("model", "must not be blank");
            }
            b.model(model);
        });
        body.optionalString("system").ifPresent(b::system);
        List<JsonFieldValue> messages = body.requiredArray("messages", "an array of messages");
        if (messages.isEmpty()) {
            throw body.invalid("messages", "must hold at least one message");
        }
        for (JsonFieldValue message : messages) {
            b.message(message(message.asObject()));
        }
        Set<String> toolNames = readTools(body, b);
        body.optional("toolChoice").ifPresent(node -> b.toolChoice(toolChoice(node, toolNames)));
        ChatRequestRules.temperature(body, "temperature", b);
        ChatRequestRules.topP(body, "topP", b);
        body.optionalInt("maxOutputTokens", 1, Integer.MAX_VALUE).ifPresent(b::maxOutputTokens);
        body.optionalStrings("stop", "an array of strings").forEach(b::stopSequence);
        body.optionalObject("reasoning").ifPresent(r -> b.reasoning(reasoning(r)));
        body.optionalObject("providerOptions").ifPresent(options -> {
            for (Map.Entry<String, JsonNode> e : options.node().properties()) {
                b.providerOption(e.getKey(), e.getValue());
            }
        });
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            // every rule of ChatRequest is checked above; this is a safety net, still the input's fault
            throw new InvalidRequestException("", e.getMessage(), e);
        }
    }

    private static Message message(JsonFieldReader message) {
        String role = message.requiredString("role");
        return switch (role) {
            case "user" -> new Message.User(userContent(message.allowOnly(USER)));
            case "assistant" -> {
                message.allowOnly(ASSISTANT);
                Optional<List<JsonFieldValue>> parts = message.optionalArray("parts", "an array of assistant parts");
                if (parts.isPresent()) {
                    if (message.optional("content").isPresent()
                            || message.optional("toolCalls").isPresent()) {
                        throw message.invalid(
                                "parts", "takes the place of 'content' and 'toolCalls'; send one form or the other");
                    }
                    yield new Message.Assistant(assistantParts(parts.get()));
                }
                String text = message.optionalString("content").orElse("");
                yield new Message.Assistant(text, toolCalls(message));
            }
            case "tool" -> {
                message.allowOnly(TOOL);
                String callId = message.requiredString("toolCallId");
                String name = message.requiredString("name");
                String content = message.requiredString("content");
                yield new Message.Tool(callId, name, content, message.optionalBoolean("isError", false));
            }
            case "system" ->
                throw message.invalid(
                        "role",
                        "'system' is not a message role here; put the system prompt in the top-level 'system' field");
            default -> throw message.invalid("role", "must be one of user, assistant, tool; found '" + role + "'");
        };
    }

    private static List<ContentPart> userContent(JsonFieldReader message) {
        JsonFieldValue content = message.required("content");
        if (content.isString()) {
            return List.of(new ContentPart.Text(content.asString()));
        }
        List<JsonFieldValue> array = content.asArray("a string or an array of content parts");
        if (array.isEmpty()) {
            throw content.invalid("must hold at least one part");
        }
        List<ContentPart> parts = new ArrayList<>(array.size());
        for (JsonFieldValue part : array) {
            parts.add(part(part.asObject()));
        }
        return parts;
    }

    private static ContentPart part(JsonFieldReader part) {
        String type = part.requiredString("type");
        switch (type) {
            case "text" -> {
                return new ContentPart.Text(part.allowOnly(TEXT_PART).requiredString("text"));
            }
            case "image" -> {
                part.allowOnly(IMAGE_PART);
                Optional<String> url = part.optionalString("url");
                Optional<String> data = part.optionalString("data");
                Optional<String> mediaType = part.optionalString("mediaType");
                if (url.isPresent() == data.isPresent()) {
                    throw part.invalid("an image part takes either 'url' or 'data' (with 'mediaType')");
                }
                if (url.isPresent()) {
                    if (url.get().isBlank()) {
                        throw part.invalid("url", "must not be blank");
                    }
                    return new ContentPart.Image(new ContentPart.ImageSource.Url(url.get()), mediaType.orElse(""));
                }
                if (mediaType.isEmpty() || mediaType.get().isBlank()) {
                    throw part.invalid("mediaType", "is required for inline image data");
                }
                String base64 = data.get();
                if (base64.isEmpty()) {
                    throw part.invalid("data", "must not be empty");
                }
                if (!isBase64(base64)) {
                    throw part.invalid("data", "must be base64 (without a data: prefix)");
                }
                return ContentPart.Image.base64(mediaType.get(), base64);
            }
            default -> throw part.invalid("type", "must be 'text' or 'image'; found '" + type + "'");
        }
    }

    private static List<AssistantToolCall> toolCalls(JsonFieldReader message) {
        List<AssistantToolCall> result = new ArrayList<>();
        for (JsonFieldValue element :
                message.optionalArray("toolCalls", "an array of tool calls").orElse(List.of())) {
            result.add(toolCall(element.asObject().allowOnly(TOOL_CALL)));
        }
        return result;
    }

    private static AssistantToolCall toolCall(JsonFieldReader call) {
        String id = call.requiredString("id");
        String name = call.requiredString("name");
        JsonNode arguments =
                call.required("arguments").asObject("a JSON object").node();
        return new AssistantToolCall(id, name, arguments, state(call));
    }

    private static List<AssistantPart> assistantParts(List<JsonFieldValue> elements) {
        List<AssistantPart> parts = new ArrayList<>(elements.size());
        for (JsonFieldValue element : elements) {
            JsonFieldReader part = element.asObject();
            String type = part.requiredString("type");
            parts.add(
                    switch (type) {
                        case "reasoning" -> {
                            part.allowOnly(ASSISTANT_TEXT);
                            yield new AssistantPart.Reasoning(
                                    part.optionalString("text").orElse(""), state(part));
                        }
                        case "text" -> {
                            part.allowOnly(ASSISTANT_TEXT);
                            yield new AssistantPart.Text(part.requiredString("text"), state(part));
                        }
                        case "tool_call" -> toolCall(part.allowOnly(ASSISTANT_TOOL_CALL));
                        default ->
                            throw part.invalid(
                                    "type", "must be 'reasoning', 'text' or 'tool_call'; found '" + type + "'");
                    });
        }
        return parts;
    }

    private static Optional<ReasoningState> state(JsonFieldReader owner) {
        Optional<JsonFieldReader> state = owner.optionalObject("state");
        if (state.isEmpty()) {
            return Optional.empty();
        }
        JsonFieldReader st = state.get().allowOnly(STATE);
        String source = st.requiredString("source");
        if (source.isBlank()) {
            throw st.invalid("source", "must not be blank");
        }
        ReasoningState result = new ReasoningState(
                source,
                st.optionalString("signature"),
                st.optionalString("redacted"),
                st.optionalString("itemId"),
                st.optionalString("encryptedContent"));
        if (result.signature().isEmpty()
                && result.redacted().isEmpty()
                && result.itemId().isEmpty()
                && result.encryptedContent().isEmpty()) {
            throw st.invalid("needs one of 'signature', 'redacted', 'itemId', 'encryptedContent'");
        }
        return Optional.of(result);
    }

    private static Set<String> readTools(JsonFieldReader body, ChatRequest.Builder b) {
        Set<String> names = new HashSet<>();
        for (JsonFieldValue element :
                body.optionalArray("tools", "an array of tools").orElse(List.of())) {
            JsonFieldReader tool = element.asObject().allowOnly(TOOL_DEFINITION);
            b.tool(ChatRequestRules.tool(
                    tool,
                    names,
                    t -> t.optional("parameters")
                            .map(p -> p.asObject("a JSON Schema object").node())));
        }
        return names;
    }

    private static ToolChoice toolChoice(JsonFieldValue value, Set<String> toolNames) {
        if (value.isString()) {
            return switch (value.asString()) {
                case "auto" -> ToolChoice.AUTO;
                case "none" -> ToolChoice.NONE;
                case "required" -> ToolChoice.REQUIRED;
                default -> throw value.invalid("must be " + TOOL_CHOICES + "; found '" + value.asString() + "'");
            };
        }
        JsonFieldReader choice = value.asObject(TOOL_CHOICES).allowOnly(TOOL_CHOICE);
        String name = choice.requiredString("tool");
        if (!toolNames.contains(name)) {
            throw choice.invalid("tool", "names '" + name + "', which is not among the tools");
        }
        return ToolChoice.tool(name);
    }

    private static Reasoning reasoning(JsonFieldReader reasoning) {
        reasoning.allowOnly(REASONING);
        Optional<JsonFieldValue> effort = reasoning.optional("effort");
        Optional<JsonFieldValue> budget = reasoning.optional("budgetTokens");
        if (effort.isPresent() == budget.isPresent()) {
            throw reasoning.invalid("takes either 'effort' or 'budgetTokens'");
        }
        if (effort.isPresent()) {
            String wanted = effort.get().asString();
            for (Reasoning.Effort level : Reasoning.Effort.values()) {
                if (level.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                    return Reasoning.effort(level);
                }
            }
            throw effort.get().invalid("must be one of minimal, low, medium, high; found '" + wanted + "'");
        }
        return Reasoning.budget(budget.get().asInt(1, Integer.MAX_VALUE));
    }

    private static boolean isBase64(String s) {
        int n = s.length();
        int i = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '+'
                    || c == '/'
                    || c == '-'
                    || c == '_';
            if (!ok) {
                break;
            }
        }
        int padding = n - i;
        if (padding > 2) {
            return false;
        }
        for (; i < n; i++) {
            if (s.charAt(i) != '=') {
                return false;
            }
        }
        return true;
    }
}
