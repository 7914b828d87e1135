package io.aistream.chunk;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Opaque state a provider attaches to its reasoning, which it requires back, unchanged, with the
 * next request of the conversation: the signature of an Anthropic thinking block, redacted
 * reasoning, a Gemini thought signature, an OpenAI Responses reasoning item with its encrypted
 * content. aistream never interprets the values; it carries them on the chunk they belong to
 * ({@link ReasoningChunk}, {@link ContentChunk}, {@link ToolCallChunk}), keeps them in order when
 * accumulating ({@link CompletionResponse#parts()}), and each request mapper sends back the states
 * of its own {@link #source()} and drops the others (a Gemini signature never goes to Anthropic).
 *
 * <p>JSON (the chunk's {@code state} field; absent values omitted):
 * {@code {"source":"anthropic","signature":"EqQB..."}},
 * {@code {"source":"anthropic","redacted":"EmwK..."}},
 * {@code {"source":"google","signature":"CiQB..."}},
 * {@code {"source":"openai","itemId":"rs_1","encryptedContent":"gAAA..."}}.
 *
 * @param source           the wire family that produced the state and accepts it back:
 *                         {@link #ANTHROPIC}, {@link #BEDROCK}, {@link #GOOGLE}, {@link #OPENAI}
 * @param signature        a reasoning block's signature (Anthropic, Bedrock) or a thought signature
 *                         (Gemini, attached to the text, thought or function-call part it came with)
 * @param redacted         redacted reasoning: opaque data that stands for a whole reasoning block
 * @param itemId           the provider's id of the reasoning item (OpenAI Responses {@code rs_...})
 * @param encryptedContent the reasoning item's encrypted content (OpenAI Responses, requested with
 *                         {@code include: ["reasoning.encrypted_content"]})
 */
public record ReasoningState(
        String source,
        Optional<String> signature,
        Optional<String> redacted,
        Optional<String> itemId,
        Optional<String> encryptedContent) {

    /** Anthropic's Messages API, also Claude on Vertex AI. */
    public static final String ANTHROPIC = "anthropic";
    /** Amazon Bedrock's Converse API. */
    public static final String BEDROCK = "bedrock";
    /** Google Gemini, on AI Studio or Vertex AI. */
    public static final String GOOGLE = "google";
    /** OpenAI's Responses API. */
    public static final String OPENAI = "openai";

    /**
     * Sources whose signatures the Claude platforms accept from each other: Anthropic documents its
     * block signatures as valid across its API, Bedrock and Vertex AI.
     */
    public static final Set<String> CLAUDE_SOURCES = Set.of(ANTHROPIC, BEDROCK);

    public ReasoningState {
        Objects.requireNonNull(source, "source");
        if (source.isBlank()) {
            throw new IllegalArgumentException("reasoning state source must not be blank");
        }
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(redacted, "redacted");
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(encryptedContent, "encryptedContent");
    }

    /** A signature from {@code source}. */
    public static ReasoningState signature(String source, String signature) {
        return new ReasoningState(source, Optional.of(signature), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Redacted reasoning data from {@code source}. */
    public static ReasoningState redacted(String source, String data) {
        return new ReasoningState(source, Optional.empty(), Optional.of(data), Optional.empty(), Optional.empty());
    }

    /** An OpenAI Responses reasoning item: its id and, when requested, its encrypted content. */
    public static ReasoningState openAiItem(String itemId, Optional<String> encryptedContent) {
        return new ReasoningState(OPENAI, Optional.empty(), Optional.empty(), Optional.of(itemId), encryptedContent);
    }

    /** Whether this state came from one of {@code sources}. */
    public boolean from(Set<String> sources) {
        return sources.contains(source);
    }

    /** Whether this state came from {@code expected}. */
    public boolean from(String expected) {
        return source.equals(expected);
    }

    /** The characters of all its values, for memory accounting. */
    public long chars() {
        return source.length()
                + signature.map(String::length).orElse(0)
                + redacted.map(String::length).orElse(0)
                + itemId.map(String::length).orElse(0)
                + encryptedContent.map(String::length).orElse(0);
    }
}
