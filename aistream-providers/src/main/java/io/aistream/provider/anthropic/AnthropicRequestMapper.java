package io.aistream.provider.anthropic;

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
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps a {@link ChatRequest} onto an Anthropic Messages request body; the rules are listed on
 * {@link AnthropicProtocol}. Stateless.
 */
final class AnthropicRequestMapper {
    /** {@code max_tokens} when the request sets no output limit (Anthropic requires one). */
    static final int DEFAULT_MAX_TOKENS = 4096;
    /** Anthropic's smallest thinking budget. */
    static final int MIN_THINKING_BUDGET = 1024;

    private final String provider;

    AnthropicRequestMapper(String provider) {
        this.provider = provider;
    }

    ObjectNode toJson(ChatRequest request) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put(
                "model",
                request.model()
                        .filter(m -> !m.isBlank())
                        .orElseThrow(() ->
                                new UnsupportedOptionException(provider, "model", "Anthropic needs a model name")));
        int budget = thinkingBudget(request);
        int maxTokens = maxTokens(request, budget);
        root.put("max_tokens", maxTokens);
        request.system().ifPresent(system -> root.put("system", system));
        root.set("messages", messages(request));
        if (!request.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (ToolDefinition tool : request.tools()) {
                ObjectNode t = tools.addObject();
                t.put("name", tool.name());
                tool.description().ifPresent(d -> t.put("description", d));
                t.set("input_schema", tool.parameters());
            }
        }
        request.toolChoice().ifPresent(choice -> root.set("tool_choice", toolChoice(choice)));
        request.temperature().ifPresent(t -> root.put("temperature", t));
        request.topP().ifPresent(p -> root.put("top_p", p));
        Json.putStrings(root, "stop_sequences", request.stopSequences());
        if (budget > 0) {
            root.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
        }
        root.put("stream", true);
        options(request, root);
        return root;
    }

    /**
     * The provider options through {@link PortableOptions}, with Anthropic's exact field for the end
     * user: {@code metadata.user_id} from {@code safety_identifier} or {@code user}. A {@code metadata}
     * object holding only {@code user_id} is Anthropic's own and wins; any other {@code metadata} is
     * OpenAI's free-form tags, which Anthropic would refuse, so it is dropped like the other advisory
     * parameters.
     */
    private void options(ChatRequest request, ObjectNode root) {
        Map<String, JsonNode> given = request.providerOptions();
        Map<String, JsonNode> options = PortableOptions.forWire(provider, given, PortableOptions.Wire.OTHER);
        JsonNode metadata = given.get("metadata");
        if (metadata != null && metadata.isObject() && metadata.size() == 1 && metadata.has("user_id")) {
            root.set("metadata", metadata);
        } else {
            PortableOptions.endUser(given)
                    .ifPresent(user -> root.putObject("metadata").put("user_id", user));
        }
        root.setAll(options);
    }

    /** The thinking budget, 0 for none; an effort is mapped per {@link AnthropicProtocol}'s table. */
    private int thinkingBudget(ChatRequest request) {
        if (request.reasoning().isEmpty()) {
            return 0;
        }
        Reasoning reasoning = request.reasoning().get();
        if (reasoning.budgetTokens().isPresent()) {
            int budget = reasoning.budgetTokens().getAsInt();
            if (request.maxOutputTokens().isPresent()
                    && budget >= request.maxOutputTokens().getAsInt()) {
                throw new UnsupportedOptionException(
                        provider,
                        "reasoning.budgetTokens",
                        "Anthropic counts thinking inside max_tokens, so the budget (" + budget
                                + ") must be below maxOutputTokens ("
                                + request.maxOutputTokens().getAsInt() + ")");
            }
            return budget;
        }
        int budget = switch (reasoning.effort().orElseThrow()) {
            case MINIMAL -> MIN_THINKING_BUDGET;
            case LOW -> 2048;
            case MEDIUM -> 8192;
            case HIGH -> 16384;
        };
        if (request.maxOutputTokens().isPresent()) {
            int max = request.maxOutputTokens().getAsInt();
            if (max <= MIN_THINKING_BUDGET) {
                throw new UnsupportedOptionException(
                        provider,
                        "reasoning.effort",
                        "Anthropic thinking needs a budget of at least " + MIN_THINKING_BUDGET
                                + " tokens below max_tokens, but maxOutputTokens is " + max);
            }
            budget = Math.min(budget, max - 1);
        }
        return budget;
    }

    /** The request's limit, else {@link #DEFAULT_MAX_TOKENS} raised to leave that much room above a thinking budget. */
    private static int maxTokens(ChatRequest request, int budget) {
        if (request.maxOutputTokens().isPresent()) {
            return request.maxOutputTokens().getAsInt();
        }
        return budget >= DEFAULT_MAX_TOKENS ? budget + DEFAULT_MAX_TOKENS : DEFAULT_MAX_TOKENS;
    }

    private ObjectNode toolChoice(ToolChoice choice) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        switch (choice.mode()) {
            case AUTO -> node.put("type", "auto");
            case NONE -> node.put("type", "none");
            case REQUIRED -> node.put("type", "any");
            case TOOL -> node.put("type", "tool").put("name", choice.toolName().orElseThrow());
        }
        return node;
    }

    /** Messages in Anthropic's shape; consecutive turns of one role (e.g. tool results) share one message. */
    private ArrayNode messages(ChatRequest request) {
        ArrayNode messages = Json.MAPPER.createArrayNode();
        ArrayNode current = null;
        String currentRole = null;
        for (int i = 0; i < request.messages().size(); i++) {
            Message message = request.messages().get(i);
            String role = message instanceof Message.Assistant ? "assistant" : "user";
            ArrayNode blocks = Json.MAPPER.createArrayNode();
            switch (message) {
                case Message.User user -> {
                    for (int j = 0; j < user.content().size(); j++) {
                        blocks.add(part(user.content().get(j), "messages[" + i + "].content[" + j + "]"));
                    }
                }
                case Message.Assistant assistant -> assistant(assistant, blocks);
                case Message.Tool tool -> {
                    ObjectNode block = blocks.addObject()
                            .put("type", "tool_result")
                            .put("tool_use_id", tool.toolCallId())
                            .put("content", tool.content());
                    if (tool.isError()) {
                        block.put("is_error", true);
                    }
                }
            }
            if (blocks.isEmpty()) {
                continue; // an empty assistant turn says nothing; Anthropic rejects empty content
            }
            if (role.equals(currentRole)) {
                current.addAll(blocks);
            } else {
                ObjectNode m = messages.addObject().put("role", role);
                current = m.putArray("content");
                current.addAll(blocks);
                currentRole = role;
            }
        }
        return messages;
    }

    /**
     * An assistant turn's parts in order: signed reasoning from a Claude platform as
     * {@code thinking} (text and signature) or {@code redacted_thinking} (data) blocks, other
     * reasoning dropped (its text alone is no valid block); text runs (empty ones left out) and tool
     * calls, whatever state they carry (a foreign state has no place in Anthropic's blocks).
     */
    private static void assistant(Message.Assistant assistant, ArrayNode blocks) {
        for (AssistantPart part : assistant.parts()) {
            switch (part) {
                case AssistantPart.Reasoning reasoning -> thinking(reasoning, blocks);
                case AssistantPart.Text text -> {
                    if (!text.text().isEmpty()) {
                        blocks.addObject().put("type", "text").put("text", text.text());
                    }
                }
                case AssistantToolCall call -> {
                    ObjectNode block = blocks.addObject()
                            .put("type", "tool_use")
                            .put("id", call.id())
                            .put("name", call.name());
                    block.set("input", call.arguments());
                }
            }
        }
    }

    private static void thinking(AssistantPart.Reasoning reasoning, ArrayNode blocks) {
        Optional<ReasoningState> state = reasoning.state().filter(s -> s.from(ReasoningState.CLAUDE_SOURCES));
        if (state.isEmpty()) {
            return;
        }
        if (state.get().redacted().isPresent()) {
            blocks.addObject()
                    .put("type", "redacted_thinking")
                    .put("data", state.get().redacted().get());
        } else if (state.get().signature().isPresent()) {
            blocks.addObject()
                    .put("type", "thinking")
                    .put("thinking", reasoning.text())
                    .put("signature", state.get().signature().get());
        }
    }

    private ObjectNode part(ContentPart part, String where) {
        ObjectNode block = Json.MAPPER.createObjectNode();
        switch (part) {
            case ContentPart.Text text -> block.put("type", "text").put("text", text.text());
            case ContentPart.Image image -> {
                block.put("type", "image");
                ObjectNode source = block.putObject("source");
                switch (image.source()) {
                    case ContentPart.ImageSource.Base64 b64 ->
                        source.put("type", "base64")
                                .put("media_type", image.mediaType())
                                .put("data", b64.data());
                    case ContentPart.ImageSource.Url url -> {
                        if (url.url().regionMatches(true, 0, "data:", 0, 5)) {
                            dataUrl(url.url(), source, where);
                        } else {
                            source.put("type", "url").put("url", url.url());
                        }
                    }
                }
            }
        }
        return block;
    }

    /** A {@code data:<type>;base64,<data>} URL as a base64 source (Anthropic's url source wants http(s)). */
    private void dataUrl(String url, ObjectNode source, String where) {
        int comma = url.indexOf(',');
        String meta = comma < 0 ? "" : url.substring(5, comma);
        if (comma < 0 || !meta.endsWith(";base64") || meta.length() == ";base64".length()) {
            throw new UnsupportedOptionException(
                    provider, where, "Anthropic accepts data: image URLs only as data:<media type>;base64,<data>");
        }
        source.put("type", "base64")
                .put("media_type", meta.substring(0, meta.length() - ";base64".length()))
                .put("data", url.substring(comma + 1));
    }
}
