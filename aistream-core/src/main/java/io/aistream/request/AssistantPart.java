package io.aistream.request;

import io.aistream.chunk.ReasoningState;
import java.util.Objects;
import java.util.Optional;

/**
 * One part of an earlier assistant turn, in the order the model produced it: reasoning (with the
 * state its provider requires back), text, or a tool call. See {@link Message.Assistant}.
 */
public sealed interface AssistantPart permits AssistantPart.Reasoning, AssistantPart.Text, AssistantToolCall {

    /** The reasoning state this part carries, if any. */
    Optional<ReasoningState> state();

    /**
     * A reasoning block.
     *
     * @param text  its reasoning text (may be empty for redacted or encrypted reasoning)
     * @param state its signature, redacted data or encrypted item; request mappers send back only the
     *              states of their own source, and the text alone only where the provider accepts it
     */
    record Reasoning(String text, Optional<ReasoningState> state) implements AssistantPart {
        public Reasoning {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * A run of answer text.
     *
     * @param text  the text
     * @param state a thought signature attached to the text (Gemini), if any
     */
    record Text(String text, Optional<ReasoningState> state) implements AssistantPart {
        public Text {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(state, "state");
        }

        /** Text without state. */
        public Text(String text) {
            this(text, Optional.empty());
        }
    }
}
