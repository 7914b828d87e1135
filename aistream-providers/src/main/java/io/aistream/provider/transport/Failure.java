package io.aistream.provider.transport;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.ErrorChunk;
import io.aistream.provider.spi.ProviderHttpException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One failed attempt, whatever form the failure took (an exception, an error chunk, an early end).
 *
 * @param provider   who failed
 * @param code       the wire code
 * @param message    what happened (never with credentials)
 * @param retryable  whether trying again may help
 * @param status     the HTTP status, if there was one
 * @param retryAfter the provider's retry hint, if it gave one
 */
record Failure(
        String provider,
        String code,
        String message,
        boolean retryable,
        OptionalInt status,
        Optional<Duration> retryAfter) {

    static Failure of(Throwable t, Target target) {
        if (t instanceof ProviderHttpException h) {
            String message = h.getMessage()
                    + h.requestId().map(id -> " (request id " + id + ")").orElse("");
            return new Failure(h.provider(), h.code(), message, h.retryable(), h.statusCode(), h.retryAfter());
        }
        if (t instanceof AIStreamException a) {
            return new Failure(
                    target.provider(),
                    a.code(),
                    String.valueOf(a.getMessage()),
                    a.retryable(),
                    OptionalInt.empty(),
                    Optional.empty());
        }
        return new Failure(
                target.provider(),
                ErrorCode.SOURCE_FAILURE.wireName(),
                target.provider() + " stream failed: " + HttpChunkSource.describe(t),
                false,
                OptionalInt.empty(),
                Optional.empty());
    }

    static Failure of(ErrorChunk chunk, Target target) {
        ChunkError e = chunk.error();
        return new Failure(
                e.provider().orElse(target.provider()),
                e.code(),
                e.message(),
                e.retryable(),
                e.status(),
                Optional.empty());
    }

    static Failure endedEarly(Target target) {
        return new Failure(
                target.provider(),
                ErrorCode.INCOMPLETE_STREAM.wireName(),
                target.provider() + " stream ended without a done chunk",
                true,
                OptionalInt.empty(),
                Optional.empty());
    }

    /** As in the attempts list: {@code provider: HTTP 429 rate_limited}. */
    String summary() {
        return provider + ": " + (status.isPresent() ? "HTTP " + status.getAsInt() + " " : "") + code;
    }

    /** This failure as an error chunk with another message. */
    ErrorChunk toChunk(String text) {
        return ErrorChunk.of(new ChunkError(code, text, retryable, Optional.of(provider), status));
    }
}
