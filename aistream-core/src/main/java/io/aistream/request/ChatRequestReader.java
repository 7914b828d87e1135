package io.aistream.request;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/** Reads the native JSON shape (see {@link ChatRequestJson}) into a {@link ChatRequest}; one use. */
final class ChatRequestReader {
    private static final Set<String> TOP_LEVEL = Set.of("model", "system", "messages", "tools", "toolChoice",
            "temperature", "topP", "maxOutputTokens", "stop", "reasoning", "providerOptions");
    private static final Set<String> USER = Set.of("role", "content");
    private static final Set<String> ASSISTANT = Set.of("role", "content", "toolCalls");
    private static final Set<String> TOOL = Set.of("role", "toolCallId", "name", "content", "isError");
    private static final Set<String> TOOL_CALL = Set.of("id", "name", "arguments");
    private static final Set<String> TEXT_PART = Set.of("type", "text");
    private static final Set<String> IMAGE_PART = Set.of("type", "url", "mediaType", "data");
    private static final Set<String> TOOL_DEFINITION = Set.of("name", "description", "parameters");
    private static final Set<String> TOOL_CHOICE = Set.of("tool");
    private static final Set<String> REASONING = Set.of("effort", "budgetTokens");

    private final Set<String> extraFields;

    ChatRequestReader(Set<String> extraFields) {
        this.extraFields = extraFields;
    }

    ChatRequest read(JsonNode body) {
        if (!body.isObject()) {
            throw new InvalidRequestException("", "the body must be a JSON object, found " + kind(body));
        }
        for (String name : body.propertyNames()) {
            if (!TOP_LEVEL.contains(name) && !extraFields.contains(name)) {
                throw unknownField("", name, union(TOP_LEVEL, extraFields));
            }
        }
        ChatRequest.Builder b = ChatRequest.builder();
        optionalString(body, "model", "model").ifPresent(model -> {
            if (model.isBlank()) {
                throw new InvalidRequestException("model", "must not be blank");
            }
            b.model(model);
        });
        optionalString(body, "system", "system").ifPresent(b::system);
        readMessages(body, b);
        Set<String> toolNames = readTools(body, b);
        present(body, "toolChoice").ifPresent(node -> b.toolChoice(toolChoice(node, toolNames)));
        present(body, "temperature").ifPresent(node -> {
            double t = number(node, "temperature");
            if (!(t >= 0 && t <= 2)) {
                throw new InvalidRequestException("temperature", "must be between 0 and 2");
            }
            b.temperature(t);
        });
        present(body, "topP").ifPresent(node -> {
            double p = number(node, "topP");
            if (!(p > 0 && p <= 1)) {
                throw new InvalidRequestException("topP", "must be greater than 0 and at most 1");
            }
            b.topP(p);
        });
        present(body, "maxOutputTokens").ifPresent(node -> b.maxOutputTokens(positiveInt(node, "maxOutputTokens")));
        present(body, "stop").ifPresent(node -> readStop(node, b));
        present(body, "reasoning").ifPresent(node -> b.reasoning(reasoning(node)));
        present(body, "providerOptions").ifPresent(node -> {
            requireObject(node, "providerOptions");
            for (Map.Entry<String, JsonNode> e : node.properties()) {
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

    private void readMessages(JsonNode body, ChatRequest.Builder b) {
        JsonNode messages = present(body, "messages")
                .orElseThrow(() -> new InvalidRequestException("messages", "is required"));
        if (!messages.isArray()) {
            throw mustBe("messages", "an array of messages", messages);
        }
        if (messages.isEmpty()) {
            throw new InvalidRequestException("messages", "must hold at least one message");
        }
        for (int i = 0; i < messages.size(); i++) {
            b.message(message(messages.get(i), "messages[" + i + "]"));
        }
    }

    private static Message message(JsonNode node, String path) {
        requireObject(node, path);
        String role = requiredString(node, "role", path + ".role");
        return switch (role) {
            case "user" -> {
                allowOnly(node, path, USER);
                yield new Message.User(userContent(node, path + ".content"));
            }
            case "assistant" -> {
                allowOnly(node, path, ASSISTANT);
                String text = optionalString(node, "content", path + ".content").orElse("");
                yield new Message.Assistant(text, toolCalls(node, path + ".toolCalls"));
            }
            case "tool" -> {
                allowOnly(node, path, TOOL);
                String callId = requiredString(node, "toolCallId", path + ".toolCallId");
                String name = requiredString(node, "name", path + ".name");
                String content = requiredString(node, "content", path + ".content");
                boolean isError = present(node, "isError").map(v -> bool(v, path + ".isError")).orElse(false);
                yield new Message.Tool(callId, name, content, isError);
            }
            case "system" -> throw new InvalidRequestException(path + ".role",
                    "'system' is not a message role here; put the system prompt in the top-level 'system' field");
            default -> throw new InvalidRequestException(path + ".role",
                    "must be one of user, assistant, tool; found '" + role + "'");
        };
    }

    private static List<ContentPart> userContent(JsonNode message, String path) {
        JsonNode content = present(message, "content")
                .orElseThrow(() -> new InvalidRequestException(path, "is required"));
        if (content.isString()) {
            return List.of(new ContentPart.Text(content.stringValue()));
        }
        if (!content.isArray()) {
            throw mustBe(path, "a string or an array of content parts", content);
        }
        if (content.isEmpty()) {
            throw new InvalidRequestException(path, "must hold at least one part");
        }
        List<ContentPart> parts = new ArrayList<>(content.size());
        for (int i = 0; i < content.size(); i++) {
            parts.add(part(content.get(i), path + "[" + i + "]"));
        }
        return parts;
    }

    private static ContentPart part(JsonNode node, String path) {
        requireObject(node, path);
        String type = requiredString(node, "type", path + ".type");
        switch (type) {
            case "text" -> {
                allowOnly(node, path, TEXT_PART);
                return new ContentPart.Text(requiredString(node, "text", path + ".text"));
            }
            case "image" -> {
                allowOnly(node, path, IMAGE_PART);
                Optional<String> url = optionalString(node, "url", path + ".url");
                Optional<String> data = optionalString(node, "data", path + ".data");
                Optional<String> mediaType = optionalString(node, "mediaType", path + ".mediaType");
                if (url.isPresent() == data.isPresent()) {
                    throw new InvalidRequestException(path, "an image part takes either 'url' or 'data' (with 'mediaType')");
                }
                if (url.isPresent()) {
                    if (url.get().isBlank()) {
                        throw new InvalidRequestException(path + ".url", "must not be blank");
                    }
                    return new ContentPart.Image(new ContentPart.ImageSource.Url(url.get()), mediaType.orElse(""));
                }
                if (mediaType.isEmpty() || mediaType.get().isBlank()) {
                    throw new InvalidRequestException(path + ".mediaType", "is required for inline image data");
                }
                String base64 = data.get();
                if (base64.isEmpty()) {
                    throw new InvalidRequestException(path + ".data", "must not be empty");
                }
                if (!isBase64(base64)) {
                    throw new InvalidRequestException(path + ".data", "must be base64 (without a data: prefix)");
                }
                return ContentPart.Image.base64(mediaType.get(), base64);
            }
            default -> throw new InvalidRequestException(path + ".type",
                    "must be 'text' or 'image'; found '" + type + "'");
        }
    }

    private static List<AssistantToolCall> toolCalls(JsonNode message, String path) {
        Optional<JsonNode> calls = present(message, "toolCalls");
        if (calls.isEmpty()) {
            return List.of();
        }
        JsonNode array = calls.get();
        if (!array.isArray()) {
            throw mustBe(path, "an array of tool calls", array);
        }
        List<AssistantToolCall> result = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode call = array.get(i);
            requireObject(call, at);
            allowOnly(call, at, TOOL_CALL);
            String id = requiredString(call, "id", at + ".id");
            String name = requiredString(call, "name", at + ".name");
            JsonNode arguments = present(call, "arguments")
                    .orElseThrow(() -> new InvalidRequestException(at + ".arguments", "is required"));
            if (!arguments.isObject()) {
                throw mustBe(at + ".arguments", "a JSON object", arguments);
            }
            result.add(new AssistantToolCall(id, name, arguments));
        }
        return result;
    }

    private static Set<String> readTools(JsonNode body, ChatRequest.Builder b) {
        Optional<JsonNode> tools = present(body, "tools");
        Set<String> names = new HashSet<>();
        if (tools.isEmpty()) {
            return names;
        }
        JsonNode array = tools.get();
        if (!array.isArray()) {
            throw mustBe("tools", "an array of tools", array);
        }
        for (int i = 0; i < array.size(); i++) {
            String at = "tools[" + i + "]";
            JsonNode tool = array.get(i);
            requireObject(tool, at);
            allowOnly(tool, at, TOOL_DEFINITION);
            String name = requiredString(tool, "name", at + ".name");
            if (name.isBlank()) {
                throw new InvalidRequestException(at + ".name", "must not be blank");
            }
            if (!names.add(name)) {
                throw new InvalidRequestException(at + ".name", "'" + name + "' is already the name of another tool");
            }
            Optional<String> description = optionalString(tool, "description", at + ".description");
            JsonNode parameters = present(tool, "parameters").orElseGet(ChatRequestReader::emptySchema);
            if (!parameters.isObject()) {
                throw mustBe(at + ".parameters", "a JSON Schema object", parameters);
            }
            b.tool(new ToolDefinition(name, description, parameters));
        }
        return names;
    }

    private static JsonNode emptySchema() {
        var schema = ChatRequestJson.MAPPER.createObjectNode();
        schema.put("type", "object");
        schema.putObject("properties");
        return schema;
    }

    private static ToolChoice toolChoice(JsonNode node, Set<String> toolNames) {
        if (node.isString()) {
            return switch (node.stringValue()) {
                case "auto" -> ToolChoice.AUTO;
                case "none" -> ToolChoice.NONE;
                case "required" -> ToolChoice.REQUIRED;
                default -> throw new InvalidRequestException("toolChoice",
                        "must be 'auto', 'none', 'required' or {\"tool\": \"<name>\"}; found '" + node.stringValue() + "'");
            };
        }
        if (!node.isObject()) {
            throw mustBe("toolChoice", "'auto', 'none', 'required' or {\"tool\": \"<name>\"}", node);
        }
        allowOnly(node, "toolChoice", TOOL_CHOICE);
        String name = requiredString(node, "tool", "toolChoice.tool");
        if (!toolNames.contains(name)) {
            throw new InvalidRequestException("toolChoice.tool", "names '" + name + "', which is not among the tools");
        }
        return ToolChoice.tool(name);
    }

    private static void readStop(JsonNode node, ChatRequest.Builder b) {
        if (node.isString()) {
            b.stopSequence(node.stringValue());
            return;
        }
        if (!node.isArray()) {
            throw mustBe("stop", "an array of strings", node);
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode s = node.get(i);
            if (!s.isString()) {
                throw mustBe("stop[" + i + "]", "a string", s);
            }
            b.stopSequence(s.stringValue());
        }
    }

    private static Reasoning reasoning(JsonNode node) {
        requireObject(node, "reasoning");
        allowOnly(node, "reasoning", REASONING);
        Optional<JsonNode> effort = present(node, "effort");
        Optional<JsonNode> budget = present(node, "budgetTokens");
        if (effort.isPresent() == budget.isPresent()) {
            throw new InvalidRequestException("reasoning", "takes either 'effort' or 'budgetTokens'");
        }
        if (effort.isPresent()) {
            JsonNode e = effort.get();
            if (!e.isString()) {
                throw mustBe("reasoning.effort", "a string", e);
            }
            for (Reasoning.Effort level : Reasoning.Effort.values()) {
                if (level.name().toLowerCase(Locale.ROOT).equals(e.stringValue())) {
                    return Reasoning.effort(level);
                }
            }
            throw new InvalidRequestException("reasoning.effort",
                    "must be one of minimal, low, medium, high; found '" + e.stringValue() + "'");
        }
        return Reasoning.budget(positiveInt(budget.get(), "reasoning.budgetTokens"));
    }

    // --- small typed accessors; each names the path it complains about ---

    private static Optional<JsonNode> present(JsonNode object, String name) {
        JsonNode value = object.get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    private static Optional<String> optionalString(JsonNode object, String name, String path) {
        Optional<JsonNode> value = present(object, name);
        if (value.isPresent() && !value.get().isString()) {
            throw mustBe(path, "a string", value.get());
        }
        return value.map(JsonNode::stringValue);
    }

    private static String requiredString(JsonNode object, String name, String path) {
        return optionalString(object, name, path).orElseThrow(() -> new InvalidRequestException(path, "is required"));
    }

    private static boolean bool(JsonNode node, String path) {
        if (!node.isBoolean()) {
            throw mustBe(path, "true or false", node);
        }
        return node.booleanValue();
    }

    private static double number(JsonNode node, String path) {
        if (!node.isNumber()) {
            throw mustBe(path, "a number", node);
        }
        return node.doubleValue();
    }

    private static int positiveInt(JsonNode node, String path) {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw mustBe(path, "a whole number", node);
        }
        int value = node.intValue();
        if (value <= 0) {
            throw new InvalidRequestException(path, "must be positive");
        }
        return value;
    }

    private static void requireObject(JsonNode node, String path) {
        if (!node.isObject()) {
            throw mustBe(path, "an object", node);
        }
    }

    private static void allowOnly(JsonNode object, String path, Set<String> allowed) {
        for (String name : object.propertyNames()) {
            if (!allowed.contains(name)) {
                throw unknownField(path, name, allowed);
            }
        }
    }

    private static InvalidRequestException unknownField(String path, String name, Set<String> allowed) {
        String field = path.isEmpty() ? name : path + "." + name;
        return new InvalidRequestException(field, "unknown field; expected one of " + sorted(allowed));
    }

    private static InvalidRequestException mustBe(String path, String expected, JsonNode found) {
        return new InvalidRequestException(path, "must be " + expected + ", found " + kind(found));
    }

    private static String kind(JsonNode node) {
        if (node.isString()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
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
        return node.isNull() ? "null" : "a JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static boolean isBase64(String s) {
        int n = s.length();
        int i = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/' || c == '-' || c == '_';
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

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private static String sorted(Set<String> names) {
        return String.join(", ", new TreeSet<>(names));
    }
}
