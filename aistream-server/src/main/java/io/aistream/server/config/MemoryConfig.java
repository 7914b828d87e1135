package io.aistream.server.config;

/**
 * The gateway's memory budget: how many bytes it may retain for its streams (resume buffers, live and
 * finished; read-ahead, {@code drop} and {@code coalesce} queues; WebSocket send queues), and how many of
 * those one API key's resume buffers may hold. See {@code io.aistream.server.memory.MemoryBudget} for
 * what happens as the budget fills.
 *
 * @param budgetBytes       bytes the gateway may retain in all; 0 = 40 % of the JVM's maximum heap (the rest is room for
 *                          the garbage a busy gateway makes and for what is not counted)
 * @param perKeyBytes       bytes one key's resume buffers (live and finished) may retain; 0 = half the
 *                          budget when API keys are configured, the whole budget without keys (one caller)
 */
public record MemoryConfig(long budgetBytes, long perKeyBytes) {
    /** The share of the maximum heap the derived budget takes. */
    public static final double DEFAULT_HEAP_SHARE = 0.4;

    public MemoryConfig {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("memory budgetBytes must not be negative: " + budgetBytes);
        }
        if (perKeyBytes < 0) {
            throw new IllegalArgumentException("memory perKeyBytes must not be negative: " + perKeyBytes);
        }
        if (budgetBytes > 0 && perKeyBytes > budgetBytes) {
            throw new IllegalArgumentException(
                    "memory perKeyBytes (" + perKeyBytes + ") must not exceed budgetBytes (" + budgetBytes + ")");
        }
    }

    /** Both derived from the heap. */
    public static MemoryConfig defaults() {
        return new MemoryConfig(0, 0);
    }

    /** The budget in bytes: the configured one, or {@link #DEFAULT_HEAP_SHARE} of {@code maxHeapBytes}. */
    public long resolveBudget(long maxHeapBytes) {
        return budgetBytes > 0 ? budgetBytes : (long) (maxHeapBytes * DEFAULT_HEAP_SHARE);
    }

    /** The per-key cap in bytes, for a resolved {@code budget}. */
    public long resolvePerKey(long budget, boolean keysConfigured) {
        if (perKeyBytes > 0) {
            return Math.min(perKeyBytes, budget);
        }
        return keysConfigured ? budget / 2 : budget;
    }
}
