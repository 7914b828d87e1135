package io.aistream.request;

import io.aistream.chunk.AnswerPart;
import io.aistream.chunk.CompletionResponse;
import io.aistream.chunk.ToolCall;
import java.util.ArrayList;
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

    /**
     * An earlier assistant turn: its parts in the order the model produced them (reasoning with its
     * state, text, tool calls). Providers that require the signed reasoning of the last turn back
     * (Anthropic extended thinking with tools, Bedrock Claude, Gemini 3 function calling, OpenAI
     * Responses without storage) get it from here; build it from a streamed answer with
     * {@link #of(CompletionResponse)}.
     *
     * @param parts the parts, in order
     */
    record Assistant(List<AssistantPart> parts) implements Message {
        public Assistant {
            parts = List.copyOf(parts);
        }

        /** A turn of one text run (left out when empty) followed by tool calls, without reasoning. */
        public Assistant(String text, List<AssistantToolCall> toolCalls) {
            this(textThenCalls(text, toolCalls));
        }

        private static List<AssistantPart> textThenCalls(String text, List<AssistantToolCall> toolCalls) {
            Objects.requireNonNull(text, "text");
            List<AssistantPart> parts = new ArrayList<>(toolCalls.size() + 1);
            if (!text.isEmpty()) {
                parts.add(new AssistantPart.Text(text));
            }
            parts.addAll(toolCalls);
            return parts;
        }

        /**
         * The assistant turn a streamed answer makes: its {@link CompletionResponse#parts() parts}
         * with their reasoning state, in order.
         */
        public static Assistant of(CompletionResponse response) {
            List<AssistantPart> parts = new ArrayList<>(response.parts().size());
            for (AnswerPart part : response.parts()) {
                switch (part) {
                    case AnswerPart.Reasoning r -> parts.add(new AssistantPart.Reasoning(r.text(), r.state()));
                    case AnswerPart.Text t -> parts.add(new AssistantPart.Text(t.text(), t.state()));
                    case ToolCall c -> parts.add(new AssistantToolCall(c.callId(), c.name(), c.arguments(), c.state()));
                }
            }
            return new Assistant(parts);
        }

        /** All text parts, concatenated. */
        public String text() {
            StringBuilder text = new StringBuilder();
            for (AssistantPart part : parts) {
                if (part instanceof AssistantPart.Text t) {
                    text.append(t.text());
                }
            }
            return text.toString();
        }

        /** The tool calls, in order. */
        public List<AssistantToolCall> toolCalls() {
            List<AssistantToolCall> calls = new ArrayList<>();
            for (AssistantPart part : parts) {
                if (part instanceof AssistantToolCall c) {
                    calls.add(c);
                }
            }
            return calls;
        }

        /** The reasoning parts, in order. */
        public List<AssistantPart.Reasoning> reasoning() {
            List<AssistantPart.Reasoning> blocks = new ArrayList<>();
            for (AssistantPart part : parts) {
                if (part instanceof AssistantPart.Reasoning r) {
                    blocks.add(r);
                }
            }
            return blocks;
        }

        /** Whether any part is reasoning or carries state: the plain {@code content}/{@code toolCalls} form would lose it. */
        public boolean hasReasoningOrState() {
            for (AssistantPart part : parts) {
                if (part instanceof AssistantPart.Reasoning || part.state().isPresent()) {
                    return true;
                }
            }
            return false;
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
