package io.aistream.chunk;

import io.aistream.ErrorCode;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What went wrong, as carried by an {@link ErrorChunk}.
 *
 * @param code      a wire code: one of {@link ErrorCode}'s, or a provider's own
 * @param message   a human-readable explanation; never contains credentials
 * @param retryable whether the same request may succeed if tried again
 * @param provider  the provider that reported it, if one did
 * @param status    the upstream HTTP status, if there was one
 */
public record ChunkError(
        String code, String message, boolean retryable, Optional<String> provider, OptionalInt status) {
    public ChunkError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(status, "status");
    }

    /** An error raised by aistream itself, with the code's default retryability. */
    public static ChunkError of(ErrorCode code, String message) {
        return new ChunkError(
                code.wireName(), message, code.retryableByDefault(), Optional.empty(), OptionalInt.empty());
    }
}
