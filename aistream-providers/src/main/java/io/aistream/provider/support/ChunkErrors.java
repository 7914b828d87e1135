package io.aistream.provider.support;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import java.util.Optional;
import java.util.OptionalInt;

/** Builds the {@link ChunkError}s decoders put on {@code error} chunks. Stateless. */
public final class ChunkErrors {
    private ChunkErrors() {}

    /**
     * An error the decoder raises itself (an incomplete stream, a malformed event), with the code's
     * default retryability, reported for {@code provider}.
     */
    public static ChunkError own(ErrorCode code, String message, String provider) {
        return new ChunkError(
                code.wireName(), message, code.retryableByDefault(), Optional.of(provider), OptionalInt.empty());
    }

    /** {@code error} reported for {@code provider}; its other fields unchanged. */
    public static ChunkError withProvider(ChunkError error, String provider) {
        return new ChunkError(error.code(), error.message(), error.retryable(), Optional.of(provider), error.status());
    }
}
