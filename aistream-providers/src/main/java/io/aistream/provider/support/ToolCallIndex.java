package io.aistream.provider.support;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * Maps the keys a provider gives tool-call fragments (a content-block index, a call index, a call id)
 * onto aistream's 0-based tool-call indexes, in order of first appearance.
 *
 * <p>Two ways to use it: by a provider's integer key ({@link #allocate}, {@link #find}, {@link #known}:
 * a content-block index, a call index), or by the OpenAI Chat rules ({@link #resolve}: the provider's
 * {@code index} when present, else the call id, else the latest call).
 *
 * <p>Not thread-safe; one per stream, owned by its decoder.
 */
public final class ToolCallIndex {
    /** Set in {@link #resolve}'s result when the fragment starts a new call. */
    public static final int NEW = 1 << 30;

    private final Map<Integer, Integer> byKey = new HashMap<>();
    private final Map<String, Integer> byId = new HashMap<>();
    private final IntSupplier numbering;
    private int count;
    private int latest = -1;

    /** An index numbering its calls 0, 1, 2, ... */
    public ToolCallIndex() {
        this.numbering = null;
    }

    /**
     * An index whose new calls take their numbers from {@code numbering} (when something else in the
     * stream numbers tool calls too, e.g. a state shared by two kinds of call).
     */
    public ToolCallIndex(IntSupplier numbering) {
        this.numbering = Objects.requireNonNull(numbering, "numbering");
    }

    /** The call index of the provider's {@code key}, allocating the next one on first sight. */
    public int allocate(int key) {
        Integer known = byKey.get(key);
        if (known != null) {
            return known;
        }
        int ours = next();
        byKey.put(key, ours);
        return ours;
    }

    /** The call index of the provider's {@code key}, or -1 if it has not been seen. */
    public int find(int key) {
        return byKey.getOrDefault(key, -1);
    }

    /** Whether the provider's {@code key} has been seen. */
    public boolean known(int key) {
        return byKey.containsKey(key);
    }

    /** How many tool calls this index has allocated. */
    public int count() {
        return count;
    }

    /**
     * Our index for an OpenAI-style fragment; {@code | NEW} when the fragment starts a call. The
     * provider's {@code index} when present (any order, interleaving allowed), else the call {@code id}
     * (some compatible servers send whole calls without an index), else — neither given — the latest call.
     *
     * @param index the provider's index or -1
     * @param id    the call id or null
     */
    public int resolve(int index, String id) {
        boolean hasId = id != null && !id.isEmpty();
        Integer known = index >= 0 ? byKey.get(index) : hasId ? byId.get(id) : null;
        if (known == null && index >= 0 && hasId) {
            known = byId.get(id);
        }
        if (known == null && index < 0 && !hasId && latest >= 0) {
            known = latest;
        }
        if (known != null) {
            latest = known;
            return known;
        }
        int ours = next();
        if (index >= 0) {
            byKey.put(index, ours);
        }
        if (hasId) {
            byId.put(id, ours);
        }
        latest = ours;
        return ours | NEW;
    }

    private int next() {
        count++;
        return numbering == null ? count - 1 : numbering.getAsInt();
    }
}
