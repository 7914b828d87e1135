package io.aistream.stream;

/**
 * What bounds a read-ahead {@link ChunkQueue}, and whom it tells what it retains.
 *
 * @param capacity      at most this many chunks wait (at least 1)
 * @param maxBytes      waiting chunks hold at most this many bytes, unless a single chunk alone is
 *                      larger (at least 1)
 * @param recoveryChars {@link Backpressure#DROP} only: keep up to this many chars of content text for
 *                      the final done (0: none)
 * @param meter         told every change of the retained bytes
 */
record QueueLimits(int capacity, long maxBytes, int recoveryChars, ByteMeter meter) {}
