package io.aistream.stream;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The time limits {@link ChunkSources#withTimeouts} enforces on a chunk source; each is optional
 * (empty means no limit) and, when present, positive.
 *
 * <pre>{@code
 * Timeouts t = Timeouts.none()
 *         .withFirstChunk(Duration.ofSeconds(30))
 *         .withIdleBetweenChunks(Duration.ofSeconds(10))
 *         .withTotal(Duration.ofMinutes(5));
 * }</pre>
 *
 * @param firstChunk        longest wait for the first chunk, from the first request for one;
 *                          the idle limit does not apply to the first chunk
 * @param idleBetweenChunks longest wait for each later chunk, from the moment it is asked for
 *                          (time the consumer spends between requests does not count)
 * @param total             longest time from the first request for a chunk until the source's
 *                          {@code done} chunk, however the time is spent
 */
public record Timeouts(Optional<Duration> firstChunk, Optional<Duration> idleBetweenChunks, Optional<Duration> total) {
    private static final Timeouts NONE = new Timeouts(Optional.empty(), Optional.empty(), Optional.empty());

    /**
     * Limits as given.
     *
     * @throws IllegalArgumentException if a present limit is zero or negative
     */
    public Timeouts {
        Objects.requireNonNull(firstChunk, "firstChunk").ifPresent(d -> TimeMath.requirePositive(d, "firstChunk"));
        Objects.requireNonNull(idleBetweenChunks, "idleBetweenChunks")
                .ifPresent(d -> TimeMath.requirePositive(d, "idleBetweenChunks"));
        Objects.requireNonNull(total, "total").ifPresent(d -> TimeMath.requirePositive(d, "total"));
    }

    /**
     * No limits at all; the starting point for the {@code with...} methods.
     *
     * @return the empty set of limits
     */
    public static Timeouts none() {
        return NONE;
    }

    /** These limits with the first-chunk limit set to {@code limit} (positive). */
    public Timeouts withFirstChunk(Duration limit) {
        return new Timeouts(Optional.of(limit), idleBetweenChunks, total);
    }

    /** These limits with the idle-between-chunks limit set to {@code limit} (positive). */
    public Timeouts withIdleBetweenChunks(Duration limit) {
        return new Timeouts(firstChunk, Optional.of(limit), total);
    }

    /** These limits with the total limit set to {@code limit} (positive). */
    public Timeouts withTotal(Duration limit) {
        return new Timeouts(firstChunk, idleBetweenChunks, Optional.of(limit));
    }

    /** Whether no limit is set. */
    public boolean isNone() {
        return firstChunk.isEmpty() && idleBetweenChunks.isEmpty() && total.isEmpty();
    }
}
