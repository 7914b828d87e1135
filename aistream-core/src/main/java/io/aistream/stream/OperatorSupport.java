package io.aistream.stream;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;

/** Failure plumbing shared by the operators. */
final class OperatorSupport {
    private OperatorSupport() {}

    /**
     * Restores the interrupt flag and returns the exception a {@link PullStream#next()} throws
     * when its waiting thread is interrupted.
     */
    static AIStreamException interrupted(InterruptedException e, String operator) {
        Thread.currentThread().interrupt();
        return new AIStreamException(ErrorCode.ABORTED, "interrupted while waiting in " + operator, e);
    }

    /**
     * Rethrows a failure captured on another thread: unchecked exceptions and errors as they are
     * (so a {@link io.aistream.chunk.StreamFailedException} keeps its type), anything else wrapped as
     * {@code source_failure}. Declared to return so callers can write {@code throw rethrow(t)}.
     */
    static RuntimeException rethrow(Throwable failure) {
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        throw new AIStreamException(ErrorCode.SOURCE_FAILURE, String.valueOf(failure.getMessage()), failure);
    }
}
