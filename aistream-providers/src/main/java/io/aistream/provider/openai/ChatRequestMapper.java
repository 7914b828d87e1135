package io.aistream.provider.openai;

import io.aistream.provider.spi.UnsupportedOptionException;
import io.aistream.provider.support.Json;
import io.aistream.provider.support.PortableOptions;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the Chat Completions request body for one {@link OpenAiCompatible} preset. Rejects with
 * {@link UnsupportedOptionException} what the preset cannot express. Stateless.
 *
 * <p>An assistant turn goes out as its text and tool calls only: its reasoning and any reasoning
 * state are never sent back. Chat Completions has no input field for them, and the compatible
 * servers that stream reasoning either ignore it in input or reject it (DeepSeek answers 400 to a
 * {@code reasoning_content} in an input message).
 */
final class ChatRequestMapper {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final OpenAiCompatible preset;
    private final String provider;

    ChatRequestMapper(OpenAiCompatible preset, String provider) {
        this.preset = preset;
        this.provider = provider;
    }

    /** Whether the request ends with an assistant turn the model is to continue. */
    static boolean endsWithPrefill(ChatRequest request) {
        List<Message> messages = request.messages();
        return messages.get(messages.size() - 1) instanceof Message.Assistant a
                && a.toolCalls().isEmpty();
    }

    ObjectNode body(ChatRequest request) {
        ObjectNode body = NODES.objectNode();
        request.model().ifPresent(m -> body.put("model", m));
        body.set("messages", messages(request));
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            request.tools().forEach(t -> tools.add(tool(t)));
        }
        request.toolChoice().ifPresent(c -> body.set("tool_choice", toolChoice(c)));
        request.temperature().ifPresent(t -> body.put("temperature", t));
        request.topP().ifPresent(p -> body.put("top_p", p));
        request.maxOutputTokens().ifPresent(n -> body.put(preset.maxTokensField(), n));
        Json.putStrings(body, "stop", request.stopSequences());
        request.reasoning().ifPresent(r -> reasoning(r, body));
        if (endsWithPrefill(request) && preset.prefill() == OpenAiCompatible.Prefill.CONTINUE_FINAL_MESSAGE) {
            body.put("continue_final_message", true);
            body.put("add_generation_prompt", false);
        }
        body.put("stream", true);
        if (preset.sendsStreamOptions()) {
            body.putObject("stream_options").put("include_usage", true);
        }
        for (Map.Entry<String, JsonNode> option : PortableOptions.forWire(
                        provider, request.providerOptions(), PortableOptions.Wire.OPENAI)
                .entrySet()) {
            body.set(option.getKey(), option.getValue());
        }
        return body;
    }

    private ArrayNode messages(ChatRequest request) {
        ArrayNode messages = NODES.arrayNode();
        request.system()
                .ifPresent(s -> messages.addObject().put("role", "system").put("content", s));
        boolean prefill = endsWithPrefill(request);
        List<Message> all = request.messages();
        for (int i = 0; i < all.size(); i++) {
            ObjectNode m = switch (all.get(i)) {
                case Message.User u -> user(u);
                case Message.Assistant a -> assistant(a);
                case Message.Tool t -> toolResult(t);
            };
            if (prefill
                    && i == all.size() - 1
                    && (preset.prefill() == OpenAiCompatible.Prefill.PREFIX_FLAG
                            || preset.prefill() == OpenAiCompatible.Prefill.PREFIX_FLAG_ON_BETA_PATH)) {
                m.put("prefix", true);
            }
            messages.add(m);
        }
        return messages;
    }

    private ObjectNode user(Message.User u) {
        ObjectNode m = NODES.objectNode().put("role", "user");
        if (u.content().size() == 1 && u.content().get(0) instanceof ContentPart.Text t) {
            return m.put("content", t.text());
        }
        ArrayNode parts = m.putArray("content");
        for (ContentPart part : u.content()) {
            switch (part) {
                case ContentPart.Text t -> parts.addObject().put("type", "text").put("text", t.text());
                case ContentPart.Image img -> {
                    if (!preset.acceptsImages()) {
                        throw new UnsupportedOptionException(
                                provider, "messages.content.image", "this provider's chat API takes text only");
                    }
                    parts.addObject()
                            .put("type", "image_url")
                            .putObject("image_url")
                            .put("url", imageUrl(img));
                }
            }
        }
        return m;
    }

    /** A URL image as is; inline data as a {@code data:} URL. */
    static String imageUrl(ContentPart.Image img) {
        return switch (img.source()) {
            case ContentPart.ImageSource.Url url -> url.url();
            case ContentPart.ImageSource.Base64 b64 -> "data:" + img.mediaType() + ";base64," + b64.data();
        };
    }

    private static ObjectNode assistant(Message.Assistant a) {
        ObjectNode m = NODES.objectNode().put("role", "assistant");
        if (a.text().isEmpty() && !a.toolCalls().isEmpty()) {
            m.putNull("content");
        } else {
            m.put("content", a.text());
        }
        if (!a.toolCalls().isEmpty()) {
            ArrayNode calls = m.putArray("tool_calls");
            for (AssistantToolCall call : a.toolCalls()) {
                ObjectNode c = calls.addObject().put("id", call.id()).put("type", "function");
                c.putObject("function")
                        .put("name", call.name())
                        .put("arguments", call.arguments().toString());
            }
        }
        return m;
    }

    /**
     * A tool result. Chat Completions has no error flag for tool results, so a failed call's content
     * (which should describe the failure) is sent as it is.
     */
    private ObjectNode toolResult(Message.Tool t) {
        ObjectNode m = NODES.objectNode().put("role", "tool").put("tool_call_id", t.toolCallId());
        if (preset.namesToolResults()) {
            m.put("name", t.name());
        }
        return m.put("content", t.content());
    }

    private static ObjectNode tool(ToolDefinition t) {
        ObjectNode tool = NODES.objectNode().put("type", "function");
        ObjectNode fn = tool.putObject("function").put("name", t.name());
        t.description().ifPresent(d -> fn.put("description", d));
        fn.set("parameters", t.parameters());
        return tool;
    }

    private static JsonNode toolChoice(ToolChoice choice) {
        return switch (choice.mode()) {
            case AUTO -> NODES.stringNode("auto");
            case NONE -> NODES.stringNode("none");
            case REQUIRED -> NODES.stringNode("required");
            case TOOL -> {
                ObjectNode c = NODES.objectNode().put("type", "function");
                c.putObject("function").put("name", choice.toolName().orElseThrow());
                yield c;
            }
        };
    }

    private void reasoning(Reasoning r, ObjectNode body) {
        switch (preset.reasoningStyle()) {
            case NONE ->
                throw new UnsupportedOptionException(
                        provider,
                        r.effort().isPresent() ? "reasoning.effort" : "reasoning.budgetTokens",
                        "reasoning is not configurable per request here; choose a reasoning model instead");
            case EFFORT_FIELD -> body.put("reasoning_effort", effort(r));
            case OPENROUTER_OBJECT -> {
                ObjectNode o = body.putObject("reasoning");
                if (r.budgetTokens().isPresent()) {
                    o.put("max_tokens", r.budgetTokens().getAsInt());
                } else {
                    o.put("effort", effort(r));
                }
            }
        }
    }

    private String effort(Reasoning r) {
        if (r.effort().isEmpty()) {
            throw new UnsupportedOptionException(
                    provider,
                    "reasoning.budgetTokens",
                    "only a reasoning effort (" + levels() + ") can be set, not a token budget");
        }
        Reasoning.Effort e = r.effort().get();
        if (!preset.efforts().contains(e)) {
            throw new UnsupportedOptionException(
                    provider, "reasoning.effort", "effort " + name(e) + " is not accepted; use one of " + levels());
        }
        return name(e);
    }

    private String levels() {
        return preset.efforts().stream()
                .sorted()
                .map(ChatRequestMapper::name)
                .toList()
                .toString();
    }

    private static String name(Reasoning.Effort e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
