package io.aistream.stream;

/**
 * How {@link ChunkSources#smooth} cuts text into the pieces it releases at a steady pace.
 *
 * <p>Cuts fall only right after a whitespace character (WORD) or a line feed (LINE), so a
 * surrogate pair or a combining sequence is never split there. To bound memory and latency when
 * text has no such boundary (long URLs, scripts written without spaces), text held back for an
 * unfinished piece is released once it reaches {@link #maxPieceLength()} chars, cut between code
 * points.
 */
public enum SmoothMode {
    /**
     * Word by word: a piece is a word with the whitespace that follows it (and any whitespace
     * before it that started the text or followed a flush), e.g. {@code "Hello, "} {@code "big\n"}
     * {@code "world"}.
     */
    WORD(48),
    /** Line by line: a piece ends right after each {@code '\n'} (so {@code "\r\n"} stays whole). */
    LINE(1024);

    private final int maxPieceLength;

    SmoothMode(int maxPieceLength) {
        this.maxPieceLength = maxPieceLength;
    }

    /**
     * The most chars held back for an unfinished piece before it is released anyway.
     *
     * @return a length in UTF-16 chars
     */
    public int maxPieceLength() {
        return maxPieceLength;
    }
}
