package io.aistream.provider.ollama;

import io.aistream.provider.spi.UnsupportedOptionException;
import io.aistream.provider.support.Json;
import io.aistream.provider.support.PortableOptions;
import io.aistream.request.AssistantToolCall;
import io.aistream.request.ChatRequest;
import io.aistream.request.ContentPart;
import io.aistream.request.Message;
import io.aistream.request.Reasoning;
import io.aistream.request.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps a {@link ChatRequest} onto an Ollama {@code /api/chat} body. Stateless.
 *
 * <ul>
 *   <li>system → a first {@code system} message; a user message's text parts are joined with
 *       {@code "\n"} into {@code content} and its images go to {@code images} as base64 (inline data,
 *       or a base64 {@code data:} URL); an image by URL is unsupported (Ollama does not fetch URLs).</li>
 *   <li>assistant → {@code content} + {@code tool_calls[{id, function{name, arguments}}]}; tool result →
 *       role {@code tool} with {@code tool_name} and {@code tool_call_id}; a failed tool's content is
 *       sent as {@code {"error": <content>}} (Ollama has no error flag).</li>
 *   <li>tools → {@code tools[{type: function, function{name, description, parameters}}]}; Ollama has
 *       no tool choice: {@code auto} is the default, {@code none} is honoured by not sending the tools,
 *       {@code required} or a named tool is unsupported.</li>
 *   <li>temperature, topP, maxOutputTokens, stop sequences → {@code options.temperature},
 *       {@code top_p}, {@code num_predict}, {@code stop}.</li>
 *   <li>reasoning effort → {@code think}: {@code "low"} (minimal, low), {@code "medium"},
 *       {@code "high"}. Ollama accepts these levels for every thinking model (models without levels,
 *       such as qwen3 or deepseek-r1, simply think; gpt-oss uses the level). A token budget is
 *       unsupported.</li>
 *   <li>{@code stream: true}; {@code providerOptions} are merged in last, objects recursively (so
 *       {@code options.num_ctx}, {@code keep_alive} or {@code format} can be added).</li>
 * </ul>
 */
final class OllamaRequestMapper {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String provider;

    OllamaRequestMapper(String provider) {
        this.provider = provider;
    }

    ObjectNode body(ChatRequest request, String model) {
        ObjectNode body = NODES.objectNode().put("model", model);
        ArrayNode messages = body.putArray("messages");
        request.system()
                .ifPresent(system -> messages.addObject().put("role", "system").put("content", system));
        for (int i = 0; i < request.messages().size(); i++) {
            messages.add(message(request.messages().get(i), i));
        }
        boolean offerTools = !request.tools().isEmpty();
        if (request.toolChoice().isPresent()) {
            switch (request.toolChoice().get().mode()) {
                case AUTO -> {
                    // Ollama's only behaviour
                }
                case NONE -> offerTools = false;
                case REQUIRED, TOOL ->
                    throw new UnsupportedOptionException(
                            provider, "toolChoice", "Ollama cannot force a tool call; use auto or none");
            }
        }
        if (offerTools) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDefinition tool : request.tools()) {
                ObjectNode function = tools.addObject()
                        .put("type", "function")
                        .putObject("function")
                        .put("name", tool.name());
                tool.description().ifPresent(d -> function.put("description", d));
                function.set("parameters", tool.parameters().deepCopy());
            }
        }
        ObjectNode options = NODES.objectNode();
        request.temperature().ifPresent(t -> options.put("temperature", t));
        request.topP().ifPresent(p -> options.put("top_p", p));
        request.maxOutputTokens().ifPresent(m -> options.put("num_predict", m));
        Json.putStrings(options, "stop", request.stopSequences());
        if (!options.isEmpty()) {
            body.set("options", options);
        }
        request.reasoning().ifPresent(reasoning -> body.put("think", think(reasoning)));
        body.put("stream", true);
        for (Map.Entry<String, JsonNode> option : PortableOptions.forWire(
                        provider, request.providerOptions(), PortableOptions.Wire.OTHER)
                .entrySet()) {
            Json.merge(body, option.getKey(), option.getValue());
        }
        return body;
    }

    private String think(Reasoning reasoning) {
        if (reasoning.budgetTokens().isPresent()) {
            throw new UnsupportedOptionException(
                    provider,
                    "reasoning.budgetTokens",
                    "Ollama takes a thinking level (low, medium, high), not a token budget");
        }
        Reasoning.Effort effort = reasoning.effort().orElseThrow();
        return effort == Reasoning.Effort.MINIMAL ? "low" : effort.name().toLowerCase(Locale.ROOT);
    }

    private ObjectNode message(Message message, int i) {
        ObjectNode node = NODES.objectNode().put("role", message.role());
        switch (message) {
            case Message.User user -> {
                List<String> texts = new ArrayList<>();
                ArrayNode images = NODES.arrayNode();
                for (int j = 0; j < user.content().size(); j++) {
                    switch (user.content().get(j)) {
                        case ContentPart.Text text -> texts.add(text.text());
                        case ContentPart.Image image ->
                            images.add(imageData(image, "messages[" + i + "].content[" + j + "]"));
                    }
                }
                node.put("content", String.join("\n", texts));
                if (!images.isEmpty()) {
                    node.set("images", images);
                }
            }
            case Message.Assistant assistant -> {
                node.put("content", assistant.text());
                if (!assistant.toolCalls().isEmpty()) {
                    ArrayNode calls = node.putArray("tool_calls");
                    for (AssistantToolCall call : assistant.toolCalls()) {
                        ObjectNode callNode = calls.addObject();
                        if (!call.id().isEmpty()) {
                            callNode.put("id", call.id());
                        }
                        callNode.putObject("function")
                                .put("name", call.name())
                                .set("arguments", call.arguments().deepCopy());
                    }
                }
            }
            case Message.Tool tool -> {
                node.put("content", tool.isError() ? errorContent(tool.content()) : tool.content());
                node.put("tool_name", tool.name());
                node.put("tool_call_id", tool.toolCallId());
            }
        }
        return node;
    }

    private String imageData(ContentPart.Image image, String where) {
        return switch (image.source()) {
            case ContentPart.ImageSource.Base64 data -> data.data();
            case ContentPart.ImageSource.Url url -> {
                String u = url.url();
                int comma = u.indexOf(',');
                if (u.regionMatches(true, 0, "data:", 0, 5)
                        && comma > 0
                        && u.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64")) {
                    yield u.substring(comma + 1);
                }
                throw new UnsupportedOptionException(
                        provider, where, "Ollama takes images as base64 data only, not by URL");
            }
        };
    }

    private static String errorContent(String content) {
        JsonNode value;
        try {
            value = OllamaLineReader.JSON.readTree(content);
        } catch (JacksonException e) {
            value = null;
        }
        if (value == null || value.isMissingNode()) {
            value = NODES.stringNode(content);
        }
        return OllamaLineReader.JSON.writeValueAsString(NODES.objectNode().set("error", value));
    }
}
