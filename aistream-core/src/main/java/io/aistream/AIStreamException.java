package io.aistream;

/**
 * The one unchecked root of every exception aistream throws.
 *
 * <p>{@link #retryable()} tells whether repeating the same operation may succeed (an overloaded or
 * rate-limited upstream, a dropped connection) or not (bad input, a size limit, a parse error).
 * {@link #code()} is one of the wire codes listed in {@link ErrorCode}.
 */
public class AIStreamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final boolean retryable;

    public AIStreamException(ErrorCode code, String message) {
        this(code.wireName(), message, code.retryableByDefault(), null);
    }

    public AIStreamException(ErrorCode code, String message, Throwable cause) {
        this(code.wireName(), message, code.retryableByDefault(), cause);
    }

    public AIStreamException(String code, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
    }

    /** The wire code of this error, e.g. {@code "buffer_overflow"}; see {@link ErrorCode}. */
    public String code() {
        return code;
    }

    /** Whether trying the same operation again may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
