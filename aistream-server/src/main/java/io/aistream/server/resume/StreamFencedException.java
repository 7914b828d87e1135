package io.aistream.server.resume;

/**
 * A producer appended to a stream that another node has taken over since (its lease had expired): the
 * append was refused by the store, so a stale owner can never interleave chunks with the new one. The
 * producer must stop its upstream and append nothing more. Only a shared store throws it.
 */
public final class StreamFencedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public StreamFencedException(String streamId) {
        super("stream " + streamId + " was taken over by another node; this node may no longer append to it");
    }
}
