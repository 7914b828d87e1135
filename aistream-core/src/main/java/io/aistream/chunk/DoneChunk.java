package io.aistream.chunk;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * The terminal chunk: exactly one per stream, always last.
 *
 * @param finishReason why the stream ended
 * @param usage        token usage, when known
 * @param provider     the provider that produced the stream, when known
 * @param model        the model that produced the stream, when known
 * @param content      the full answer text (every content delta, delivered or dropped); present only
 *                     when deltas were dropped (backpressure {@code drop}) and the stream kept the
 *                     text under its recovery cap ({@code ChatStream.Builder.dropRecoveryChars}, off
 *                     by default). {@code dropped > 0} without content means the content the
 *                     consumer received is incomplete
 * @param refusal      the model's refusal text, when the provider reports refusals on a channel
 *                     of their own (OpenAI {@code refusal} deltas); not part of the content
 * @param dropped      how many content/reasoning chunks were dropped (0 unless {@code drop})
 * @param recovered    whether the stream survived a failure by continuing on another attempt
 * @param cost         what the stream cost in the price table's currency, when a price table names
 *                     its model and the usage is known
 *
 * <p>An aborted or failed stream's {@code done} still carries the usage the provider reported so
 * far, the provider and the model; an empty {@code usage} means the usage is <em>unknown</em> (the
 * provider reported nothing), never zero.
 */
public record DoneChunk(
        String id,
        long seq,
        FinishReason finishReason,
        Optional<Usage> usage,
        Optional<String> provider,
        Optional<String> model,
        Optional<String> content,
        Optional<String> refusal,
        long dropped,
        boolean recovered,
        Optional<BigDecimal> cost)
        implements StreamChunk {

    public DoneChunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(refusal, "refusal");
        Objects.requireNonNull(cost, "cost");
        if (dropped < 0) {
            throw new IllegalArgumentException("dropped must not be negative");
        }
    }

    /** A done chunk without a cost. */
    public DoneChunk(
            String id,
            long seq,
            FinishReason finishReason,
            Optional<Usage> usage,
            Optional<String> provider,
            Optional<String> model,
            Optional<String> content,
            Optional<String> refusal,
            long dropped,
            boolean recovered) {
        this(id, seq, finishReason, usage, provider, model, content, refusal, dropped, recovered, Optional.empty());
    }

    /** A bare done chunk with only a finish reason, not yet placed in a stream. */
    public static DoneChunk of(FinishReason finishReason) {
        return new DoneChunk(
                "",
                0,
                finishReason,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                0,
                false);
    }

    /** A done chunk with usage, provider and model, not yet placed in a stream. */
    public static DoneChunk of(FinishReason finishReason, Usage usage, String provider, String model) {
        return new DoneChunk(
                "",
                0,
                finishReason,
                Optional.of(usage),
                Optional.of(provider),
                Optional.of(model),
                Optional.empty(),
                Optional.empty(),
                0,
                false);
    }

    @Override
    public ChunkType type() {
        return ChunkType.DONE;
    }

    @Override
    public DoneChunk withPosition(String id, long seq) {
        return new DoneChunk(id, seq, finishReason, usage, provider, model, content, refusal, dropped, recovered, cost);
    }

    /** This chunk with another finish reason. */
    public DoneChunk withFinishReason(FinishReason reason) {
        return new DoneChunk(id, seq, reason, usage, provider, model, content, refusal, dropped, recovered, cost);
    }

    /** This chunk with usage, provider and model replaced (empty values clear them). */
    public DoneChunk withMetadata(Optional<Usage> newUsage, Optional<String> newProvider, Optional<String> newModel) {
        return new DoneChunk(
                id, seq, finishReason, newUsage, newProvider, newModel, content, refusal, dropped, recovered, cost);
    }

    /** This chunk carrying a refusal text. */
    public DoneChunk withRefusal(String refusalText) {
        return new DoneChunk(
                id,
                seq,
                finishReason,
                usage,
                provider,
                model,
                content,
                Optional.of(refusalText),
                dropped,
                recovered,
                cost);
    }

    /** This chunk carrying the number of dropped deltas; its content is left as it is. */
    public DoneChunk withDropped(long droppedCount) {
        return new DoneChunk(
                id, seq, finishReason, usage, provider, model, content, refusal, droppedCount, recovered, cost);
    }

    /** This chunk carrying the full content (every content delta, delivered or dropped) and the number of dropped deltas. */
    public DoneChunk withDropped(String fullContent, long droppedCount) {
        return new DoneChunk(
                id,
                seq,
                finishReason,
                usage,
                provider,
                model,
                Optional.of(fullContent),
                refusal,
                droppedCount,
                recovered,
                cost);
    }

    /** This chunk marked as recovered (or not). */
    public DoneChunk withRecovered(boolean wasRecovered) {
        return new DoneChunk(
                id, seq, finishReason, usage, provider, model, content, refusal, dropped, wasRecovered, cost);
    }

    /** This chunk with its cost replaced (empty clears it). */
    public DoneChunk withCost(Optional<BigDecimal> newCost) {
        return new DoneChunk(
                id, seq, finishReason, usage, provider, model, content, refusal, dropped, recovered, newCost);
    }
}
