package io.aistream.server.ws;

/**
 * Joins the pieces of one client text message, counting its UTF-8 bytes against the socket's limit.
 *
 * <p><b>Bound.</b> A piece that would take the message past {@code maxBytes} is not kept: the pieces
 * held so far are dropped at once and the rest of that message is skipped, so at most
 * {@code maxBytes} bytes of text are ever held (plus the one piece the binding is handing over).
 *
 * <p><b>Threading.</b> Not thread-safe: one per socket, fed by the binding's one reading thread at a time.
 */
final class WsMessageAssembler {
    /** What a piece completed. */
    enum Outcome {
        /** More pieces of the message are to come. */
        MORE,
        /** The message is complete: {@link #take()} it. */
        MESSAGE,
        /** This piece took the message past the limit: answer and close; its later pieces are skipped. */
        TOO_LARGE,
        /** A piece of a message already refused as too large. */
        SKIPPED
    }

    private final int maxBytes;
    private final StringBuilder pieces = new StringBuilder();
    private long bytes;
    private boolean skipping;
    private String message;

    WsMessageAssembler(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The limit, in UTF-8 bytes. */
    int maxBytes() {
        return maxBytes;
    }

    /** Adds the next piece of the current message; {@code last} ends it. */
    Outcome add(String piece, boolean last) {
        if (skipping) {
            skipping = !last;
            return Outcome.SKIPPED;
        }
        long total = bytes + utf8Length(piece);
        if (total > maxBytes) {
            pieces.setLength(0);
            pieces.trimToSize();
            bytes = 0;
            skipping = !last;
            return Outcome.TOO_LARGE;
        }
        if (last) {
            if (pieces.isEmpty()) {
                message = piece; // the common case, one frame: no copy
            } else {
                message = pieces.append(piece).toString();
                pieces.setLength(0);
                if (pieces.capacity() > 64 * 1024) {
                    pieces.trimToSize(); // a large message's buffer is not kept for the socket's lifetime
                }
            }
            bytes = 0;
            return Outcome.MESSAGE;
        }
        pieces.append(piece);
        bytes = total;
        return Outcome.MORE;
    }

    /** The message the last {@link Outcome#MESSAGE} completed (once). */
    String take() {
        String m = message;
        message = null;
        return m;
    }

    /** Bytes held now (test probe). */
    long heldBytes() {
        return bytes;
    }

    /** The UTF-8 length of {@code text}; an unpaired surrogate counts as the 3 bytes of its replacement. */
    static long utf8Length(CharSequence text) {
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
