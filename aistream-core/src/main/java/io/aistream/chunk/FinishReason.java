package io.aistream.chunk;

import java.util.Optional;

/**
 * Why a stream ended, as carried by its {@code done} chunk. Each provider documents how its own
 * stop reasons map onto these.
 */
public enum FinishReason {
    /** The model finished its answer (or hit a stop sequence). */
    STOP("stop"),
    /** The output token limit was reached. */
    LENGTH("length"),
    /** The model stopped to have tools called. */
    TOOL_CALLS("tool_calls"),
    /** A safety or content filter stopped the output. */
    CONTENT_FILTER("content_filter"),
    /** The stream failed; an {@code error} chunk precedes the {@code done}. */
    ERROR("error"),
    /** The stream was aborted by its consumer, a manager or a disconnect. */
    ABORTED("aborted"),
    /** Any other reason the provider gave. */
    OTHER("other");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    /** The reason as written in JSON. */
    public String wireName() {
        return wireName;
    }

    /** The reason with this wire name, if any. */
    public static Optional<FinishReason> fromWire(String wireName) {
        for (FinishReason r : values()) {
            if (r.wireName.equals(wireName)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
