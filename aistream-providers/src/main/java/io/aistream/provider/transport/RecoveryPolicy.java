package io.aistream.provider.transport;

import java.util.Objects;

/**
 * What happens when a stream fails after output has begun.
 *
 * <ul>
 *   <li>{@link Mode#FAIL} (the default): the stream ends honestly — the error chunk, then
 *       {@code done} with finish reason {@code error} and the usage so far, if known.</li>
 *   <li>{@link Mode#CONTINUE}: for a retryable failure (cut connection, idle timeout, overloaded,
 *       ...), the request is issued again — to the same target, falling back along the chain —
 *       with the partial answer as an assistant prefix (where the protocol supports prefill) or as
 *       an assistant message plus an instruction to continue. Only the new text is streamed, so the
 *       consumer sees one answer with nothing repeated or lost, and the {@code done} is marked
 *       {@code recovered}. A turn that already emitted tool calls is never continued.</li>
 * </ul>
 *
 * @param mode             fail or continue
 * @param maxContinuations how many continuations one stream may use (ignored for {@code FAIL})
 */
public record RecoveryPolicy(Mode mode, int maxContinuations) {

    /** Fail or continue. */
    public enum Mode {
        /** End the stream with the error. */
        FAIL,
        /** Continue the answer on a new attempt. */
        CONTINUE
    }

    private static final RecoveryPolicy FAIL = new RecoveryPolicy(Mode.FAIL, 0);

    /** @throws IllegalArgumentException if {@code maxContinuations} is negative */
    public RecoveryPolicy {
        Objects.requireNonNull(mode, "mode");
        if (maxContinuations < 0) {
            throw new IllegalArgumentException("maxContinuations must not be negative: " + maxContinuations);
        }
    }

    /** End the stream honestly on a failure after output. */
    public static RecoveryPolicy fail() {
        return FAIL;
    }

    /** Continue a cut answer, at most {@code maxContinuations} times per stream. */
    public static RecoveryPolicy continueUpTo(int maxContinuations) {
        return new RecoveryPolicy(Mode.CONTINUE, maxContinuations);
    }

    /** Whether another continuation is allowed after {@code used} of them. */
    boolean allowsContinuation(int used) {
        return mode == Mode.CONTINUE && used < maxContinuations;
    }
}
