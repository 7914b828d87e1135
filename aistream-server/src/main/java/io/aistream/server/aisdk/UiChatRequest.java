package io.aistream.server.aisdk;

import io.aistream.server.http.Responses;
import io.aistream.server.streams.StreamRequest;
import io.aistream.request.ChatRequest;
import io.aistream.request.InvalidRequestException;
import io.aistream.stream.Backpressure;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body of {@code POST /v1/ui/chat}: what the AI SDK's {@code useChat} sends, plus the gateway's
 * fields (sent through the transport's {@code body} option).
 *
 * <pre>
 * {"id": "chat-1",                         // the chat id (resume key); optional outside useChat
 *  "messages": [UIMessage…],               // required; see UiMessages
 *  "trigger": "submit-message" | "regenerate-message",
 *  "messageId": "…",                       // the message being regenerated; informative
 *  // gateway fields: where to send it
 *  "provider": "simulated", "model": "echo"   (or "model": "simulated/echo"; or ?provider=…&amp;model=… in the URL)
 *  // native ChatRequest fields, as on POST /v1/stream
 *  "system", "tools", "toolChoice", "temperature", "topP", "maxOutputTokens", "stop", "reasoning", "providerOptions",
 *  // native stream fields
 *  "resumable": true (the default here), "backpressure": "block" | "buffer" | "coalesce", "bufferCapacity", "timeouts",
 *  // richer chunk fields than ai@5.0.0 accepts, off by default
 *  "uiStream": {"finishReason": true, "providerMetadata": true}}
 * </pre>
 *
 * <p>Unknown top-level fields are refused by name, like on the native endpoint; the body's own fields
 * win over the query parameters.
 *
 * @param chatId    the chat id, when given
 * @param messageId the id the answer's UI message gets: the last assistant message's (a
 *                  continuation after client-side tool results) or empty for a fresh one
 * @param stream    the stream to start
 * @param options   which extra chunk fields to emit
 */
record UiChatRequest(Optional<String> chatId, Optional<String> messageId, StreamRequest stream, UiStreamOptions options) {
    static final int MAX_CHAT_ID_LENGTH = 256;
    private static final Set<String> UI_FIELDS = Set.of("id", "messages", "trigger", "messageId", "uiStream");
    private static final Set<String> OPTION_FIELDS = Set.of("finishReason", "providerMetadata");

    /**
     * Reads and validates the body.
     *
     * @param queryProvider the {@code provider} query parameter, if any
     * @param queryModel    the {@code model} query parameter, if any
     */
    static UiChatRequest parse(JsonNode body, Optional<String> queryProvider, Optional<String> queryModel) {
        if (!body.isObject()) {
            throw new InvalidRequestException("", "the body must be a JSON object");
        }
        Optional<String> chatId = chatId(body.get("id"));
        JsonNode trigger = body.get("trigger");
        if (trigger != null && !trigger.isNull()
                && !(trigger.isString() && Set.of("submit-message", "regenerate-message").contains(trigger.stringValue()))) {
            throw new InvalidRequestException("trigger", "must be \"submit-message\" or \"regenerate-message\"");
        }
        JsonNode messageId = body.get("messageId");
        if (messageId != null && !messageId.isNull() && !messageId.isString()) {
            throw new InvalidRequestException("messageId", "must be a string");
        }
        UiMessages.Conversation conversation = UiMessages.convert(body.get("messages"));
        UiStreamOptions options = options(body.get("uiStream"));

        // the rest is the native body: reuse its reader (same fields, same checks, same messages)
        ObjectNode nativeBody = Responses.JSON.createObjectNode();
        for (var e : body.properties()) {
            if (!UI_FIELDS.contains(e.getKey())) {
                nativeBody.set(e.getKey(), e.getValue());
            }
        }
        target(nativeBody, queryProvider, queryModel);
        if (!nativeBody.has("resumable") || nativeBody.get("resumable").isNull()) {
            nativeBody.put("resumable", true);
        }
        // a placeholder conversation: the real one, already converted, replaces it below
        nativeBody.putArray("messages").addObject().put("role", "user").put("content", ".");
        StreamRequest parsed = StreamRequest.parse(nativeBody);
        if (parsed.backpressure() == Backpressure.DROP) {
            throw new InvalidRequestException("backpressure", "\"drop\" cannot be used here (a UI message stream cannot "
                    + "replace text already sent); use block, buffer or coalesce");
        }
        ChatRequest r = parsed.request();
        Optional<String> system = r.system();
        if (!conversation.system().isEmpty()) {
            system = Optional.of(system.map(s -> s + "\n\n").orElse("") + conversation.system());
        }
        ChatRequest request = new ChatRequest(r.model(), system, conversation.messages(), r.tools(), r.toolChoice(),
                r.temperature(), r.topP(), r.maxOutputTokens(), r.stopSequences(), r.reasoning(), r.providerOptions());
        StreamRequest stream = new StreamRequest(parsed.provider(), request, parsed.backpressure(), parsed.bufferCapacity(),
                parsed.resumable(), parsed.timeouts());
        return new UiChatRequest(chatId, conversation.lastAssistantId(), stream, options);
    }

    private static Optional<String> chatId(JsonNode id) {
        if (id == null || id.isNull()) {
            return Optional.empty();
        }
        if (!id.isString() || id.stringValue().isBlank()) {
            throw new InvalidRequestException("id", "must be the chat id, a non-blank string");
        }
        String value = id.stringValue();
        if (value.length() > MAX_CHAT_ID_LENGTH || value.contains("/") || value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("id", "must be at most " + MAX_CHAT_ID_LENGTH
                    + " characters without '/' or control characters");
        }
        return Optional.of(value);
    }

    /** Fills {@code provider} and {@code model}: body fields first, then the query, then {@code provider/model}. */
    private static void target(ObjectNode body, Optional<String> queryProvider, Optional<String> queryModel) {
        if (!present(body, "model") && queryModel.isPresent()) {
            body.put("model", queryModel.get());
        }
        if (!present(body, "provider") && queryProvider.isPresent()) {
            body.put("provider", queryProvider.get());
        }
        JsonNode model = body.get("model");
        if (!present(body, "provider") && model != null && model.isString() && model.stringValue().indexOf('/') > 0) {
            String ref = model.stringValue();
            int slash = ref.indexOf('/');
            if (slash == ref.length() - 1) {
                throw new InvalidRequestException("model", "'" + ref + "' is not of the form provider/model");
            }
            body.put("provider", ref.substring(0, slash));
            body.put("model", ref.substring(slash + 1));
        }
        if (!present(body, "provider")) {
            throw new InvalidRequestException("provider", "is required: send \"provider\" and \"model\" in the body "
                    + "(useChat: new DefaultChatTransport({body: {provider: \"simulated\", model: \"echo\"}})), "
                    + "\"model\": \"provider/model\", or ?provider=…&model=… in the URL");
        }
    }

    private static boolean present(ObjectNode body, String name) {
        JsonNode v = body.get(name);
        return v != null && !v.isNull();
    }

    private static UiStreamOptions options(JsonNode node) {
        if (node == null || node.isNull()) {
            return UiStreamOptions.DEFAULT;
        }
        if (!node.isObject()) {
            throw new InvalidRequestException("uiStream", "must be an object, e.g. {\"finishReason\": true}");
        }
        for (String name : node.propertyNames()) {
            if (!OPTION_FIELDS.contains(name)) {
                throw new InvalidRequestException("uiStream." + name, "unknown option; expected finishReason or providerMetadata");
            }
        }
        return new UiStreamOptions(flag(node, "finishReason"), flag(node, "providerMetadata"));
    }

    private static boolean flag(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new InvalidRequestException("uiStream." + name, "must be true or false");
        }
        return v.booleanValue();
    }
}
