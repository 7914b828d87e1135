package io.aistream.request;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;

/**
 * A provider-neutral chat request. Immutable; build one with {@link #builder()}.
 *
 * <pre>{@code
 * ChatRequest request = ChatRequest.builder()
 *         .model("gpt-4o-mini")
 *         .system("You are terse.")
 *         .user("What is the weather in Paris?")
 *         .tool(new ToolDefinition("get_weather", Optional.of("Current weather"), schema))
 *         .maxOutputTokens(256)
 *         .build();
 * }</pre>
 *
 * @param model           the model name as the provider knows it; empty to let the provider or an
 *                        alias decide
 * @param system          the system prompt
 * @param messages        the conversation, oldest first; never empty
 * @param tools           tools the model may call
 * @param toolChoice      whether and which tool must be called
 * @param temperature     sampling temperature
 * @param topP            nucleus sampling
 * @param maxOutputTokens the output token limit
 * @param stopSequences   sequences that end the output
 * @param reasoning       reasoning effort or budget
 * @param providerOptions provider-specific fields passed through verbatim into the provider's
 *                        request JSON (top level), for what this model does not cover
 */
public record ChatRequest(
        Optional<String> model,
        Optional<String> system,
        List<Message> messages,
        List<ToolDefinition> tools,
        Optional<ToolChoice> toolChoice,
        OptionalDouble temperature,
        OptionalDouble topP,
        OptionalInt maxOutputTokens,
        List<String> stopSequences,
        Optional<Reasoning> reasoning,
        Map<String, JsonNode> providerOptions) {

    public ChatRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(system, "system");
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        Objects.requireNonNull(toolChoice, "toolChoice");
        Objects.requireNonNull(temperature, "temperature");
        Objects.requireNonNull(topP, "topP");
        Objects.requireNonNull(maxOutputTokens, "maxOutputTokens");
        stopSequences = List.copyOf(stopSequences);
        Objects.requireNonNull(reasoning, "reasoning");
        providerOptions = Map.copyOf(providerOptions);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
        if (temperature.isPresent() && !(temperature.getAsDouble() >= 0 && temperature.getAsDouble() <= 2)) {
            throw new IllegalArgumentException("temperature must be between 0 and 2");
        }
        if (topP.isPresent() && !(topP.getAsDouble() > 0 && topP.getAsDouble() <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1]");
        }
        if (maxOutputTokens.isPresent() && maxOutputTokens.getAsInt() <= 0) {
            throw new IllegalArgumentException("maxOutputTokens must be positive");
        }
        if (toolChoice.isPresent() && toolChoice.get().mode() == ToolChoice.Mode.TOOL) {
            String name = toolChoice.get().toolName().orElseThrow();
            if (tools.stream().noneMatch(t -> t.name().equals(name))) {
                throw new IllegalArgumentException("toolChoice names '" + name + "', which is not among the tools");
            }
        }
        long distinct = tools.stream().map(ToolDefinition::name).distinct().count();
        if (distinct != tools.size()) {
            throw new IllegalArgumentException("tool names must be unique");
        }
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** This request with other messages (everything else unchanged). */
    public ChatRequest withMessages(List<Message> newMessages) {
        return new ChatRequest(
                model,
                system,
                newMessages,
                tools,
                toolChoice,
                temperature,
                topP,
                maxOutputTokens,
                stopSequences,
                reasoning,
                providerOptions);
    }

    /**
     * This request ending with the assistant's answer begun as {@code prefix} (an assistant prefill, for the
     * providers that continue one): appended to a trailing assistant message without tool calls, else added as one.
     */
    public ChatRequest withAssistantPrefill(String prefix) {
        List<Message> newMessages = new ArrayList<>(messages);
        if (!newMessages.isEmpty()
                && newMessages.getLast() instanceof Message.Assistant a
                && a.toolCalls().isEmpty()) {
            newMessages.set(newMessages.size() - 1, Message.assistant(a.text() + prefix));
        } else {
            newMessages.add(Message.assistant(prefix));
        }
        return withMessages(newMessages);
    }

    /** A builder starting from this request's values (e.g. to change the model for a fallback). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model.orElse(null);
        b.system = system.orElse(null);
        b.messages.addAll(messages);
        b.tools.addAll(tools);
        b.toolChoice = toolChoice.orElse(null);
        b.temperature = temperature;
        b.topP = topP;
        b.maxOutputTokens = maxOutputTokens;
        b.stopSequences.addAll(stopSequences);
        b.reasoning = reasoning.orElse(null);
        b.providerOptions.putAll(providerOptions);
        return b;
    }

    /** Builds a {@link ChatRequest}; not thread-safe. */
    public static final class Builder {
        private String model;
        private String system;
        private final List<Message> messages = new ArrayList<>();
        private final List<ToolDefinition> tools = new ArrayList<>();
        private ToolChoice toolChoice;
        private OptionalDouble temperature = OptionalDouble.empty();
        private OptionalDouble topP = OptionalDouble.empty();
        private OptionalInt maxOutputTokens = OptionalInt.empty();
        private final List<String> stopSequences = new ArrayList<>();
        private Reasoning reasoning;
        private final Map<String, JsonNode> providerOptions = new LinkedHashMap<>();

        private Builder() {}

        public Builder model(String value) {
            this.model = value;
            return this;
        }

        public Builder system(String value) {
            this.system = value;
            return this;
        }

        public Builder message(Message value) {
            messages.add(Objects.requireNonNull(value, "message"));
            return this;
        }

        public Builder messages(List<? extends Message> values) {
            values.forEach(this::message);
            return this;
        }

        /** Adds a user message with one text part. */
        public Builder user(String text) {
            return message(Message.user(text));
        }

        /** Adds an assistant message with text only. */
        public Builder assistant(String text) {
            return message(Message.assistant(text));
        }

        public Builder tool(ToolDefinition value) {
            tools.add(Objects.requireNonNull(value, "tool"));
            return this;
        }

        public Builder toolChoice(ToolChoice value) {
            this.toolChoice = value;
            return this;
        }

        public Builder temperature(double value) {
            this.temperature = OptionalDouble.of(value);
            return this;
        }

        public Builder topP(double value) {
            this.topP = OptionalDouble.of(value);
            return this;
        }

        public Builder maxOutputTokens(int value) {
            this.maxOutputTokens = OptionalInt.of(value);
            return this;
        }

        public Builder stopSequence(String value) {
            stopSequences.add(Objects.requireNonNull(value, "stopSequence"));
            return this;
        }

        public Builder reasoning(Reasoning value) {
            this.reasoning = value;
            return this;
        }

        /** Passes {@code value} through verbatim as the top-level field {@code name} of the provider's request. */
        public Builder providerOption(String name, JsonNode value) {
            providerOptions.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Builds the request.
         *
         * @throws IllegalArgumentException naming the field when a value is invalid
         */
        public ChatRequest build() {
            return new ChatRequest(
                    Optional.ofNullable(model),
                    Optional.ofNullable(system),
                    messages,
                    tools,
                    Optional.ofNullable(toolChoice),
                    temperature,
                    topP,
                    maxOutputTokens,
                    stopSequences,
                    Optional.ofNullable(reasoning),
                    providerOptions);
        }
    }
}
