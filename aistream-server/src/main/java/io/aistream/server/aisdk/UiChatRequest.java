package io.aistream.server.aisdk;

import io.aistream.json.JsonFieldException;
import io.aistream.json.JsonFieldReader;
import io.aistream.json.JsonFieldValue;
import io.aistream.request.ChatRequest;
import io.aistream.request.InvalidRequestException;
import io.aistream.server.http.Responses;
import io.aistream.server.streams.StreamRequest;
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
record UiChatRequest(
        Optional<String> chatId, Optional<String> messageId, StreamRequest stream, UiStreamOptions options) {
    static final int MAX_CHAT_ID_LENGTH = 256;
    private static final Set<String> UI_FIELDS = Set.of("id", "messages", "trigger", "messageId", "uiStream");
    private static final Set<String> OPTION_FIELDS = Set.of("finishReason", "providerMetadata");
    private static final Set<String> TRIGGERS = Set.of("submit-message", "regenerate-message");

    /**
     * Reads and validates the body.
     *
     * @param queryProvider the {@code provider} query parameter, if any
     * @param queryModel    the {@code model} query parameter, if any
     * @throws InvalidRequestException naming the offending field's UI path
     */
    static UiChatRequest parse(JsonNode body, Optional<String> queryProvider, Optional<String> queryModel) {
        try {
            return read(JsonFieldReader.root(body, "the body"), queryProvider, queryModel);
        } catch (JsonFieldException e) {
            throw invalidRequest(e);
        }
    }

    private static UiChatRequest read(
            JsonFieldReader body, Optional<String> queryProvider, Optional<String> queryModel) {
        Optional<String> chatId = body.optional("id").map(UiChatRequest::chatId);
        body.optional("trigger").ifPresent(trigger -> {
            if (!trigger.isString() || !TRIGGERS.contains(trigger.asString())) {
                throw trigger.invalid("must be \"submit-message\" or \"regenerate-message\"");
            }
        });
        body.optionalString("messageId");
        UiMessages.Conversation conversation = UiMessages.convert(body);
        UiStreamOptions options = body.optional("uiStream")
                .map(v -> options(v.asObject("an object, e.g. {\"finishReason\": true}")))
                .orElse(UiStreamOptions.DEFAULT);

        // the rest is the native body: reuse its reader (same fields, same checks, same messages)
        ObjectNode nativeBody = Responses.JSON.createObjectNode();
        for (var e : body.node().properties()) {
            if (!UI_FIELDS.contains(e.getKey())) {
                nativeBody.set(e.getKey(), e.getValue());
            }
        }
        target(JsonFieldReader.root(nativeBody, "the body"), queryProvider, queryModel);
        if (!nativeBody.has("resumable") || nativeBody.get("resumable").isNull()) {
            nativeBody.put("resumable", true);
        }
        // a placeholder conversation: the real one, already converted, replaces it below
        nativeBody.putArray("messages").addObject().put("role", "user").put("content", ".");
        StreamRequest parsed = StreamRequest.parse(nativeBody);
        if (parsed.backpressure() == Backpressure.DROP) {
            throw body.invalid(
                    "backpressure",
                    "\"drop\" cannot be used here (a UI message stream cannot "
                            + "replace text already sent); use block, buffer or coalesce");
        }
        ChatRequest r = parsed.request();
        Optional<String> system = r.system();
        if (!conversation.system().isEmpty()) {
            system = Optional.of(system.map(s -> s + "\n\n").orElse("") + conversation.system());
        }
        ChatRequest request = new ChatRequest(
                r.model(),
                system,
                conversation.messages(),
                r.tools(),
                r.toolChoice(),
                r.temperature(),
                r.topP(),
                r.maxOutputTokens(),
                r.stopSequences(),
                r.reasoning(),
                r.providerOptions());
        StreamRequest stream = new StreamRequest(
                parsed.provider(),
                request,
                parsed.backpressure(),
                parsed.bufferCapacity(),
                parsed.resumable(),
                parsed.timeouts());
        return new UiChatRequest(chatId, conversation.lastAssistantId(), stream, options);
    }

    private static String chatId(JsonFieldValue id) {
        String value = id.isString() ? id.asString() : "";
        if (value.isBlank()) {
            throw id.invalid("must be the chat id, a non-blank string");
        }
        if (value.length() > MAX_CHAT_ID_LENGTH
                || value.contains("/")
                || value.chars().anyMatch(Character::isISOControl)) {
            throw id.invalid("must be at most " + MAX_CHAT_ID_LENGTH + " characters without '/' or control characters");
        }
        return value;
    }

    /**
     * Fills {@code provider} and {@code model} of the native body being built: body fields first,
     * then the query, then {@code provider/model}.
     */
    private static void target(JsonFieldReader target, Optional<String> queryProvider, Optional<String> queryModel) {
        ObjectNode body = (ObjectNode) target.node();
        if (!target.has("model") && queryModel.isPresent()) {
            body.put("model", queryModel.get());
        }
        if (!target.has("provider") && queryProvider.isPresent()) {
            body.put("provider", queryProvider.get());
        }
        JsonNode model = body.get("model");
        if (!target.has("provider")
                && model != null
                && model.isString()
                && model.stringValue().indexOf('/') > 0) {
            String ref = model.stringValue();
            int slash = ref.indexOf('/');
            if (slash == ref.length() - 1) {
                throw target.invalid("model", "'" + ref + "' is not of the form provider/model");
            }
            body.put("provider", ref.substring(0, slash));
            body.put("model", ref.substring(slash + 1));
        }
        if (!target.has("provider")) {
            throw target.invalid(
                    "provider",
                    "is required: send \"provider\" and \"model\" in the body "
                            + "(useChat: new DefaultChatTransport({body: {provider: \"simulated\", model: \"echo\"}})), "
                            + "\"model\": \"provider/model\", or ?provider=…&model=… in the URL");
        }
    }

    private static UiStreamOptions options(JsonFieldReader options) {
        options.allowOnly(OPTION_FIELDS);
        return new UiStreamOptions(
                options.optionalBoolean("finishReason", false), options.optionalBoolean("providerMetadata", false));
    }

    /**
     * The UI endpoint's wording of a field error, for this body and its {@link UiMessages}: a type
     * error is "must be <expected>" (without what was found), an unknown field is an unknown
     * {@code uiStream} option, anything else the reader's own problem.
     */
    private static InvalidRequestException invalidRequest(JsonFieldException e) {
        String problem = switch (e.reason()) {
            case WRONG_TYPE ->
                (e.path().isEmpty() ? "the body " : "") + "must be "
                        + e.expected().orElseThrow();
            case UNKNOWN_FIELD -> "unknown option; expected " + String.join(" or ", e.allowed());
            case MISSING, INVALID_VALUE -> e.problem();
        };
        return new InvalidRequestException(e.path(), problem, e);
    }
}
