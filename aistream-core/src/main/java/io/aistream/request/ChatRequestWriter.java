package io.aistream.request;

import io.aistream.chunk.ReasoningState;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Writes a {@link ChatRequest} in the native JSON shape (see {@link ChatRequestJson}). */
final class ChatRequestWriter {
    private ChatRequestWriter() {}

    static ObjectNode write(ChatRequest r) {
        ObjectNode root = ChatRequestJson.MAPPER.createObjectNode();
        r.model().ifPresent(m -> root.put("model", m));
        r.system().ifPresent(s -> root.put("system", s));
        ArrayNode messages = root.putArray("messages");
        for (Message m : r.messages()) {
            writeMessage(m, messages.addObject());
        }
        if (!r.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (ToolDefinition t : r.tools()) {
                ObjectNode tool = tools.addObject();
                tool.put("name", t.name());
                t.description().ifPresent(d -> tool.put("description", d));
                tool.set("parameters", t.parameters());
            }
        }
        r.toolChoice().ifPresent(choice -> {
            switch (choice.mode()) {
                case AUTO -> root.put("toolChoice", "auto");
                case NONE -> root.put("toolChoice", "none");
                case REQUIRED -> root.put("toolChoice", "required");
                case TOOL ->
                    root.putObject("toolChoice").put("tool", choice.toolName().orElseThrow());
            }
        });
        r.temperature().ifPresent(t -> root.put("temperature", t));
        r.topP().ifPresent(p -> root.put("topP", p));
        r.maxOutputTokens().ifPresent(n -> root.put("maxOutputTokens", n));
        if (!r.stopSequences().isEmpty()) {
            ArrayNode stop = root.putArray("stop");
            r.stopSequences().forEach(stop::add);
        }
        r.reasoning().ifPresent(reasoning -> {
            ObjectNode node = root.putObject("reasoning");
            reasoning.effort().ifPresent(e -> node.put("effort", e.name().toLowerCase(Locale.ROOT)));
            reasoning.budgetTokens().ifPresent(b -> node.put("budgetTokens", b));
        });
        if (!r.providerOptions().isEmpty()) {
            ObjectNode options = root.putObject("providerOptions");
            for (Map.Entry<String, JsonNode> e : r.providerOptions().entrySet()) {
                options.set(e.getKey(), e.getValue());
            }
        }
        return root;
    }

    private static void writeMessage(Message message, ObjectNode node) {
        node.put("role", message.role());
        switch (message) {
            case Message.User u -> {
                if (u.content().size() == 1 && u.content().getFirst() instanceof ContentPart.Text t) {
                    node.put("content", t.text());
                } else {
                    ArrayNode parts = node.putArray("content");
                    u.content().forEach(p -> writePart(p, parts.addObject()));
                }
            }
            case Message.Assistant a -> {
                if (a.hasReasoningOrState()) {
                    ArrayNode parts = node.putArray("parts");
                    for (AssistantPart part : a.parts()) {
                        ObjectNode p = parts.addObject();
                        switch (part) {
                            case AssistantPart.Reasoning r -> {
                                p.put("type", "reasoning");
                                p.put("text", r.text());
                            }
                            case AssistantPart.Text t -> {
                                p.put("type", "text");
                                p.put("text", t.text());
                            }
                            case AssistantToolCall c -> {
                                p.put("type", "tool_call");
                                writeCall(c, p);
                            }
                        }
                        part.state().ifPresent(st -> writeState(st, p.putObject("state")));
                    }
                    return;
                }
                node.put("content", a.text());
                if (!a.toolCalls().isEmpty()) {
                    ArrayNode calls = node.putArray("toolCalls");
                    for (AssistantToolCall c : a.toolCalls()) {
                        writeCall(c, calls.addObject());
                    }
                }
            }
            case Message.Tool t -> {
                node.put("toolCallId", t.toolCallId());
                node.put("name", t.name());
                node.put("content", t.content());
                if (t.isError()) {
                    node.put("isError", true);
                }
            }
        }
    }

    private static void writeCall(AssistantToolCall c, ObjectNode call) {
        call.put("id", c.id());
        call.put("name", c.name());
        call.set("arguments", c.arguments());
    }

    /** Writes a reasoning state's fields (absent ones omitted) into {@code node}. */
    static void writeState(ReasoningState state, ObjectNode node) {
        node.put("source", state.source());
        state.signature().ifPresent(v -> node.put("signature", v));
        state.redacted().ifPresent(v -> node.put("redacted", v));
        state.itemId().ifPresent(v -> node.put("itemId", v));
        state.encryptedContent().ifPresent(v -> node.put("encryptedContent", v));
    }

    private static void writePart(ContentPart part, ObjectNode node) {
        switch (part) {
            case ContentPart.Text t -> {
                node.put("type", "text");
                node.put("text", t.text());
            }
            case ContentPart.Image i -> {
                node.put("type", "image");
                switch (i.source()) {
                    case ContentPart.ImageSource.Url u -> node.put("url", u.url());
                    case ContentPart.ImageSource.Base64 b -> node.put("data", b.data());
                }
                if (!i.mediaType().isEmpty()) {
                    node.put("mediaType", i.mediaType());
                }
            }
        }
    }
}
