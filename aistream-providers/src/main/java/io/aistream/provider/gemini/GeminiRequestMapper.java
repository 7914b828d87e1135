package io.aistream.provider.gemini;

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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps a {@link ChatRequest} onto a Gemini {@code GenerateContentRequest} body. Stateless.
 *
 * <ul>
 *   <li>system → {@code systemInstruction}; user → {@code contents[]} role {@code user}; assistant →
 *       role {@code model} with its parts in order: reasoning with a {@code google} signature →
 *       {@code {text, thought: true, thoughtSignature}} (other reasoning is not sent), text →
 *       {@code {text}}, tool call → {@code {functionCall}}, each with its {@code thoughtSignature} when
 *       it has a {@code google} one (foreign state is stripped); consecutive tool results →
 *       one role {@code user} content of {@code functionResponse} parts (Gemini correlates results by
 *       name and order; aistream's call ids are not sent, since Gemini issues none).</li>
 *   <li>A tool result whose content is a JSON object is sent as the {@code response} object; any other
 *       content as {@code {"output": value}}; a failed tool's as {@code {"error": value}}.</li>
 *   <li>Images: inline base64 → {@code inlineData}; a base64 {@code data:} URL → {@code inlineData};
 *       another URL → {@code fileData {fileUri, mimeType}} (media type from the request, else guessed from
 *       the file extension, else omitted).</li>
 *   <li>Tools → {@code tools[{functionDeclarations}]} with the JSON Schema passed through unchanged as
 *       {@code parametersJsonSchema} (Gemini accepts a subset of JSON Schema there and rejects what it
 *       does not support with HTTP 400).</li>
 *   <li>Tool choice auto/none/required/tool → {@code functionCallingConfig} {@code AUTO}/{@code NONE}/
 *       {@code ANY}/{@code ANY + allowedFunctionNames}.</li>
 *   <li>Reasoning → {@code thinkingConfig} with {@code includeThoughts: true}; a budget → {@code thinkingBudget};
 *       an effort → {@code thinkingLevel} ({@code minimal|low|medium|high}) for {@code gemini-3*} models,
 *       else {@code thinkingBudget} 512 / 1024 / 8192 / 24576 for minimal / low / medium / high.</li>
 *   <li>{@code providerOptions} are merged into the top level last: objects merge recursively (so
 *       {@code generationConfig} or {@code safetySettings} can be added to), anything else replaces.</li>
 * </ul>
 */
final class GeminiRequestMapper {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<Reasoning.Effort, Integer> EFFORT_BUDGETS = Map.of(
            Reasoning.Effort.MINIMAL,
            512,
            Reasoning.Effort.LOW,
            1024,
            Reasoning.Effort.MEDIUM,
            8192,
            Reasoning.Effort.HIGH,
            24576);
    private static final Map<String, String> IMAGE_TYPES = Map.of(
            "png",
            "image/png",
            "jpg",
            "image/jpeg",
            "jpeg",
            "image/jpeg",
            "webp",
            "image/webp",
            "gif",
            "image/gif",
            "heic",
            "image/heic",
            "heif",
            "image/heif");

    private final String provider;

    GeminiRequestMapper(String provider) {
        this.provider = provider;
    }

    /** The request body for {@code request}, sent to {@code model}. */
    ObjectNode body(ChatRequest request, String model) {
        ObjectNode body = NODES.objectNode();
        request.system()
                .ifPresent(system -> body.putObject("systemInstruction")
                        .putArray("parts")
                        .addObject()
                        .put("text", system));
        body.set("contents", contents(request.messages()));
        if (!request.tools().isEmpty()) {
            ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
            for (ToolDefinition tool : request.tools()) {
                ObjectNode declaration = declarations.addObject().put("name", tool.name());
                tool.description().ifPresent(d -> declaration.put("description", d));
                declaration.set("parametersJsonSchema", tool.parameters().deepCopy());
            }
        }
        request.toolChoice()
                .ifPresent(choice ->
                        body.putObject("toolConfig").set("functionCallingConfig", functionCallingConfig(choice)));
        ObjectNode config = generationConfig(request, model);
        if (!config.isEmpty()) {
            body.set("generationConfig", config);
        }
        for (Map.Entry<String, JsonNode> option : PortableOptions.forWire(
                        provider, request.providerOptions(), PortableOptions.Wire.OTHER)
                .entrySet()) {
            Json.merge(body, option.getKey(), option.getValue());
        }
        return body;
    }

    private ArrayNode contents(List<Message> messages) {
        ArrayNode contents = NODES.arrayNode();
        ArrayNode toolResults = null;
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            if (message instanceof Message.Tool tool) {
                if (toolResults == null) {
                    toolResults = contents.addObject().put("role", "user").putArray("parts");
                }
                toolResults
                        .addObject()
                        .putObject("functionResponse")
                        .put("name", tool.name())
                        .set("response", toolResponse(tool));
                continue;
            }
            toolResults = null;
            switch (message) {
                case Message.User user -> {
                    ArrayNode parts = contents.addObject().put("role", "user").putArray("parts");
                    for (int j = 0; j < user.content().size(); j++) {
                        parts.add(part(user.content().get(j), "messages[" + i + "].content[" + j + "]"));
                    }
                }
                case Message.Assistant assistant -> {
                    ArrayNode parts = modelParts(assistant);
                    if (!parts.isEmpty()) {
                        contents.addObject().put("role", "model").set("parts", parts);
                    }
                }
                case Message.Tool tool -> throw new IllegalStateException("handled above: " + tool.name());
            }
        }
        return contents;
    }

    /**
     * The parts of a model turn, in the order the model produced them: reasoning only with a
     * {@code google} signature (as a thought part; its text alone is no valid thought), text (empty
     * text only when it carries a signature), function calls; each with its {@code thoughtSignature}
     * when the state is Gemini's, never another source's.
     */
    private static ArrayNode modelParts(Message.Assistant assistant) {
        ArrayNode parts = NODES.arrayNode();
        for (AssistantPart part : assistant.parts()) {
            Optional<String> signature = part.state()
                    .filter(state -> state.from(ReasoningState.GOOGLE))
                    .flatMap(ReasoningState::signature);
            switch (part) {
                case AssistantPart.Reasoning reasoning -> {
                    if (signature.isPresent()) {
                        parts.addObject()
                                .put("text", reasoning.text())
                                .put("thought", true)
                                .put("thoughtSignature", signature.get());
                    }
                }
                case AssistantPart.Text text -> {
                    if (!text.text().isEmpty() || signature.isPresent()) {
                        ObjectNode node = parts.addObject().put("text", text.text());
                        signature.ifPresent(s -> node.put("thoughtSignature", s));
                    }
                }
                case AssistantToolCall call -> {
                    ObjectNode node = parts.addObject();
                    node.putObject("functionCall")
                            .put("name", call.name())
                            .set("args", call.arguments().deepCopy());
                    signature.ifPresent(s -> node.put("thoughtSignature", s));
                }
            }
        }
        return parts;
    }

    private ObjectNode part(ContentPart part, String where) {
        ObjectNode node = NODES.objectNode();
        switch (part) {
            case ContentPart.Text text -> node.put("text", text.text());
            case ContentPart.Image image -> {
                switch (image.source()) {
                    case ContentPart.ImageSource.Base64 data ->
                        node.putObject("inlineData")
                                .put("mimeType", image.mediaType())
                                .put("data", data.data());
                    case ContentPart.ImageSource.Url url
                    when url.url().regionMatches(true, 0, "data:", 0, 5) -> dataUrl(node, url.url(), where);
                    case ContentPart.ImageSource.Url url -> {
                        ObjectNode file = node.putObject("fileData");
                        String type = image.mediaType().isEmpty() ? guessImageType(url.url()) : image.mediaType();
                        if (type != null) {
                            file.put("mimeType", type);
                        }
                        file.put("fileUri", url.url());
                    }
                }
            }
        }
        return node;
    }

    private void dataUrl(ObjectNode node, String url, String where) {
        int comma = url.indexOf(',');
        String header = comma < 0 ? "" : url.substring(5, comma);
        if (comma < 0 || !header.toLowerCase(Locale.ROOT).endsWith(";base64") || header.length() == 7) {
            throw new UnsupportedOptionException(
                    provider, where, "only base64 data: URLs with a media type can be sent inline");
        }
        node.putObject("inlineData")
                .put("mimeType", header.substring(0, header.length() - 7))
                .put("data", url.substring(comma + 1));
    }

    private static String guessImageType(String url) {
        String path = url;
        int cut = indexOfAny(path, '?', '#');
        if (cut >= 0) {
            path = path.substring(0, cut);
        }
        int dot = path.lastIndexOf('.');
        return dot < 0 ? null : IMAGE_TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    private static JsonNode toolResponse(Message.Tool tool) {
        JsonNode value;
        try {
            value = GeminiResponseReader.JSON.readTree(tool.content());
        } catch (JacksonException e) {
            value = null;
        }
        if (value == null || value.isMissingNode()) {
            value = NODES.stringNode(tool.content());
        }
        if (tool.isError()) {
            return NODES.objectNode().set("error", value);
        }
        return value.isObject() ? value : NODES.objectNode().set("output", value);
    }

    private static ObjectNode functionCallingConfig(ToolChoice choice) {
        ObjectNode config = NODES.objectNode();
        switch (choice.mode()) {
            case AUTO -> config.put("mode", "AUTO");
            case NONE -> config.put("mode", "NONE");
            case REQUIRED -> config.put("mode", "ANY");
            case TOOL -> {
                config.put("mode", "ANY");
                config.putArray("allowedFunctionNames").add(choice.toolName().orElseThrow());
            }
        }
        return config;
    }

    private static ObjectNode generationConfig(ChatRequest request, String model) {
        ObjectNode config = NODES.objectNode();
        request.temperature().ifPresent(t -> config.put("temperature", t));
        request.topP().ifPresent(p -> config.put("topP", p));
        request.maxOutputTokens().ifPresent(m -> config.put("maxOutputTokens", m));
        Json.putStrings(config, "stopSequences", request.stopSequences());
        request.reasoning().ifPresent(reasoning -> {
            ObjectNode thinking = config.putObject("thinkingConfig");
            if (reasoning.budgetTokens().isPresent()) {
                thinking.put("thinkingBudget", reasoning.budgetTokens().getAsInt());
            } else {
                Reasoning.Effort effort = reasoning.effort().orElseThrow();
                if (model.startsWith("gemini-3")) {
                    thinking.put("thinkingLevel", effort.name().toLowerCase(Locale.ROOT));
                } else {
                    thinking.put("thinkingBudget", EFFORT_BUDGETS.get(effort));
                }
            }
            thinking.put("includeThoughts", true);
        });
        return config;
    }
}
