package io.aistream.server.aisdk;

import io.aistream.server.http.Responses;
import io.aistream.request.AssistantToolCall;
import io.aistream.request.ContentPart;
import io.aistream.request.InvalidRequestException;
import io.aistream.request.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Turns the AI SDK's {@code UIMessage[]} (what {@code useChat} sends) into the conversation of a
 * {@link io.aistream.request.ChatRequest}.
 *
 * <ul>
 *   <li>{@code system} messages: their text parts become the system prompt (after the body's own
 *       {@code system}, if any).</li>
 *   <li>{@code user} messages: {@code text} parts become text; {@code file} parts with an
 *       {@code image/*} media type become images ({@code data:} URLs inline as base64, other URLs
 *       fetched by the provider); {@code text/*} files given as {@code data:} URLs become text;
 *       any other file type is refused (400 naming the part).</li>
 *   <li>{@code assistant} messages are cut into steps at {@code step-start} parts, as the AI SDK
 *       does: each step becomes an assistant message (its text and its tool calls) followed by one
 *       tool message per tool part with a result ({@code output-available}, {@code output-error},
 *       and 6.x's {@code output-denied}, sent as an error result). Tool parts without a result yet
 *       (an interrupted or still pending call) are left out together with their call, so that a
 *       stopped answer does not poison the next request. Reasoning, sources, files and
 *       {@code data-*} parts of an assistant are UI-only and skipped; so are provider-executed
 *       tool parts.</li>
 * </ul>
 *
 * <p>Unknown part types are refused by name; {@code data-*} parts are ignored everywhere. Every
 * problem is an {@link InvalidRequestException} whose field is the UI path, e.g.
 * {@code messages[2].parts[0].url}.
 */
final class UiMessages {
    private static final java.util.Set<String> IGNORED = java.util.Set.of("step-start", "source-url",
            "source-document", "reasoning");

    private UiMessages() {
    }

    /** The converted conversation: extra system text (possibly empty) and the messages. */
    record Conversation(String system, List<Message> messages, Optional<String> lastAssistantId) {
    }

    static Conversation convert(JsonNode messages) {
        if (messages == null || messages.isNull()) {
            throw new InvalidRequestException("messages", "is required: the chat's UIMessage array");
        }
        if (!messages.isArray()) {
            throw new InvalidRequestException("messages", "must be an array of UIMessages");
        }
        if (messages.isEmpty()) {
            throw new InvalidRequestException("messages", "must not be empty");
        }
        StringBuilder system = new StringBuilder();
        List<Message> out = new ArrayList<>();
        Optional<String> lastAssistantId = Optional.empty();
        for (int i = 0; i < messages.size(); i++) {
            String path = "messages[" + i + "]";
            JsonNode m = messages.get(i);
            if (!m.isObject()) {
                throw new InvalidRequestException(path, "must be a UIMessage object");
            }
            JsonNode id = m.get("id");
            if (id != null && !id.isNull() && !id.isString()) {
                throw new InvalidRequestException(path + ".id", "must be a string");
            }
            String role = string(m, "role", path);
            JsonNode parts = m.get("parts");
            if (parts == null || parts.isNull() || !parts.isArray()) {
                throw new InvalidRequestException(path + ".parts", "must be an array of message parts");
            }
            switch (role) {
                case "system" -> {
                    String text = systemText(parts, path);
                    if (!text.isEmpty()) {
                        if (!system.isEmpty()) {
                            system.append("\n\n");
                        }
                        system.append(text);
                    }
                }
                case "user" -> {
                    List<ContentPart> content = userContent(parts, path);
                    if (!content.isEmpty()) {
                        out.add(new Message.User(content));
                    }
                }
                case "assistant" -> assistant(parts, path, out);
                default -> throw new InvalidRequestException(path + ".role",
                        "must be one of system, user, assistant; found '" + role + "'");
            }
            lastAssistantId = "assistant".equals(role) && id != null && id.isString() && !id.stringValue().isEmpty()
                    ? Optional.of(id.stringValue()) : Optional.empty();
        }
        if (out.isEmpty()) {
            throw new InvalidRequestException("messages", "hold no user or assistant content to send to the model");
        }
        return new Conversation(system.toString(), out, lastAssistantId);
    }

    private static String systemText(JsonNode parts, String path) {
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < parts.size(); j++) {
            String p = path + ".parts[" + j + "]";
            JsonNode part = part(parts, j, p);
            String type = string(part, "type", p);
            if (type.equals("text")) {
                text.append(string(part, "text", p));
            } else if (!type.startsWith("data-")) {
                throw new InvalidRequestException(p + ".type", "a system message may only hold text parts; found '" + type + "'");
            }
        }
        return text.toString();
    }

    private static List<ContentPart> userContent(JsonNode parts, String path) {
        List<ContentPart> content = new ArrayList<>();
        for (int j = 0; j < parts.size(); j++) {
            String p = path + ".parts[" + j + "]";
            JsonNode part = part(parts, j, p);
            String type = string(part, "type", p);
            switch (type) {
                case "text" -> {
                    String text = string(part, "text", p);
                    if (!text.isEmpty()) {
                        content.add(new ContentPart.Text(text));
                    }
                }
                case "file" -> content.add(file(part, p));
                default -> {
                    if (!type.startsWith("data-") && !IGNORED.contains(type)) {
                        throw new InvalidRequestException(p + ".type", "a user message may hold text and file parts; found '"
                                + type + "'");
                    }
                }
            }
        }
        return content;
    }

    private static ContentPart file(JsonNode part, String p) {
        String mediaType = string(part, "mediaType", p).strip().toLowerCase(Locale.ROOT);
        String url = string(part, "url", p);
        if (url.isBlank()) {
            throw new InvalidRequestException(p + ".url", "must not be blank");
        }
        Optional<DataUrl> data = DataUrl.parse(url, p + ".url");
        if (mediaType.startsWith("image/")) {
            if (data.isPresent()) {
                DataUrl d = data.get();
                if (!d.base64()) {
                    throw new InvalidRequestException(p + ".url", "an inline image must be a base64 data: URL");
                }
                return ContentPart.Image.base64(mediaType, d.payload());
            }
            if (!url.startsWith("https://") && !url.startsWith("http://")) {
                throw new InvalidRequestException(p + ".url", "must be an http(s): or data: URL");
            }
            return ContentPart.Image.url(url);
        }
        if (mediaType.startsWith("text/") && data.isPresent()) {
            DataUrl d = data.get();
            String text;
            if (d.base64()) {
                try {
                    text = new String(Base64.getDecoder().decode(d.payload()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequestException(p + ".url", "holds invalid base64 data");
                }
            } else {
                text = java.net.URLDecoder.decode(d.payload().replace("+", "%2B"), StandardCharsets.UTF_8);
            }
            JsonNode filename = part.get("filename");
            String name = filename != null && filename.isString() ? filename.stringValue() : "attachment";
            return new ContentPart.Text("[" + name + "]\n" + text);
        }
        throw new InvalidRequestException(p + ".mediaType", "only image/* files (and text/* files as data: URLs) can be sent; found '"
                + mediaType + "'");
    }

    /** An assistant UIMessage: one assistant message (plus tool results) per step. */
    private static void assistant(JsonNode parts, String path, List<Message> out) {
        StringBuilder text = new StringBuilder();
        List<AssistantToolCall> calls = new ArrayList<>();
        List<Message.Tool> results = new ArrayList<>();
        for (int j = 0; j < parts.size(); j++) {
            String p = path + ".parts[" + j + "]";
            JsonNode part = part(parts, j, p);
            String type = string(part, "type", p);
            if (type.equals("step-start")) {
                flushStep(text, calls, results, out);
            } else if (type.equals("text")) {
                text.append(string(part, "text", p));
            } else if (type.equals("dynamic-tool") || type.startsWith("tool-")) {
                toolPart(part, type, p, calls, results);
            } else if (!type.equals("file") && !type.startsWith("data-") && !IGNORED.contains(type)) {
                throw new InvalidRequestException(p + ".type", "unknown assistant part type '" + type + "'");
            }
        }
        flushStep(text, calls, results, out);
    }

    private static void toolPart(JsonNode part, String type, String p, List<AssistantToolCall> calls,
            List<Message.Tool> results) {
        String name = type.equals("dynamic-tool") ? string(part, "toolName", p) : type.substring("tool-".length());
        if (name.isEmpty()) {
            throw new InvalidRequestException(p + ".type", "a tool part needs a tool name: tool-<name>");
        }
        String callId = string(part, "toolCallId", p);
        String state = string(part, "state", p);
        JsonNode executed = part.get("providerExecuted");
        if (executed != null && executed.isBoolean() && executed.booleanValue()) {
            return; // run by the provider itself: nothing for us to replay
        }
        Message.Tool result = switch (state) {
            case "output-available" -> new Message.Tool(callId, name, outputText(part.get("output")), false);
            case "output-error" -> new Message.Tool(callId, name, string(part, "errorText", p), true);
            case "output-denied" -> new Message.Tool(callId, name, "the user denied this tool call", true);
            case "input-streaming", "input-available", "approval-requested", "approval-responded" -> null;
            default -> throw new InvalidRequestException(p + ".state", "unknown tool part state '" + state + "'");
        };
        if (result == null) {
            return; // no result yet: leave the call out with it
        }
        JsonNode input = part.get("input");
        JsonNode arguments = input != null && input.isObject() ? input : Responses.JSON.createObjectNode();
        calls.add(new AssistantToolCall(callId, name, arguments));
        results.add(result);
    }

    private static String outputText(JsonNode output) {
        if (output == null || output.isNull() || output.isMissingNode()) {
            return "null";
        }
        return output.isString() ? output.stringValue() : Responses.JSON.writeValueAsString(output);
    }

    private static void flushStep(StringBuilder text, List<AssistantToolCall> calls, List<Message.Tool> results,
            List<Message> out) {
        if (!text.isEmpty() || !calls.isEmpty()) {
            out.add(new Message.Assistant(text.toString(), calls));
            out.addAll(results);
        }
        text.setLength(0);
        calls.clear();
        results.clear();
    }

    private static JsonNode part(JsonNode parts, int j, String p) {
        JsonNode part = parts.get(j);
        if (!part.isObject()) {
            throw new InvalidRequestException(p, "must be a message part object");
        }
        return part;
    }

    private static String string(JsonNode object, String name, String path) {
        JsonNode v = object.get(name);
        if (v == null || v.isNull()) {
            throw new InvalidRequestException(path + "." + name, "is required");
        }
        if (!v.isString()) {
            throw new InvalidRequestException(path + "." + name, "must be a string");
        }
        return v.stringValue();
    }

    /** A {@code data:} URL's parts. */
    private record DataUrl(boolean base64, String payload) {
        static Optional<DataUrl> parse(String url, String field) {
            if (!url.regionMatches(true, 0, "data:", 0, 5)) {
                return Optional.empty();
            }
            int comma = url.indexOf(',');
            if (comma < 0) {
                throw new InvalidRequestException(field, "is a data: URL without a comma");
            }
            String meta = url.substring(5, comma).toLowerCase(Locale.ROOT);
            String payload = url.substring(comma + 1);
            boolean base64 = meta.endsWith(";base64");
            if (base64 && payload.isEmpty()) {
                throw new InvalidRequestException(field, "is a data: URL without data");
            }
            return Optional.of(new DataUrl(base64, payload));
        }
    }
}
