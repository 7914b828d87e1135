package io.aistream.provider.openai.responses;

import io.aistream.chunk.ReasoningState;
import io.aistream.provider.spi.UnsupportedOptionException;
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
 * Builds the Responses API request body: {@code instructions}, {@code input} items (messages,
 * {@code reasoning}, {@code function_call}, {@code function_call_output}), flat function tools, tool
 * choice, sampling, {@code max_output_tokens}, {@code reasoning: {effort, summary: "auto"}} and
 * {@code stream: true}. Stateless.
 *
 * <p><b>Reasoning state.</b> aistream sends the whole conversation every turn and never sets
 * {@code store} (the API's default applies, or a {@code store} provider option). A reasoning model
 * needs its reasoning items of the last turn back: while the response is stored the item id is
 * enough, but with {@code store: false} or zero data retention only the encrypted content works. So a
 * request that asks for reasoning also asks for {@code include: ["reasoning.encrypted_content"]},
 * and an assistant turn's reasoning with {@code openai} state goes back as a {@code reasoning} item
 * with its id, summary and encrypted content (see {@code assistant}). A provider option
 * {@code include} replaces this list.
 */
final class ResponsesRequestMapper {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String provider;

    ResponsesRequestMapper(String provider) {
        this.provider = provider;
    }

    ObjectNode body(ChatRequest request) {
        if (!request.stopSequences().isEmpty()) {
            throw new UnsupportedOptionException(provider, "stopSequences", "the Responses API has no stop sequences");
        }
        ObjectNode body = NODES.objectNode();
        request.model().ifPresent(m -> body.put("model", m));
        request.system().ifPresent(s -> body.put("instructions", s));
        ArrayNode input = body.putArray("input");
        for (Message message : request.messages()) {
            switch (message) {
                case Message.User u -> input.add(user(u));
                case Message.Assistant a -> assistant(a, input);
                case Message.Tool t ->
                    input.addObject()
                            .put("type", "function_call_output")
                            .put("call_id", t.toolCallId())
                            .put("output", t.content());
            }
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            request.tools().forEach(t -> tools.add(tool(t)));
        }
        request.toolChoice().ifPresent(c -> body.set("tool_choice", toolChoice(c)));
        request.temperature().ifPresent(t -> body.put("temperature", t));
        request.topP().ifPresent(p -> body.put("top_p", p));
        request.maxOutputTokens().ifPresent(n -> body.put("max_output_tokens", n));
        request.reasoning().ifPresent(r -> {
            body.set("reasoning", reasoning(r));
            // Without it a reasoning item can be sent back only by id, which resolves only while the
            // response is stored: the encrypted content makes the next turn work statelessly too.
            body.putArray("include").add("reasoning.encrypted_content");
        });
        body.put("stream", true);
        for (Map.Entry<String, JsonNode> option : PortableOptions.forWire(
                        provider, request.providerOptions(), PortableOptions.Wire.OPENAI)
                .entrySet()) {
            body.set(option.getKey(), option.getValue());
        }
        return body;
    }

    private static ObjectNode user(Message.User u) {
        ObjectNode m = NODES.objectNode().put("role", "user");
        ArrayNode parts = m.putArray("content");
        for (ContentPart part : u.content()) {
            switch (part) {
                case ContentPart.Text t ->
                    parts.addObject().put("type", "input_text").put("text", t.text());
                case ContentPart.Image img ->
                    parts.addObject()
                            .put("type", "input_image")
                            .put(
                                    "image_url",
                                    switch (img.source()) {
                                        case ContentPart.ImageSource.Url url -> url.url();
                                        case ContentPart.ImageSource.Base64 b64 ->
                                            "data:" + img.mediaType() + ";base64," + b64.data();
                                    });
            }
        }
        return m;
    }

    /**
     * An assistant turn, part by part in order: reasoning with {@code openai} state → a
     * {@code reasoning} item (its id, its text as one summary, its encrypted content when present);
     * text → an assistant message; a tool call → a {@code function_call} item. Reasoning without
     * {@code openai} state (another provider's, or none) is not sent: the API accepts only its own
     * reasoning items back. States of other sources on text and calls are dropped.
     */
    private static void assistant(Message.Assistant a, ArrayNode input) {
        for (AssistantPart part : a.parts()) {
            switch (part) {
                case AssistantPart.Reasoning r -> reasoningItem(r, input);
                case AssistantPart.Text t -> {
                    if (!t.text().isEmpty()) {
                        input.addObject().put("role", "assistant").put("content", t.text());
                    }
                }
                case AssistantToolCall call ->
                    input.addObject()
                            .put("type", "function_call")
                            .put("call_id", call.id())
                            .put("name", call.name())
                            .put("arguments", call.arguments().toString());
            }
        }
    }

    private static void reasoningItem(AssistantPart.Reasoning r, ArrayNode input) {
        Optional<ReasoningState> state = r.state().filter(s -> s.from(ReasoningState.OPENAI));
        if (state.isEmpty() || state.get().itemId().isEmpty()) {
            return;
        }
        ObjectNode item = input.addObject()
                .put("type", "reasoning")
                .put("id", state.get().itemId().get());
        ArrayNode summary = item.putArray("summary");
        if (!r.text().isEmpty()) {
            summary.addObject().put("type", "summary_text").put("text", r.text());
        }
        state.get().encryptedContent().ifPresent(c -> item.put("encrypted_content", c));
    }

    /** Responses function tools are strict by default; aistream's tools carry any JSON Schema, so not strict. */
    private static ObjectNode tool(ToolDefinition t) {
        ObjectNode tool = NODES.objectNode().put("type", "function").put("name", t.name());
        t.description().ifPresent(d -> tool.put("description", d));
        tool.set("parameters", t.parameters());
        return tool.put("strict", false);
    }

    private static JsonNode toolChoice(ToolChoice choice) {
        return switch (choice.mode()) {
            case AUTO -> NODES.stringNode("auto");
            case NONE -> NODES.stringNode("none");
            case REQUIRED -> NODES.stringNode("required");
            case TOOL ->
                NODES.objectNode()
                        .put("type", "function")
                        .put("name", choice.toolName().orElseThrow());
        };
    }

    private ObjectNode reasoning(Reasoning r) {
        if (r.effort().isEmpty()) {
            throw new UnsupportedOptionException(
                    provider,
                    "reasoning.budgetTokens",
                    "the Responses API takes a reasoning effort, not a token budget");
        }
        return NODES.objectNode()
                .put("effort", r.effort().get().name().toLowerCase(Locale.ROOT))
                .put("summary", "auto");
    }
}
