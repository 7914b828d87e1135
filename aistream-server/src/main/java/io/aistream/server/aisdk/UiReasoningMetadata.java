package io.aistream.server.aisdk;

import io.aistream.chunk.ReasoningState;
import io.aistream.json.JsonFieldReader;
import io.aistream.json.JsonFieldValue;
import io.aistream.server.http.Responses;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reasoning state ↔ the AI SDK's {@code providerMetadata}, with the keys and field names the
 * provider packages use, so that a UI message built from the gateway's stream equals one built from
 * the package's own stream, and {@code convertToModelMessages} (or this gateway) can send it back.
 *
 * <table>
 *   <caption>State and its providerMetadata</caption>
 *   <tr><th>state</th><th>providerMetadata</th><th>on (as the package does)</th></tr>
 *   <tr><td>anthropic signature</td><td>{@code {anthropic: {signature}}}</td>
 *       <td>an empty {@code reasoning-delta} ending the block ({@code @ai-sdk/anthropic}'s {@code signature_delta})</td></tr>
 *   <tr><td>anthropic redacted</td><td>{@code {anthropic: {redactedData}}}</td>
 *       <td>{@code reasoning-start} of a part of its own</td></tr>
 *   <tr><td>bedrock signature</td><td>{@code {bedrock: {signature}, amazonBedrock: {signature}}}</td>
 *       <td>an empty {@code reasoning-delta}</td></tr>
 *   <tr><td>bedrock redacted</td><td>{@code {bedrock: {redactedContent}, amazonBedrock: {redactedContent}}}</td>
 *       <td>{@code reasoning-end} of a part of its own</td></tr>
 *   <tr><td>google thought signature</td><td>{@code {google: {thoughtSignature}}}</td>
 *       <td>the text or reasoning delta it came with (and the part's start when it opens it);
 *       {@code tool-input-available} of a function call</td></tr>
 *   <tr><td>openai reasoning item</td><td>{@code {openai: {itemId, reasoningEncryptedContent}}}</td>
 *       <td>{@code reasoning-start} and {@code reasoning-end} ({@code @ai-sdk/openai})</td></tr>
 * </table>
 *
 * <p>Read back from a UI part's {@code providerMetadata} (tool parts: {@code callProviderMetadata}),
 * also accepting the packages' other spellings: {@code amazonBedrock}, Bedrock's {@code redactedData},
 * {@code vertex} and {@code googleVertex} for Gemini on Vertex AI. Keys of other providers (and the
 * gateway's own {@code aistream}) are ignored. Stateless: all static.
 */
final class UiReasoningMetadata {
    /** Where in a part's chunks the metadata of a state goes. */
    enum Placement {
        /** On the chunk that opens the part. */
        START,
        /** On the delta that carries the state (an empty one if need be). */
        DELTA,
        /** On the chunk that ends the part. */
        END
    }

    private static final List<String> GOOGLE_KEYS = List.of("google", "vertex", "googleVertex");
    private static final List<String> BEDROCK_KEYS = List.of("bedrock", "amazonBedrock");

    private UiReasoningMetadata() {}

    /** The {@code providerMetadata} object for {@code state}; empty for a source the AI SDK has no place for. */
    static Optional<ObjectNode> of(ReasoningState state) {
        ObjectNode meta = Responses.JSON.createObjectNode();
        switch (state.source()) {
            case ReasoningState.ANTHROPIC -> {
                ObjectNode a = meta.putObject("anthropic");
                state.signature().ifPresent(s -> a.put("signature", s));
                state.redacted().ifPresent(r -> a.put("redactedData", r));
            }
            case ReasoningState.BEDROCK -> {
                ObjectNode b = meta.putObject("bedrock");
                state.signature().ifPresent(s -> b.put("signature", s));
                state.redacted().ifPresent(r -> b.put("redactedContent", r));
                // @ai-sdk/amazon-bedrock writes both keys and reads amazonBedrock first
                meta.set("amazonBedrock", b.deepCopy());
            }
            case ReasoningState.GOOGLE -> {
                if (state.signature().isEmpty()) {
                    return Optional.empty();
                }
                meta.putObject("google")
                        .put("thoughtSignature", state.signature().get());
            }
            case ReasoningState.OPENAI -> {
                ObjectNode o = meta.putObject("openai");
                o.put("itemId", state.itemId().orElse(null));
                o.put("reasoningEncryptedContent", state.encryptedContent().orElse(null));
            }
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(meta);
    }

    /** Where {@code state}'s metadata goes on a reasoning part. */
    static Set<Placement> reasoningPlacement(ReasoningState state) {
        return switch (state.source()) {
            case ReasoningState.ANTHROPIC ->
                state.redacted().isPresent() ? Set.of(Placement.START) : Set.of(Placement.DELTA);
            case ReasoningState.BEDROCK ->
                state.redacted().isPresent() ? Set.of(Placement.END) : Set.of(Placement.DELTA);
            case ReasoningState.OPENAI -> Set.of(Placement.START, Placement.END);
            default -> Set.of(Placement.START, Placement.DELTA);
        };
    }

    /**
     * The reasoning state in a UI part's provider metadata, if any.
     *
     * @param metadata the part's {@code providerMetadata} (or a tool part's {@code callProviderMetadata})
     * @throws io.aistream.json.JsonFieldException naming the field when a known key has the wrong shape
     */
    static Optional<ReasoningState> read(JsonFieldValue metadata) {
        JsonFieldReader meta = metadata.asObject("an object of provider name → metadata object");
        Optional<JsonFieldReader> anthropic = meta.optionalObject("anthropic");
        if (anthropic.isPresent()) {
            Optional<ReasoningState> s = signedOrRedacted(ReasoningState.ANTHROPIC, anthropic.get(), "redactedData");
            if (s.isPresent()) {
                return s;
            }
        }
        for (String key : BEDROCK_KEYS) {
            Optional<JsonFieldReader> bedrock = meta.optionalObject(key);
            if (bedrock.isPresent()) {
                Optional<ReasoningState> s =
                        signedOrRedacted(ReasoningState.BEDROCK, bedrock.get(), "redactedContent", "redactedData");
                if (s.isPresent()) {
                    return s;
                }
            }
        }
        for (String key : GOOGLE_KEYS) {
            Optional<JsonFieldReader> google = meta.optionalObject(key);
            if (google.isPresent()) {
                Optional<String> signature = nonEmpty(google.get(), "thoughtSignature");
                if (signature.isPresent()) {
                    return Optional.of(ReasoningState.signature(ReasoningState.GOOGLE, signature.get()));
                }
            }
        }
        Optional<JsonFieldReader> openai = meta.optionalObject("openai");
        if (openai.isPresent()) {
            Optional<String> itemId = nonEmpty(openai.get(), "itemId");
            Optional<String> encrypted = nonEmpty(openai.get(), "reasoningEncryptedContent");
            if (itemId.isPresent() || encrypted.isPresent()) {
                return Optional.of(new ReasoningState(
                        ReasoningState.OPENAI, Optional.empty(), Optional.empty(), itemId, encrypted));
            }
        }
        return Optional.empty();
    }

    private static Optional<ReasoningState> signedOrRedacted(
            String source, JsonFieldReader fields, String... redactedNames) {
        Optional<String> signature = nonEmpty(fields, "signature");
        if (signature.isPresent()) {
            return Optional.of(ReasoningState.signature(source, signature.get()));
        }
        for (String name : redactedNames) {
            Optional<String> redacted = nonEmpty(fields, name);
            if (redacted.isPresent()) {
                return Optional.of(ReasoningState.redacted(source, redacted.get()));
            }
        }
        return Optional.empty();
    }

    /** A string field; absent, null or empty is none, another type "must be a string". */
    private static Optional<String> nonEmpty(JsonFieldReader fields, String name) {
        return fields.optionalString(name).filter(s -> !s.isEmpty());
    }
}
