package io.aistream.request;

import java.util.List;
import java.util.Objects;

/** One message of the conversation; the system prompt is not a message (see {@link ChatRequest#system()}). */
public sealed interface Message permits Message.User, Message.Assistant, Message.Tool {

    /** The role as written in most providers' JSON: {@code user}, {@code assistant} or {@code tool}. */
    String role();

    /** A user turn: text and images. */
    record User(List<ContentPart> content) implements Message {
        public User {
            content = List.copyOf(content);
            if (content.isEmpty()) {
                throw new IllegalArgumentException("a user message needs content");
            }
        }

        @Override
        public String role() {
            return "user";
        }
    }

    /** An earlier assistant turn: its text and the tool calls it made. */
    record Assistant(String text, List<AssistantToolCall> toolCalls) implements Message {
        public Assistant {
            Objects.requireNonNull(text, "text");
            toolCalls = List.copyOf(toolCalls);
        }

        @Override
        public String role() {
            return "assistant";
        }
    }

    /**
     * The result of a tool call, answering an {@link AssistantToolCall} by id.
     *
     * @param toolCallId the id of the call this answers
     * @param name       the tool's name (some providers require it)
     * @param content    the result, usually JSON text
     * @param isError    whether the tool failed
     */
    record Tool(String toolCallId, String name, String content, boolean isError) implements Message {
        public Tool {
            Objects.requireNonNull(toolCallId, "toolCallId");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(content, "content");
        }

        @Override
        public String role() {
            return "tool";
        }
    }

    /** A user message with one text part. */
    static User user(String text) {
        return new User(List.of(new ContentPart.Text(text)));
    }

    /** An assistant message with text only. */
    static Assistant assistant(String text) {
        return new Assistant(text, List.of());
    }

    /** A successful tool result. */
    static Tool toolResult(String toolCallId, String name, String content) {
        return new Tool(toolCallId, name, content, false);
    }
}
