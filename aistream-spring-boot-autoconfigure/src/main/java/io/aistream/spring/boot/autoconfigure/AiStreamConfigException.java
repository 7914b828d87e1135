package io.aistream.spring.boot.autoconfigure;

/**
 * An {@code aistream.*} property (or an aistream environment variable) is wrong: the message names the
 * key and says what is expected, in the words the JSON config file of {@code aistream serve} gets.
 * {@link AiStreamFailureAnalyzer} prints it as the reason the application failed to start.
 */
public final class AiStreamConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What every message starts with, so the user sees it is about these properties. */
    public static final String PREFIX = "Invalid aistream.* properties: ";

    /** @param problem the validator's message (key and reason) */
    public AiStreamConfigException(String problem) {
        super(PREFIX + problem);
    }

    /** The message without {@link #PREFIX}. */
    public String problem() {
        return getMessage().substring(PREFIX.length());
    }
}
