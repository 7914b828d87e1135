package io.aistream.server.resume;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;

/**
 * A reader asked a {@link StreamBuffer} for chunks it no longer keeps: they were evicted to stay
 * within the buffer's limits. Not retryable: the same request will not find them again.
 */
public final class ChunksEvictedException extends AIStreamException {
    private static final long serialVersionUID = 1L;

    private final long oldestSeq;

    /**
     * @param streamId  the stream
     * @param wanted    the first seq the reader needed
     * @param oldestSeq the oldest seq still kept
     */
    public ChunksEvictedException(String streamId, long wanted, long oldestSeq) {
        super(
                ErrorCode.INVALID_REQUEST,
                "stream " + streamId + " no longer keeps chunk " + wanted + "; the oldest kept is " + oldestSeq);
        this.oldestSeq = oldestSeq;
    }

    /** The oldest seq the buffer still keeps. */
    public long oldestSeq() {
        return oldestSeq;
    }
}
