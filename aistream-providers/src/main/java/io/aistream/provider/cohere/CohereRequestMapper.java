package io.aistream.provider.cohere;

import io.aistream.provider.spi.UnsupportedOptionException;
import io.aistream.provider.support.Json;
import io.aistream.provider.support.PortableOptions;
import io.aistream.request.AssistantToolCall;
import io.aistream.request.ChatRequest;
import io.aistream.request.ContentPart;
import io.aistream.request.Message;
import io.aistream.request.Reasoning;
import io.aistream.request.ToolDefinition;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps a {@link ChatRequest} onto a Cohere v2 Chat request body; the rules are listed on
 * {@link CohereProtocol}. Stateless.
 */
final class CohereRequestMapper {
    /** Prefix of a tool result that reports a failure (Cohere has no error flag on tool messages). */
    static final String TOOL_ERROR_PREFIX = "Error: ";

    private final String provider;

    CohereRequestMapper(String provider) {
        this.provider = provider;
    }

    ObjectNode toJson(ChatRequest request) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put(
                "model",
                request.model()
                        .filter(m -> !m.isBlank())
                        .orElseThrow(
                                () -> new UnsupportedOptionException(provider, "model", "Cohere needs a model name")));
        root.set("messages", messages(request));
        if (!request.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (ToolDefinition tool : request.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", tool.name());
                tool.description().ifPresent(d -> function.put("description", d));
                function.set("parameters", tool.parameters());
            }
        }
        request.toolChoice().ifPresent(choice -> {
            switch (choice.mode()) {
                case AUTO -> {
                    // Cohere's default; it has no explicit value for it
                }
                case REQUIRED -> root.put("tool_choice", "REQUIRED");
                case NONE -> root.put("tool_choice", "NONE");
                case TOOL ->
                    throw new UnsupportedOptionException(
                            provider,
                            "toolChoice",
                            "Cohere can require some tool (REQUIRED) but not a specific one ('"
                                    + choice.toolName().orElseThrow() + "')");
            }
        });
        request.temperature().ifPresent(t -> root.put("temperature", t));
        request.topP().ifPresent(p -> root.put("p", p));
        request.maxOutputTokens().ifPresent(max -> root.put("max_tokens", max));
        Json.putStrings(root, "stop_sequences", request.stopSequences());
        request.reasoning()
                .ifPresent(reasoning ->
                        root.putObject("thinking").put("type", "enabled").put("token_budget", budget(reasoning)));
        root.put("stream", true);
        root.setAll(PortableOptions.forWire(provider, request.providerOptions(), PortableOptions.Wire.OTHER));
        return root;
    }

    /** A budget as given; an effort mapped per {@link CohereProtocol}'s table. */
    private static int budget(Reasoning reasoning) {
        if (reasoning.budgetTokens().isPresent()) {
            return reasoning.budgetTokens().getAsInt();
        }
        return switch (reasoning.effort().orElseThrow()) {
            case MINIMAL -> 1024;
            case LOW -> 2048;
            case MEDIUM -> 8192;
            case HIGH -> 16384;
        };
    }

    private static ArrayNode messages(ChatRequest request) {
        ArrayNode messages = Json.MAPPER.createArrayNode();
        request.system()
                .ifPresent(system -> messages.addObject().put("role", "system").put("content", system));
        for (Message message : request.messages()) {
            switch (message) {
                case Message.User user -> {
                    ArrayNode content = messages.addObject().put("role", "user").putArray("content");
                    user.content().forEach(part -> content.add(part(part)));
                }
                case Message.Assistant assistant -> assistant(assistant, messages);
                case Message.Tool tool ->
                    messages.addObject()
                            .put("role", "tool")
                            .put("tool_call_id", tool.toolCallId())
                            .put("content", tool.isError() ? TOOL_ERROR_PREFIX + tool.content() : tool.content());
            }
        }
        return messages;
    }

    /** Text alone → {@code content}; with tool calls the text is the turn's {@code tool_plan}. */
    private static void assistant(Message.Assistant assistant, ArrayNode messages) {
        if (assistant.toolCalls().isEmpty()) {
            if (!assistant.text().isEmpty()) {
                messages.addObject().put("role", "assistant").put("content", assistant.text());
            }
            return; // an empty assistant turn says nothing
        }
        ObjectNode m = messages.addObject().put("role", "assistant");
        if (!assistant.text().isEmpty()) {
            m.put("tool_plan", assistant.text());
        }
        ArrayNode calls = m.putArray("tool_calls");
        for (AssistantToolCall call : assistant.toolCalls()) {
            calls.addObject()
                    .put("id", call.id())
                    .put("type", "function")
                    .putObject("function")
                    .put("name", call.name())
                    .put("arguments", Json.MAPPER.writeValueAsString(call.arguments()));
        }
    }

    private static ObjectNode part(ContentPart part) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        switch (part) {
            case ContentPart.Text text -> node.put("type", "text").put("text", text.text());
            case ContentPart.Image image -> {
                String url = switch (image.source()) {
                    case ContentPart.ImageSource.Url u -> u.url();
                    case ContentPart.ImageSource.Base64 b -> "data:" + image.mediaType() + ";base64," + b.data();
                };
                node.put("type", "image_url").putObject("image_url").put("url", url);
            }
        }
        return node;
    }
}
