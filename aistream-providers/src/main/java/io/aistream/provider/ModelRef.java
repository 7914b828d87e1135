package io.aistream.provider;

import java.util.Objects;

/**
 * A provider and model, written {@code provider/model} (the model may itself contain slashes, as
 * OpenRouter's {@code openrouter/meta-llama/llama-3.1-8b} does: only the first slash separates).
 */
public record ModelRef(String provider, String model) {
    public ModelRef {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        if (provider.isBlank() || model.isBlank()) {
            throw new IllegalArgumentException("provider and model must not be blank");
        }
    }

    /**
     * Parses {@code provider/model}.
     *
     * @throws IllegalArgumentException naming the text when it has no slash or an empty side
     */
    public static ModelRef parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not of the form provider/model");
        }
        return new ModelRef(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public String toString() {
        return provider + "/" + model;
    }
}
