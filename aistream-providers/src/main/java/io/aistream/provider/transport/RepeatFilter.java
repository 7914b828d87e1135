package io.aistream.provider.transport;

/**
 * Strips an exact repetition of the already-sent text from the start of a continuation.
 *
 * <p>While the continuation's text so far is a proper prefix of the sent text, it is held back
 * (it may be a repeat). Once it covers the whole sent text and starts with it, that repeat is
 * dropped and the rest released; as soon as it differs, everything held is released as new text.
 * Not thread-safe.
 */
final class RepeatFilter {
    private final String sent;
    private final StringBuilder held = new StringBuilder();
    private boolean decided;

    RepeatFilter(String sent) {
        this.sent = sent;
        this.decided = sent.isEmpty();
    }

    /** Takes the next delta; returns the text to release now (maybe empty). */
    String accept(String delta) {
        if (decided) {
            return delta;
        }
        held.append(delta);
        if (held.length() < sent.length()) {
            if (sent.startsWith(held.toString())) {
                return "";
            }
            return release();
        }
        decided = true;
        if (held.indexOf(sent) == 0) {
            String rest = held.substring(sent.length());
            held.setLength(0);
            return rest;
        }
        return release();
    }

    /** The stream ended: whatever is still held was not a full repeat, so it is new text. */
    String release() {
        decided = true;
        String text = held.toString();
        held.setLength(0);
        return text;
    }

    /** Whether text is held back. */
    boolean holding() {
        return !held.isEmpty();
    }
}
