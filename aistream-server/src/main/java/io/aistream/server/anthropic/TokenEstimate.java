package io.aistream.server.anthropic;

import io.aistream.request.AssistantToolCall;
import io.aistream.request.ChatRequest;
import io.aistream.request.ContentPart;
import io.aistream.request.Message;
import io.aistream.request.ToolDefinition;
import io.aistream.server.http.Responses;

/**
 * A provider-neutral estimate of a request's input tokens, for {@code POST /v1/messages/count_tokens}
 * and the {@code input_tokens} of {@code message_start} (the real count is known only at the end of a
 * stream). No tokenizer: every provider counts differently, and a client asks this only to judge how
 * full its context is.
 *
 * <p>The rule: one token per started four characters (UTF-16 code units) of every text the model
 * reads — the system prompt, each message's text, tool calls (name and arguments as JSON), tool
 * results, and tool definitions (name, description, input schema as JSON) — plus
 * {@value #PER_MESSAGE} per message and {@value #PER_IMAGE} per image (Anthropic's figure for an
 * image of about 1.15 megapixels, the size it scales larger images down to).
 *
 * <p>Linear in the request's size, which the endpoint's body limit bounds. Stateless.
 */
final class TokenEstimate {
    /** Tokens a message costs beyond its text (role, separators). */
    static final int PER_MESSAGE = 4;
    /** Tokens an image is counted as, whatever its size. */
    static final int PER_IMAGE = 1600;

    private TokenEstimate() {}

    /** The estimated input tokens of {@code request}; at least 1. */
    static long of(ChatRequest request) {
        long chars = request.system().map(String::length).orElse(0);
        long tokens = 0;
        for (Message m : request.messages()) {
            tokens += PER_MESSAGE;
            switch (m) {
                case Message.User u -> {
                    for (ContentPart p : u.content()) {
                        switch (p) {
                            case ContentPart.Text t -> chars += t.text().length();
                            case ContentPart.Image i -> tokens += PER_IMAGE;
                        }
                    }
                }
                case Message.Assistant a -> {
                    chars += a.text().length();
                    for (AssistantToolCall call : a.toolCalls()) {
                        chars += call.name().length() + json(call.arguments());
                    }
                }
                case Message.Tool t -> chars += t.content().length();
            }
        }
        for (ToolDefinition tool : request.tools()) {
            chars += tool.name().length()
                    + tool.description().map(String::length).orElse(0)
                    + json(tool.parameters());
        }
        return Math.max(1, tokens + (chars + 3) / 4);
    }

    private static long json(tools.jackson.databind.JsonNode node) {
        return Responses.JSON.writeValueAsString(node).length();
    }
}
