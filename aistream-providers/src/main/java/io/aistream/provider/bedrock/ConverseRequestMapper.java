package io.aistream.provider.bedrock;

import io.aistream.chunk.ReasoningState;
import io.aistream.provider.spi.UnsupportedOptionException;
import io.aistream.provider.support.Json;
import io.aistream.provider.support.PortableOptions;
import io.aistream.request.AssistantPart;
import io.aistream.request.AssistantToolCall;
import io.aistream.request.ChatRequest;
import io.aistream.request.ContentPart;
import io.aistream.request.Message;
import io.aistream.request.Reasoning;
import io.aistream.request.ToolChoice;
import io.aistream.request.ToolDefinition;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps a {@link ChatRequest} onto the Bedrock Converse API request body.
 *
 * <ul>
 *   <li>{@code system} → {@code system: [{text}]}.</li>
 *   <li>Messages → {@code messages: [{role, content: [...]}]}: user text → {@code {text}}, inline
 *       images and {@code data:} URLs → {@code {image: {format, source: {bytes}}}} (format from the
 *       media type: png, jpeg, gif, webp), {@code s3://} URLs →
 *       {@code {image: {format, source: {s3Location: {uri}}}}}; any other URL is rejected (Bedrock
 *       does not fetch URLs). An assistant turn's parts in order: reasoning whose state comes from a
 *       Claude platform ({@link ReasoningState#CLAUDE_SOURCES}) →
 *       {@code {reasoningContent: {reasoningText: {text, signature}}}} or
 *       {@code {reasoningContent: {redactedContent}}}, other reasoning dropped; text → {@code {text}};
 *       tool calls → {@code {toolUse: {toolUseId, name, input}}}. Tool results →
 *       {@code {toolResult: {toolUseId, content: [{text}], status}}} in a {@code user} message.
 *       Consecutive messages of the same Bedrock role (e.g. several tool results, or tool results
 *       followed by a user message) are merged into one message, since Converse requires roles to
 *       alternate.</li>
 *   <li>{@code maxOutputTokens}, {@code temperature}, {@code topP}, {@code stopSequences} →
 *       {@code inferenceConfig {maxTokens, temperature, topP, stopSequences}}.</li>
 *   <li>Tools → {@code toolConfig.tools[].toolSpec {name, description, inputSchema: {json}}};
 *       tool choice auto / required / tool → {@code toolChoice {auto: {}} / {any: {}} /
 *       {tool: {name}}}. Converse has no "none": {@link ToolChoice#NONE} with tools is rejected
 *       (without tools it needs nothing).</li>
 *   <li>Reasoning: a token budget → {@code additionalModelRequestFields.thinking =
 *       {type: "enabled", budget_tokens}}, the form Anthropic Claude models on Bedrock take.
 *       An effort level is rejected: Bedrock has no model-neutral effort field (pass the model's own
 *       field through {@code providerOptions.additionalModelRequestFields}).</li>
 *   <li>{@code providerOptions} are set at the top level verbatim; where both the mapped body and
 *       an option hold an object under the same key (e.g. {@code additionalModelRequestFields}),
 *       the option's fields are added to the mapped object, the option winning on conflicts.</li>
 * </ul>
 * Stateless.
 */
final class ConverseRequestMapper {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String PROVIDER = BedrockProtocol.ID;

    private ConverseRequestMapper() {}

    static ObjectNode toBody(ChatRequest request) {
        ObjectNode body = NODES.objectNode();
        request.system().ifPresent(system -> body.putArray("system").addObject().put("text", system));
        body.set("messages", messages(request));
        ObjectNode inference = inferenceConfig(request);
        if (!inference.isEmpty()) {
            body.set("inferenceConfig", inference);
        }
        toolConfig(request, body);
        request.reasoning()
                .ifPresent(reasoning ->
                        body.putObject("additionalModelRequestFields").set("thinking", thinking(reasoning)));
        for (Map.Entry<String, JsonNode> option : PortableOptions.forWire(
                        PROVIDER, request.providerOptions(), PortableOptions.Wire.OTHER)
                .entrySet()) {
            JsonNode existing = body.get(option.getKey());
            if (existing instanceof ObjectNode target && option.getValue() instanceof ObjectNode extra) {
                target.setAll(extra.deepCopy());
            } else {
                body.set(option.getKey(), option.getValue().deepCopy());
            }
        }
        return body;
    }

    private static ArrayNode messages(ChatRequest request) {
        ArrayNode messages = NODES.arrayNode();
        String lastRole = null;
        ArrayNode lastContent = null;
        for (Message message : request.messages()) {
            String role = message instanceof Message.Assistant ? "assistant" : "user";
            if (!role.equals(lastRole)) {
                ObjectNode m = messages.addObject();
                m.put("role", role);
                lastContent = m.putArray("content");
                lastRole = role;
            }
            ArrayNode content = lastContent;
            switch (message) {
                case Message.User user -> user.content().forEach(part -> content.add(part(part)));
                case Message.Assistant assistant -> assistant(assistant, content);
                case Message.Tool tool -> content.add(toolResult(tool));
            }
        }
        return messages;
    }

    /**
     * An assistant turn's parts in order: reasoning signed by a Claude platform
     * ({@link ReasoningState#CLAUDE_SOURCES}) → {@code reasoningContent} blocks, other reasoning
     * dropped; non-empty text → {@code text}; tool calls → {@code toolUse}. A turn that maps to no
     * block is sent as one empty text block, as before reasoning parts existed.
     */
    private static void assistant(Message.Assistant assistant, ArrayNode content) {
        int before = content.size();
        for (AssistantPart part : assistant.parts()) {
            switch (part) {
                case AssistantPart.Reasoning reasoning -> reasoning(reasoning, content);
                case AssistantPart.Text text -> {
                    if (!text.text().isEmpty()) {
                        content.addObject().put("text", text.text());
                    }
                }
                case AssistantToolCall call -> {
                    ObjectNode toolUse = content.addObject().putObject("toolUse");
                    toolUse.put("toolUseId", call.id());
                    toolUse.put("name", call.name());
                    toolUse.set("input", call.arguments().deepCopy());
                }
            }
        }
        if (content.size() == before) {
            content.addObject().put("text", "");
        }
    }

    /**
     * {@code {reasoningContent: {reasoningText: {text, signature}}}} or
     * {@code {reasoningContent: {redactedContent: base64}}}; nothing without a Claude state.
     */
    private static void reasoning(AssistantPart.Reasoning reasoning, ArrayNode content) {
        Optional<ReasoningState> state = reasoning.state().filter(s -> s.from(ReasoningState.CLAUDE_SOURCES));
        if (state.isEmpty()) {
            return;
        }
        if (state.get().redacted().isPresent()) {
            content.addObject()
                    .putObject("reasoningContent")
                    .put("redactedContent", state.get().redacted().get());
        } else if (state.get().signature().isPresent()) {
            content.addObject()
                    .putObject("reasoningContent")
                    .putObject("reasoningText")
                    .put("text", reasoning.text())
                    .put("signature", state.get().signature().get());
        }
    }

    private static ObjectNode toolResult(Message.Tool tool) {
        ObjectNode block = NODES.objectNode();
        ObjectNode result = block.putObject("toolResult");
        result.put("toolUseId", tool.toolCallId());
        result.putArray("content").addObject().put("text", tool.content());
        result.put("status", tool.isError() ? "error" : "success");
        return block;
    }

    private static ObjectNode part(ContentPart part) {
        ObjectNode block = NODES.objectNode();
        switch (part) {
            case ContentPart.Text text -> block.put("text", text.text());
            case ContentPart.Image image -> block.set("image", image(image));
        }
        return block;
    }

    private static ObjectNode image(ContentPart.Image image) {
        ObjectNode node = NODES.objectNode();
        switch (image.source()) {
            case ContentPart.ImageSource.Base64 inline -> {
                node.put("format", imageFormat(image.mediaType()));
                node.putObject("source").put("bytes", inline.data());
            }
            case ContentPart.ImageSource.Url url -> urlImage(url.url(), image.mediaType(), node);
        }
        return node;
    }

    private static void urlImage(String url, String mediaType, ObjectNode node) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("data:")) {
            int comma = url.indexOf(',');
            String meta = comma < 0 ? "" : url.substring(5, comma);
            if (comma < 0 || !meta.toLowerCase(Locale.ROOT).endsWith(";base64")) {
                throw new UnsupportedOptionException(
                        PROVIDER,
                        "image.url",
                        "only base64 data: URLs can be sent inline (data:<media type>;base64,<data>)");
            }
            String type = meta.substring(0, meta.length() - ";base64".length());
            node.put("format", imageFormat(type.isEmpty() ? mediaType : type));
            node.putObject("source").put("bytes", url.substring(comma + 1));
        } else if (lower.startsWith("s3://")) {
            node.put("format", imageFormat(mediaType.isEmpty() ? mediaTypeFromName(lower) : mediaType));
            node.putObject("source").putObject("s3Location").put("uri", url);
        } else {
            throw new UnsupportedOptionException(
                    PROVIDER,
                    "image.url",
                    "Bedrock does not fetch image URLs; send the image as base64 data (or an s3:// URI)");
        }
    }

    private static String imageFormat(String mediaType) {
        return switch (mediaType.toLowerCase(Locale.ROOT).strip()) {
            case "image/png" -> "png";
            case "image/jpeg", "image/jpg" -> "jpeg";
            case "image/gif" -> "gif";
            case "image/webp" -> "webp";
            default ->
                throw new UnsupportedOptionException(
                        PROVIDER,
                        "image.mediaType",
                        "Bedrock accepts png, jpeg, gif and webp images, not '" + mediaType + "'");
        };
    }

    private static String mediaTypeFromName(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return "image/" + ext;
    }

    private static ObjectNode inferenceConfig(ChatRequest request) {
        ObjectNode inference = NODES.objectNode();
        request.maxOutputTokens().ifPresent(max -> inference.put("maxTokens", max));
        request.temperature().ifPresent(t -> inference.put("temperature", t));
        request.topP().ifPresent(p -> inference.put("topP", p));
        Json.putStrings(inference, "stopSequences", request.stopSequences());
        return inference;
    }

    private static void toolConfig(ChatRequest request, ObjectNode body) {
        ToolChoice choice = request.toolChoice().orElse(ToolChoice.AUTO);
        if (request.tools().isEmpty()) {
            if (choice.mode() == ToolChoice.Mode.REQUIRED) {
                throw new UnsupportedOptionException(PROVIDER, "toolChoice", "a required tool call needs tools");
            }
            return;
        }
        ObjectNode config = body.putObject("toolConfig");
        ArrayNode tools = config.putArray("tools");
        for (ToolDefinition tool : request.tools()) {
            ObjectNode spec = tools.addObject().putObject("toolSpec");
            spec.put("name", tool.name());
            tool.description().ifPresent(d -> spec.put("description", d));
            spec.putObject("inputSchema").set("json", tool.parameters().deepCopy());
        }
        if (request.toolChoice().isEmpty()) {
            return;
        }
        ObjectNode toolChoice = NODES.objectNode();
        switch (choice.mode()) {
            case AUTO -> toolChoice.putObject("auto");
            case REQUIRED -> toolChoice.putObject("any");
            case TOOL ->
                toolChoice.putObject("tool").put("name", choice.toolName().orElseThrow());
            case NONE ->
                throw new UnsupportedOptionException(
                        PROVIDER,
                        "toolChoice",
                        "Bedrock Converse has no 'none' tool choice; send the request without tools instead");
        }
        config.set("toolChoice", toolChoice);
    }

    private static ObjectNode thinking(Reasoning reasoning) {
        if (reasoning.budgetTokens().isEmpty()) {
            throw new UnsupportedOptionException(
                    PROVIDER,
                    "reasoning.effort",
                    "Bedrock Converse takes a reasoning token budget (sent as additionalModelRequestFields.thinking);"
                            + " for a model-specific effort field use providerOptions.additionalModelRequestFields");
        }
        ObjectNode thinking = NODES.objectNode();
        thinking.put("type", "enabled");
        thinking.put("budget_tokens", reasoning.budgetTokens().getAsInt());
        return thinking;
    }
}
