package io.aistream.server.jetty;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalLong;

/**
 * How many client connections the gateway accepts at once. Each open connection holds a file
 * descriptor, and a streaming one usually needs another for its upstream request; so unless the
 * operator set a figure, the limit is half the process's open-files limit (at most
 * {@link #AUTOMATIC_CAP}), leaving the other half for upstream connections, resume stores and files.
 * An explicit figure wins, with a warning when the open-files limit cannot hold it twice.
 *
 * @param maxConnections the limit to enforce
 * @param explanation    one line for the log: the figure and where it came from
 * @param warning        whether {@code explanation} is a warning (an explicit figure too high)
 */
record ConnectionBudget(int maxConnections, String explanation, boolean warning) {
    /** The most connections an automatic limit allows, whatever the open-files limit. */
    static final int AUTOMATIC_CAP = 20_000;

    /** The automatic limit where the open-files limit cannot be read (not a Unix JVM). */
    static final int UNKNOWN_LIMIT_DEFAULT = 10_000;

    /**
     * @param configured the configured {@code maxConnections}; 0 = automatic
     * @param openFiles  the process's open-files limit, when known
     */
    static ConnectionBudget resolve(int configured, OptionalLong openFiles) {
        if (configured > 0) {
            if (openFiles.isPresent() && configured > openFiles.getAsLong() / 2) {
                return new ConnectionBudget(
                        configured,
                        "maxConnections " + configured + " exceeds half the open-files limit (" + openFiles.getAsLong()
                                + "): streams need a descriptor for their upstream connection too, so the gateway may"
                                + " run out of descriptors before it reaches the limit; raise the limit (ulimit -n)"
                                + " or lower maxConnections",
                        true);
            }
            return new ConnectionBudget(configured, "maxConnections " + configured + " (configured)", false);
        }
        if (openFiles.isEmpty()) {
            return new ConnectionBudget(
                    UNKNOWN_LIMIT_DEFAULT,
                    "maxConnections " + UNKNOWN_LIMIT_DEFAULT + " (the open-files limit is unknown here)",
                    false);
        }
        long limit = openFiles.getAsLong();
        int max = (int) Math.max(1, Math.min(AUTOMATIC_CAP, limit / 2));
        return new ConnectionBudget(
                max,
                "maxConnections " + max + " (half the open-files limit of " + limit
                        + (limit / 2 > AUTOMATIC_CAP ? ", at most " + AUTOMATIC_CAP : "")
                        + "; the rest is left for upstream connections and files)",
                false);
    }

    /** The process's open-files limit, when the JVM can tell (Unix). */
    static OptionalLong openFilesLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long max = unix.getMaxFileDescriptorCount();
            return max > 0 ? OptionalLong.of(max) : OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
