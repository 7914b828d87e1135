package io.aistream.sse;

/**
 * Size limits that keep an SSE decoder's memory bounded.
 *
 * <p>A decoder that meets a line longer than {@code maxLineBytes} (not counting its line
 * terminator, nor a leading byte order mark), or an event whose data grows beyond
 * {@code maxEventBytes}, stops with an {@link SseLimitExceededException}. The limits hold whatever
 * way the input is split into reads: no buffer grows past them.
 *
 * @param maxLineBytes  the longest line accepted, in bytes; at least 1
 * @param maxEventBytes the largest data buffer of one event, in bytes: the values of its
 *                      {@code data} lines plus one byte per line for the joining line feed; at least 1
 */
public record SseLimits(int maxLineBytes, int maxEventBytes) {

    /** The default limits: 1 MiB per line, 4 MiB of data per event. */
    public static final SseLimits DEFAULTS = new SseLimits(1 << 20, 4 << 20);

    /**
     * @throws IllegalArgumentException if a limit is smaller than 1
     */
    public SseLimits {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be at least 1, was " + maxLineBytes);
        }
        if (maxEventBytes < 1) {
            throw new IllegalArgumentException("maxEventBytes must be at least 1, was " + maxEventBytes);
        }
    }
}
