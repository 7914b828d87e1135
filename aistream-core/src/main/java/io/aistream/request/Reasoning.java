package io.aistream.request;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How much the model should reason before answering: an effort level (OpenAI-style) or a token
 * budget (Anthropic/Gemini-style). Providers map one onto the other where they can and reject
 * what they cannot express.
 */
public record Reasoning(Optional<Effort> effort, OptionalInt budgetTokens) {
    public Reasoning {
        Objects.requireNonNull(effort, "effort");
        Objects.requireNonNull(budgetTokens, "budgetTokens");
        if (effort.isPresent() == budgetTokens.isPresent()) {
            throw new IllegalArgumentException("reasoning takes either an effort or a token budget");
        }
        if (budgetTokens.isPresent() && budgetTokens.getAsInt() <= 0) {
            throw new IllegalArgumentException("reasoning budget must be positive");
        }
    }

    /** Reasoning at the given effort. */
    public static Reasoning effort(Effort effort) {
        return new Reasoning(Optional.of(effort), OptionalInt.empty());
    }

    /** Reasoning with a budget of thinking tokens. */
    public static Reasoning budget(int tokens) {
        return new Reasoning(Optional.empty(), OptionalInt.of(tokens));
    }

    /** Reasoning effort levels. */
    public enum Effort {
        MINIMAL,
        LOW,
        MEDIUM,
        HIGH
    }
}
