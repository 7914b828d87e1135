package io.aistream.bench.upstream;

/**
 * When the fake upstream saw tagged streams aborted: a ring of the last {@link #CAPACITY} entries
 * ({@link StreamParams#tag() tag}, {@link System#nanoTime()}), each numbered by a sequence that
 * only grows, so a client can read them in pages ({@code GET /aborts?since=SEQ}) and learn how many
 * it missed when it fell more than the capacity behind.
 *
 * <p>"Saw aborted" means the upstream noticed the stream's end: a write to its socket failed (HTTP)
 * or an {@code abort} message arrived (WebSocket). A paced HTTP stream notices only at its next
 * write, so the time includes up to one chunk interval (two when the first write after the
 * client's close still succeeds and only draws the reset).
 *
 * <p>Thread-safe: pacers and connection threads record, any thread reads. Aborts are rare next to
 * chunks, so one lock is cheap enough.
 */
final class AbortLog {
    static final int CAPACITY = 100_000;
    /** Most entries one page returns. */
    static final int PAGE = 10_000;

    private final long[] tags = new long[CAPACITY];
    private final long[] times = new long[CAPACITY];
    /** Sequence number of the next entry (entries {@code max(0, next - CAPACITY)..next-1} are kept). */
    private long next;

    /** Logs that the stream tagged {@code tag} was seen aborted now; untagged streams (-1) are not logged. */
    void record(long tag) {
        if (tag < 0) {
            return;
        }
        long now = System.nanoTime();
        synchronized (this) {
            int i = (int) (next % CAPACITY);
            tags[i] = tag;
            times[i] = now;
            next++;
        }
    }

    /**
     * Entries from sequence {@code since} on, at most {@link #PAGE}, as JSON:
     * {@code {"next":N,"dropped":D,"aborts":[tag,nanos,tag,nanos,…]}} where {@code next} is the
     * {@code since} of the next page (equal to the log's end when this page reached it) and
     * {@code dropped} counts entries after {@code since} that the ring no longer holds.
     */
    String toJson(long since) {
        StringBuilder b = new StringBuilder(64);
        synchronized (this) {
            long from = Math.min(next, Math.max(Math.max(0, since), next - CAPACITY));
            long dropped = Math.max(0, from - Math.max(0, since));
            long to = Math.min(next, from + PAGE);
            b.ensureCapacity(64 + (int) (to - from) * 32);
            b.append("{\"next\":")
                    .append(to)
                    .append(",\"dropped\":")
                    .append(dropped)
                    .append(",\"aborts\":[");
            for (long s = from; s < to; s++) {
                int i = (int) (s % CAPACITY);
                if (s > from) {
                    b.append(',');
                }
                b.append(tags[i]).append(',').append(times[i]);
            }
        }
        return b.append("]}").toString();
    }
}
