package io.aistream.langchain4j;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Maps what a LangChain4j handler's {@code onError} gets to an aistream error. Thread-safe (stateless). */
final class LangChain4jErrors {
    /** Bounds the message: an upstream's error body can be long. */
    static final int MAX_MESSAGE = 1000;

    private LangChain4jErrors() {}

    static ChunkError toChunkError(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t) && chain.size() < 16; t = t.getCause()) {
            chain.add(t);
        }
        for (Throwable t : chain) {
            if (t instanceof HttpException http) {
                return http(http.statusCode(), t);
            }
        }
        for (Throwable t : chain) {
            ErrorCode code = switch (t) {
                case AuthenticationException a -> ErrorCode.AUTHENTICATION;
                case RateLimitException r -> ErrorCode.RATE_LIMITED;
                case InvalidRequestException i -> ErrorCode.INVALID_REQUEST; // content filter and bad model too
                case dev.langchain4j.exception.TimeoutException x -> ErrorCode.UPSTREAM_CONNECTION;
                case IOException io -> ErrorCode.UPSTREAM_CONNECTION;
                case java.util.concurrent.TimeoutException x -> ErrorCode.UPSTREAM_CONNECTION;
                default -> null;
            };
            if (code != null) {
                return ChunkError.of(code, message(t));
            }
            if (t instanceof InternalServerException || t instanceof RetriableException) {
                return new ChunkError(
                        ErrorCode.UPSTREAM_ERROR.wireName(), message(t), true, Optional.empty(), OptionalInt.empty());
            }
        }
        return ChunkError.of(ErrorCode.UPSTREAM_ERROR, message(failure));
    }

    private static ChunkError http(int status, Throwable t) {
        ErrorCode code = switch (status) {
            case 401, 403 -> ErrorCode.AUTHENTICATION;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 400, 404, 409, 413, 422 -> ErrorCode.INVALID_REQUEST;
            case 503, 529 -> ErrorCode.UPSTREAM_OVERLOADED;
            default -> ErrorCode.UPSTREAM_ERROR;
        };
        boolean retryable = code.retryableByDefault() || status >= 500 || status == 408;
        return new ChunkError(code.wireName(), message(t), retryable, Optional.empty(), OptionalInt.of(status));
    }

    private static String message(Throwable t) {
        String text = t.getMessage();
        String full = t.getClass().getSimpleName() + (text == null || text.isBlank() ? "" : ": " + text);
        return full.length() <= MAX_MESSAGE ? full : full.substring(0, MAX_MESSAGE) + "…";
    }
}
