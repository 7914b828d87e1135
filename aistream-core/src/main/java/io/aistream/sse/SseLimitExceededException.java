package io.aistream.sse;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import java.util.Objects;

/**
 * An SSE stream broke one of its {@link SseLimits}. Its code is
 * {@link ErrorCode#EVENT_TOO_LARGE}, and it is not retryable: the same stream would break the
 * limit again.
 *
 * <p>The decoder that threw it is failed for good: every later call to feed or end it throws an
 * exception of this type again.
 */
public final class SseLimitExceededException extends AIStreamException {
    private static final long serialVersionUID = 1L;

    /** Which limit was exceeded. */
    public enum Limit {
        /** {@link SseLimits#maxLineBytes()}. */
        MAX_LINE_BYTES("maxLineBytes"),
        /** {@link SseLimits#maxEventBytes()}. */
        MAX_EVENT_BYTES("maxEventBytes");

        private final String fieldName;

        Limit(String fieldName) {
            this.fieldName = fieldName;
        }

        /** The name of the {@link SseLimits} component, e.g. {@code "maxLineBytes"}. */
        public String fieldName() {
            return fieldName;
        }
    }

    private final Limit limit;
    private final long limitValue;

    /**
     * @param limit      the limit that was exceeded
     * @param limitValue its configured value in bytes
     */
    public SseLimitExceededException(Limit limit, long limitValue) {
        super(ErrorCode.EVENT_TOO_LARGE, message(limit, limitValue));
        this.limit = limit;
        this.limitValue = limitValue;
    }

    private static String message(Limit limit, long limitValue) {
        Objects.requireNonNull(limit, "limit");
        String what = limit == Limit.MAX_LINE_BYTES ? "an SSE line" : "the data of an SSE event";
        return what + " exceeds the limit " + limit.fieldName() + " = " + limitValue + " bytes";
    }

    /** Which limit was exceeded. */
    public Limit limit() {
        return limit;
    }

    /** The configured value of that limit, in bytes. */
    public long limitValue() {
        return limitValue;
    }
}
