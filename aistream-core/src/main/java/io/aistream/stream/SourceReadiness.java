package io.aistream.stream;

/**
 * Lets an event loop pull a {@link ChunkSource} (or a {@link ChatStream}) without ever blocking: instead of a
 * thread parked in {@code next()} per stream, the consumer asks {@link #poll()} whether {@code next()} would
 * return at once, pulls while it would, and otherwise arms {@link #onReady} and returns its thread to the loop.
 * A source that cannot tell offers no readiness ({@link ChunkSource#readiness()} is empty) and is pulled the
 * usual way, from a thread that may block.
 *
 * <p><b>Threading.</b> {@link #poll()} and {@link #release()} are called by the consumer (the one thread at a
 * time that also calls {@code next()}). The {@link #onReady} callback may run on any thread (the source's
 * I/O loop, a timer, whoever cancelled the source), at most once per arming, possibly before {@code onReady}
 * returns; it must not block, and it usually just schedules the consumer's next {@code poll()}.
 */
public interface SourceReadiness {
    /** What {@link #poll()} found. */
    enum State {
        /**
         * {@code next()} returns at once: with a chunk, with the end, or with what a cancel or a timeout leaves
         * (an error, a done).
         */
        READY,
        /** Nothing yet: arm {@link #onReady} and come back when it runs. */
        WAIT,
        /**
         * {@code next()} may block for something other than the upstream's next bytes (a retry, a reconnect, a
         * wrapper that must wait): {@link #release()} and pull from a thread that may block from now on.
         */
        NEEDS_THREAD
    }

    /**
     * Makes the progress the source can make without blocking (takes in the bytes the upstream already sent)
     * and says whether {@code next()} would now return at once. Consumer only; never blocks.
     */
    State poll();

    /**
     * Arms a one-shot callback, run when {@link #poll()} may answer differently: bytes arrived, the source was
     * cancelled or closed, a time limit passed. A new arming replaces an earlier one that has not run; the
     * callback may run at once (from this call) when that is already the case.
     */
    void onReady(Runnable callback);

    /**
     * The consumer goes back to blocking pulls: disarms the callback and puts the source back in its blocking
     * mode, so a later {@code next()} may wait on the calling thread. Consumer only; idempotent.
     */
    void release();
}
