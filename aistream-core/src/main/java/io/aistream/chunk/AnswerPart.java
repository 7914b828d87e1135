package io.aistream.chunk;

import java.util.Objects;
import java.util.Optional;

/**
 * One part of an accumulated answer, in the order the stream produced it: reasoning blocks (with
 * the state the provider needs back), text, and tool calls. {@link CompletionResponse#parts()}
 * lists them; {@code io.aistream.request.Message.Assistant.of(CompletionResponse)} turns them into
 * the assistant turn of the next request.
 */
public sealed interface AnswerPart permits AnswerPart.Reasoning, AnswerPart.Text, ToolCall {

    /**
     * A reasoning block: its text (possibly empty: redacted or encrypted reasoning) and its state.
     *
     * @param text  the block's reasoning text
     * @param state the block's signature, redacted data or encrypted item, if the provider sent one
     */
    record Reasoning(String text, Optional<ReasoningState> state) implements AnswerPart {
        public Reasoning {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * A run of answer text.
     *
     * @param text  the text
     * @param state reasoning state attached to the text (a Gemini thought signature), if any
     */
    record Text(String text, Optional<ReasoningState> state) implements AnswerPart {
        public Text {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(state, "state");
        }
    }
}
