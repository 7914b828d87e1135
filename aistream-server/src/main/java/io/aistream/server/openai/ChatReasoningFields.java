package io.aistream.server.openai;

import io.aistream.chunk.ReasoningState;
import io.aistream.chunk.Usage;
import io.aistream.json.JsonFieldReader;
import io.aistream.json.JsonFieldValue;
import io.aistream.request.AssistantPart;
import io.aistream.server.http.Responses;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where the Chat Completions endpoint puts reasoning state, and how it reads it back from the
 * assistant messages of the next request. OpenAI's Chat Completions API has no field for it; these
 * are the conventions of the OpenAI-compatible gateways and providers whose clients exist:
 *
 * <ul>
 *   <li>Claude states ({@link ReasoningState#CLAUDE_SOURCES}), LiteLLM's convention:
 *       {@code thinking_blocks: [{"type":"thinking","thinking":<the block's whole text>,"signature":..}]}
 *       and {@code {"type":"redacted_thinking","data":..}}. Read back as {@code anthropic} state (the
 *       Claude platforms accept each other's signatures).</li>
 *   <li>{@code google} thought signatures, the convention of Gemini's own OpenAI-compatible API:
 *       {@code extra_content: {"google": {"thought_signature": ..}}} on a tool call; on text or
 *       reasoning it stands on the delta (streaming) or the message (non-streaming).</li>
 *   <li>{@code openai} Responses reasoning items, OpenRouter's documented {@code reasoning_details}:
 *       {@code {"type":"reasoning.summary","id":<item id>,"summary":<text>,"format":"openai-responses-v1","index":n}}
 *       and {@code {"type":"reasoning.encrypted","id":<item id>,"data":<encrypted_content>,
 *       "format":"openai-responses-v1","index":n+1}} (entries with the same id are one item when read
 *       back). Chosen because clients written for OpenRouter already keep and send back this field.</li>
 * </ul>
 *
 * <p>{@code reasoning_content} (plain reasoning text, DeepSeek's field) carries no state; it is read
 * back as reasoning without state only when the message has no {@code thinking_blocks} nor
 * {@code reasoning_details} (which repeat that text), and request mappers that need a signature drop
 * it. Stateless.
 */
final class ChatReasoningFields {
    /** {@code reasoning_details} format of OpenAI Responses items (OpenRouter's name). */
    static final String RESPONSES_FORMAT = "openai-responses-v1";

    private static final Set<String> THINKING = Set.of("type", "thinking", "signature");
    private static final Set<String> REDACTED = Set.of("type", "data");
    private static final Set<String> DETAIL = Set.of("type", "id", "data", "summary", "text", "format", "index");

    private ChatReasoningFields() {}

    /** A {@code thinking_blocks} element for a Claude state ending a block of {@code text}; empty for other states. */
    static Optional<ObjectNode> thinkingBlock(String text, ReasoningState state) {
        if (!state.from(ReasoningState.CLAUDE_SOURCES)) {
            return Optional.empty();
        }
        ObjectNode block = Responses.JSON.createObjectNode();
        if (state.redacted().isPresent()) {
            block.put("type", "redacted_thinking");
            block.put("data", state.redacted().get());
            return Optional.of(block);
        }
        if (state.signature().isEmpty()) {
            return Optional.empty();
        }
        block.put("type", "thinking");
        block.put("thinking", text);
        block.put("signature", state.signature().get());
        return Optional.of(block);
    }

    /**
     * The {@code reasoning_details} elements of an OpenAI Responses item, numbered from {@code index}: its
     * summary ({@code reasoning.summary}, when it has text or nothing else to carry its id) and its
     * encrypted content ({@code reasoning.encrypted}), both with the item's id; none for other states.
     */
    static List<ObjectNode> reasoningDetails(String text, ReasoningState state, int index) {
        if (!state.from(ReasoningState.OPENAI) || state.itemId().isEmpty()) {
            return List.of();
        }
        List<ObjectNode> details = new ArrayList<>(2);
        if (!text.isEmpty() || state.encryptedContent().isEmpty()) {
            ObjectNode summary = Responses.JSON.createObjectNode();
            summary.put("type", "reasoning.summary");
            summary.put("id", state.itemId().get());
            summary.put("summary", text);
            details.add(summary);
        }
        state.encryptedContent().ifPresent(encrypted -> {
            ObjectNode detail = Responses.JSON.createObjectNode();
            detail.put("type", "reasoning.encrypted");
            detail.put("id", state.itemId().get());
            detail.put("data", encrypted);
            details.add(detail);
        });
        for (ObjectNode detail : details) {
            detail.put("format", RESPONSES_FORMAT);
            detail.put("index", index++);
        }
        return details;
    }

    /** {@code {"google":{"thought_signature":..}}} for a Gemini thought signature; empty for other states. */
    static Optional<ObjectNode> googleExtra(ReasoningState state) {
        if (!state.from(ReasoningState.GOOGLE) || state.signature().isEmpty()) {
            return Optional.empty();
        }
        ObjectNode extra = Responses.JSON.createObjectNode();
        extra.putObject("google").put("thought_signature", state.signature().get());
        return Optional.of(extra);
    }

    /**
     * OpenAI's usage object: {@code prompt_tokens} counts all input (cached included),
     * {@code prompt_tokens_details.cached_tokens} the cache reads and
     * {@code completion_tokens_details.reasoning_tokens} the reasoning, each details object present only
     * when the provider reported it (a 0 would claim a count nobody made).
     */
    static ObjectNode usage(Usage u) {
        ObjectNode usage = Responses.JSON.createObjectNode();
        usage.put("prompt_tokens", u.inputTokens());
        usage.put("completion_tokens", u.outputTokens());
        usage.put("total_tokens", u.totalTokens());
        if (u.cacheReadTokens() > 0) {
            usage.putObject("prompt_tokens_details").put("cached_tokens", u.cacheReadTokens());
        }
        if (u.reasoningTokens() > 0) {
            usage.putObject("completion_tokens_details").put("reasoning_tokens", u.reasoningTokens());
        }
        return usage;
    }

    // ---- reading an assistant message back

    /**
     * The reasoning parts of an assistant message, in order: its {@code thinking_blocks}, then its
     * {@code reasoning_details}; {@code reasoning_content} alone (no state) when it has neither.
     */
    static List<AssistantPart> reasoning(JsonFieldReader message) {
        List<AssistantPart> parts = new ArrayList<>();
        for (JsonFieldValue element : message.optionalArray("thinking_blocks", "an array of thinking blocks")
                .orElse(List.of())) {
            JsonFieldReader block = element.asObject();
            String type = block.requiredString("type");
            switch (type) {
                case "thinking" -> {
                    block.allowOnly(THINKING);
                    String text = block.requiredString("thinking");
                    String signature = block.requiredString("signature");
                    if (signature.isEmpty()) {
                        throw block.invalid(
                                "signature", "must not be empty: send back the signature the block came with");
                    }
                    parts.add(new AssistantPart.Reasoning(
                            text, Optional.of(ReasoningState.signature(ReasoningState.ANTHROPIC, signature))));
                }
                case "redacted_thinking" -> {
                    block.allowOnly(REDACTED);
                    String data = block.requiredString("data");
                    if (data.isEmpty()) {
                        throw block.invalid("data", "must not be empty");
                    }
                    parts.add(new AssistantPart.Reasoning(
                            "", Optional.of(ReasoningState.redacted(ReasoningState.ANTHROPIC, data))));
                }
                default -> throw block.invalid("type", "must be 'thinking' or 'redacted_thinking'; got '" + type + "'");
            }
        }
        for (JsonFieldValue element :
                message.optionalArray("reasoning_details", "an array").orElse(List.of())) {
            AssistantPart.Reasoning detail = reasoningDetail(element.asObject().allowOnly(DETAIL));
            // the summary and the encrypted content of one item are two entries with its id: one part
            if (!parts.isEmpty()
                    && parts.getLast() instanceof AssistantPart.Reasoning previous
                    && sameItem(previous, detail)) {
                ReasoningState a = previous.state().get();
                ReasoningState b = detail.state().get();
                parts.set(
                        parts.size() - 1,
                        new AssistantPart.Reasoning(
                                previous.text() + detail.text(),
                                Optional.of(ReasoningState.openAiItem(
                                        a.itemId().get(), a.encryptedContent().or(b::encryptedContent)))));
            } else {
                parts.add(detail);
            }
        }
        Optional<String> plain = message.optionalString("reasoning_content");
        if (parts.isEmpty() && plain.isPresent() && !plain.get().isEmpty()) {
            parts.add(new AssistantPart.Reasoning(plain.get(), Optional.empty()));
        }
        return parts;
    }

    private static boolean sameItem(AssistantPart.Reasoning a, AssistantPart.Reasoning b) {
        return a.state().isPresent()
                && b.state().isPresent()
                && a.state().get().from(ReasoningState.OPENAI)
                && b.state().get().from(ReasoningState.OPENAI)
                && a.state().get().itemId().equals(b.state().get().itemId());
    }

    private static AssistantPart.Reasoning reasoningDetail(JsonFieldReader detail) {
        String type = detail.requiredString("type");
        detail.optional("index").ifPresent(OpenAiRequest.Kind.INTEGER::check);
        Optional<String> format = detail.optionalString("format");
        Optional<String> id = detail.optionalString("id");
        boolean responses = format.isPresent() && format.get().equals(RESPONSES_FORMAT);
        switch (type) {
            case "reasoning.encrypted" -> {
                String data = detail.requiredString("data");
                if (!responses || id.isEmpty()) {
                    throw detail.invalid(
                            "format",
                            "only encrypted OpenAI Responses reasoning (format '" + RESPONSES_FORMAT
                                    + "' with its 'id') can be sent back here");
                }
                return new AssistantPart.Reasoning(
                        "", Optional.of(ReasoningState.openAiItem(id.get(), Optional.of(data))));
            }
            case "reasoning.summary" -> {
                String summary = detail.requiredString("summary");
                Optional<ReasoningState> state = responses && id.isPresent()
                        ? Optional.of(ReasoningState.openAiItem(id.get(), Optional.empty()))
                        : Optional.empty();
                return new AssistantPart.Reasoning(summary, state);
            }
            case "reasoning.text" -> {
                return new AssistantPart.Reasoning(detail.requiredString("text"), Optional.empty());
            }
            default ->
                throw detail.invalid(
                        "type",
                        "must be one of reasoning.encrypted, reasoning.summary, reasoning.text; got '" + type + "'");
        }
    }

    /** The thought signature of an {@code extra_content} object ({@code {"google":{"thought_signature":..}}}). */
    static Optional<ReasoningState> googleSignature(JsonFieldReader owner) {
        Optional<JsonFieldReader> extra = owner.optionalObject("extra_content");
        if (extra.isEmpty()) {
            return Optional.empty();
        }
        Optional<JsonFieldReader> google =
                extra.get().allowOnly(Set.of("google")).optionalObject("google");
        if (google.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> signature =
                google.get().allowOnly(Set.of("thought_signature")).optionalString("thought_signature");
        return signature.filter(s -> !s.isEmpty()).map(s -> ReasoningState.signature(ReasoningState.GOOGLE, s));
    }
}
