package io.aistream.chunk;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import java.util.Optional;

/**
 * A chunk's JSON could not be read: it is not JSON, not an object, or a field is missing, has the
 * wrong type or an unknown value. The code is always {@link ErrorCode#MALFORMED_EVENT} and the
 * message names the offending field, e.g. {@code chunk field 'seq' must be an integer}.
 */
public class ChunkParseException extends AIStreamException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field   the offending field as a dotted path ({@code "toolCall.index"}), or null when
     *                the problem is not one field's (bad JSON syntax, not an object)
     * @param message what is wrong
     * @param cause   the underlying parser exception, if any
     */
    public ChunkParseException(String field, String message, Throwable cause) {
        super(ErrorCode.MALFORMED_EVENT, message, cause);
        this.field = field;
    }

    /** The offending field as a dotted path such as {@code toolCall.index}, when one field is to blame. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
