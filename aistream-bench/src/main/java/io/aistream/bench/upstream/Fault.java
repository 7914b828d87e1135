package io.aistream.bench.upstream;

import java.util.Locale;

/**
 * A scripted fault of one stream, written as text in requests and flags:
 *
 * <ul>
 *   <li>{@code none} — no fault;</li>
 *   <li>{@code cut@N} — close the connection after N content chunks, without a terminal;</li>
 *   <li>{@code stall@N} or {@code stall@N:MS} — stop for MS milliseconds (default 60,000) after N
 *       content chunks, then go on pacing from there;</li>
 *   <li>{@code 429} or {@code 429:S} — answer 429 with {@code Retry-After: S} (default 1) and an
 *       OpenAI-style error body; any other status 400–599 (e.g. {@code 500}, {@code 503}) likewise,
 *       with Retry-After only when S is given.</li>
 * </ul>
 *
 * @param kind       what happens
 * @param atChunk    for cut and stall: after how many content chunks
 * @param millis     for stall: how long
 * @param status     for status: the HTTP status
 * @param retryAfter for status: the Retry-After seconds, or -1 for none
 */
public record Fault(Kind kind, int atChunk, long millis, int status, int retryAfter) {
    public static final Fault NONE = new Fault(Kind.NONE, 0, 0, 0, -1);
    private static final long DEFAULT_STALL_MS = 60_000;

    /** Fault kinds. */
    public enum Kind {
        NONE,
        CUT,
        STALL,
        STATUS
    }

    /** Parses the text form; throws {@link IllegalArgumentException} naming the problem. */
    public static Fault parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.isEmpty() || t.equals("none")) {
                return NONE;
            }
            if (t.startsWith("cut@")) {
                return new Fault(Kind.CUT, nonNegative(t.substring(4)), 0, 0, -1);
            }
            if (t.startsWith("stall@")) {
                String rest = t.substring(6);
                int colon = rest.indexOf(':');
                int at = nonNegative(colon < 0 ? rest : rest.substring(0, colon));
                long ms = colon < 0 ? DEFAULT_STALL_MS : nonNegative(rest.substring(colon + 1));
                return new Fault(Kind.STALL, at, ms, 0, -1);
            }
            int colon = t.indexOf(':');
            int status = Integer.parseInt(colon < 0 ? t : t.substring(0, colon));
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException();
            }
            int retryAfter = colon < 0 ? (status == 429 ? 1 : -1) : nonNegative(t.substring(colon + 1));
            return new Fault(Kind.STATUS, 0, 0, status, retryAfter);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fault must be none, cut@N, stall@N[:MS] or a status 400-599 with"
                    + " optional :RETRY_AFTER_SECONDS (e.g. 429:2), not '" + text + "'");
        }
    }

    private static int nonNegative(String s) {
        int v = Integer.parseInt(s);
        if (v < 0) {
            throw new IllegalArgumentException();
        }
        return v;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "none";
            case CUT -> "cut@" + atChunk;
            case STALL -> "stall@" + atChunk + ":" + millis;
            case STATUS -> retryAfter < 0 ? Integer.toString(status) : status + ":" + retryAfter;
        };
    }
}
