package io.aistream.server.aisdk;

import io.aistream.chunk.ReasoningState;
import io.aistream.json.JsonFieldException;
import io.aistream.json.JsonFieldReader;
import io.aistream.json.JsonFieldValue;
import io.aistream.request.AssistantPart;
import io.aistream.request.AssistantToolCall;
import io.aistream.request.ContentPart;
import io.aistream.request.Message;
import io.aistream.server.http.Responses;
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
 *       does: each step becomes an assistant message of its parts in order (reasoning, text, tool
 *       calls) followed by one tool message per tool part with a result ({@code output-available},
 *       {@code output-error}, and 6.x's {@code output-denied}, sent as an error result). Tool parts
 *       without a result yet (an interrupted or still pending call) are left out together with their
 *       call, so that a stopped answer does not poison the next request. A step without text or tool
 *       calls (reasoning alone) is left out too.</li>
 *   <li>Reasoning state comes back from the parts' provider metadata, where the gateway's UI stream
 *       (and the provider packages) put it ({@link UiReasoningMetadata}): a {@code reasoning} part's
 *       {@code providerMetadata} (an Anthropic or Bedrock signature or redacted data, a Gemini thought
 *       signature, an OpenAI reasoning item) → {@link AssistantPart.Reasoning} with that state; a
 *       {@code text} part's (a Gemini thought signature) → {@link AssistantPart.Text} with it; a tool
 *       part's {@code callProviderMetadata} → the {@link AssistantToolCall}'s state. A reasoning part
 *       without state is kept as reasoning without state (each provider mapper decides what it can
 *       send back); empty reasoning or text without state is dropped, and adjacent text parts without
 *       state are joined.</li>
 *   <li>Sources, files and {@code data-*} parts of an assistant are UI-only and skipped; so are
 *       provider-executed tool parts.</li>
 * </ul>
 *
 * <p>Unknown part types are refused by name; {@code data-*} parts are ignored everywhere. Every
 * problem is a {@link JsonFieldException} whose path is the UI path, e.g.
 * {@code messages[2].parts[0].url}; {@link UiChatRequest} words it as an
 * {@link io.aistream.request.InvalidRequestException}.
 */
final class UiMessages {
    /** Part types that a user message may hold and that are not sent (reasoning is read on assistants only). */
    private static final java.util.Set<String> IGNORED =
            java.util.Set.of("step-start", "source-url", "source-document", "reasoning");

    private static final String PART = "a message part object";

    private UiMessages() {}

    /** The converted conversation: extra system text (possibly empty) and the messages. */
    record Conversation(String system, List<Message> messages, Optional<String> lastAssistantId) {}

    /**
     * Converts the body's {@code messages}.
     *
     * @throws JsonFieldException naming the UI path of the offending value
     */
    static Conversation convert(JsonFieldReader body) {
        List<JsonFieldValue> messages = body.optional("messages")
                .orElseThrow(() -> body.invalid("messages", "is required: the chat's UIMessage array"))
                .asArray("an array of UIMessages");
        if (messages.isEmpty()) {
            throw body.invalid("messages", "must not be empty");
        }
        StringBuilder system = new StringBuilder();
        List<Message> out = new ArrayList<>();
        Optional<String> lastAssistantId = Optional.empty();
        for (JsonFieldValue element : messages) {
            JsonFieldReader m = element.asObject("a UIMessage object");
            Optional<String> id = m.optionalString("id");
            String role = m.requiredString("role");
            List<JsonFieldValue> parts = parts(m);
            switch (role) {
                case "system" -> {
                    String text = systemText(parts);
                    if (!text.isEmpty()) {
                        if (!system.isEmpty()) {
                            system.append("\n\n");
                        }
                        system.append(text);
                    }
                }
                case "user" -> {
                    List<ContentPart> content = userContent(parts);
                    if (!content.isEmpty()) {
                        out.add(new Message.User(content));
                    }
                }
                case "assistant" -> assistant(parts, out);
                default -> throw m.invalid("role", "must be one of system, user, assistant; found '" + role + "'");
            }
            lastAssistantId = "assistant".equals(role) ? id.filter(s -> !s.isEmpty()) : Optional.empty();
        }
        if (out.isEmpty()) {
            throw body.invalid("messages", "hold no user or assistant content to send to the model");
        }
        return new Conversation(system.toString(), out, lastAssistantId);
    }

    private static List<JsonFieldValue> parts(JsonFieldReader message) {
        return message.optional("parts")
                .orElseThrow(() -> message.invalid("parts", "must be an array of message parts"))
                .asArray("an array of message parts");
    }

    private static String systemText(List<JsonFieldValue> parts) {
        StringBuilder text = new StringBuilder();
        for (JsonFieldValue value : parts) {
            JsonFieldReader part = value.asObject(PART);
            String type = part.requiredString("type");
            if (type.equals("text")) {
                text.append(part.requiredString("text"));
            } else if (!type.startsWith("data-")) {
                throw part.invalid("type", "a system message may only hold text parts; found '" + type + "'");
            }
        }
        return text.toString();
    }

    private static List<ContentPart> userContent(List<JsonFieldValue> parts) {
        List<ContentPart> content = new ArrayList<>();
        for (JsonFieldValue value : parts) {
            JsonFieldReader part = value.asObject(PART);
            String type = part.requiredString("type");
            switch (type) {
                case "text" -> {
                    String text = part.requiredString("text");
                    if (!text.isEmpty()) {
                        content.add(new ContentPart.Text(text));
                    }
                }
                case "file" -> content.add(file(part));
                default -> {
                    if (!type.startsWith("data-") && !IGNORED.contains(type)) {
                        throw part.invalid("type", "a user message may hold text and file parts; found '" + type + "'");
                    }
                }
            }
        }
        return content;
    }

    private static ContentPart file(JsonFieldReader part) {
        String mediaType = part.requiredString("mediaType").strip().toLowerCase(Locale.ROOT);
        JsonFieldValue urlValue = part.required("url");
        String url = urlValue.asString();
        if (url.isBlank()) {
            throw urlValue.invalid("must not be blank");
        }
        Optional<DataUrl> data = DataUrl.parse(urlValue);
        if (mediaType.startsWith("image/")) {
            if (data.isPresent()) {
                DataUrl d = data.get();
                if (!d.base64()) {
                    throw urlValue.invalid("an inline image must be a base64 data: URL");
                }
                return ContentPart.Image.base64(mediaType, d.payload());
            }
            if (!url.startsWith("https://") && !url.startsWith("http://")) {
                throw urlValue.invalid("must be an http(s): or data: URL");
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
                    throw urlValue.invalid("holds invalid base64 data");
                }
            } else {
                text = java.net.URLDecoder.decode(d.payload().replace("+", "%2B"), StandardCharsets.UTF_8);
            }
            // a name of the wrong type is cosmetic: fall back rather than refuse the message
            String name = part.optional("filename")
                    .filter(JsonFieldValue::isString)
                    .map(JsonFieldValue::asString)
                    .orElse("attachment");
            return new ContentPart.Text("[" + name + "]\n" + text);
        }
        throw part.invalid(
                "mediaType",
                "only image/* files (and text/* files as data: URLs) can be sent; found '" + mediaType + "'");
    }

    /** An assistant UIMessage: one assistant message (plus tool results) per step. */
    private static void assistant(List<JsonFieldValue> parts, List<Message> out) {
        List<AssistantPart> step = new ArrayList<>();
        List<Message.Tool> results = new ArrayList<>();
        for (JsonFieldValue value : parts) {
            JsonFieldReader part = value.asObject(PART);
            String type = part.requiredString("type");
            if (type.equals("step-start")) {
                flushStep(step, results, out);
            } else if (type.equals("text")) {
                text(part, step);
            } else if (type.equals("reasoning")) {
                String text = part.requiredString("text");
                Optional<ReasoningState> state = state(part, "providerMetadata");
                if (!text.isEmpty() || state.isPresent()) {
                    step.add(new AssistantPart.Reasoning(text, state));
                }
            } else if (type.equals("dynamic-tool") || type.startsWith("tool-")) {
                toolPart(part, type, step, results);
            } else if (!type.equals("file") && !type.startsWith("data-") && !IGNORED.contains(type)) {
                throw part.invalid("type", "unknown assistant part type '" + type + "'");
            }
        }
        flushStep(step, results, out);
    }

    /** A text part; joined to the text before it when neither carries state (they were one run). */
    private static void text(JsonFieldReader part, List<AssistantPart> step) {
        String text = part.requiredString("text");
        Optional<ReasoningState> state = state(part, "providerMetadata");
        if (state.isEmpty()
                && !step.isEmpty()
                && step.getLast() instanceof AssistantPart.Text previous
                && previous.state().isEmpty()) {
            step.set(step.size() - 1, new AssistantPart.Text(previous.text() + text));
        } else if (!text.isEmpty() || state.isPresent()) {
            step.add(new AssistantPart.Text(text, state));
        }
    }

    /** The reasoning state in the part's {@code field} (its provider metadata), if any. */
    private static Optional<ReasoningState> state(JsonFieldReader part, String field) {
        return part.optional(field).flatMap(UiReasoningMetadata::read);
    }

    private static void toolPart(
            JsonFieldReader part, String type, List<AssistantPart> step, List<Message.Tool> results) {
        String name = type.equals("dynamic-tool") ? part.requiredString("toolName") : type.substring("tool-".length());
        if (name.isEmpty()) {
            throw part.invalid("type", "a tool part needs a tool name: tool-<name>");
        }
        String callId = part.requiredString("toolCallId");
        String state = part.requiredString("state");
        JsonNode executed = part.node().get("providerExecuted");
        if (executed != null && executed.isBoolean() && executed.booleanValue()) {
            return; // run by the provider itself: nothing for us to replay
        }
        Message.Tool result = switch (state) {
            case "output-available" ->
                new Message.Tool(callId, name, outputText(part.node().get("output")), false);
            case "output-error" -> new Message.Tool(callId, name, part.requiredString("errorText"), true);
            case "output-denied" -> new Message.Tool(callId, name, "the user denied this tool call", true);
            case "input-streaming", "input-available", "approval-requested", "approval-responded" -> null;
            default -> throw part.invalid("state", "unknown tool part state '" + state + "'");
        };
        if (result == null) {
            return; // no result yet: leave the call out with it
        }
        JsonNode input = part.node().get("input");
        JsonNode arguments = input != null && input.isObject() ? input : Responses.JSON.createObjectNode();
        step.add(new AssistantToolCall(callId, name, arguments, state(part, "callProviderMetadata")));
        results.add(result);
    }

    private static String outputText(JsonNode output) {
        if (output == null || output.isNull() || output.isMissingNode()) {
            return "null";
        }
        return output.isString() ? output.stringValue() : Responses.JSON.writeValueAsString(output);
    }

    private static void flushStep(List<AssistantPart> step, List<Message.Tool> results, List<Message> out) {
        boolean answered = step.stream().anyMatch(p -> !(p instanceof AssistantPart.Reasoning));
        if (answered) {
            out.add(new Message.Assistant(step));
            out.addAll(results);
        }
        step.clear();
        results.clear();
    }

    /** A {@code data:} URL's parts. */
    private record DataUrl(boolean base64, String payload) {
        static Optional<DataUrl> parse(JsonFieldValue value) {
            String url = value.asString();
            if (!url.regionMatches(true, 0, "data:", 0, 5)) {
                return Optional.empty();
            }
            int comma = url.indexOf(',');
            if (comma < 0) {
                throw value.invalid("is a data: URL without a comma");
            }
            String meta = url.substring(5, comma).toLowerCase(Locale.ROOT);
            String payload = url.substring(comma + 1);
            boolean base64 = meta.endsWith(";base64");
            if (base64 && payload.isEmpty()) {
                throw value.invalid("is a data: URL without data");
            }
            return Optional.of(new DataUrl(base64, payload));
        }
    }
}
