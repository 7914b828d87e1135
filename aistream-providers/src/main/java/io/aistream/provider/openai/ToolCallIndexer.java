package io.aistream.provider.openai;

import java.util.HashMap;
import java.util.Map;

/**
 * Maps the keys compatible servers give tool-call fragments onto our 0-based call index, in order of
 * first appearance: the provider's {@code index} when present (OpenAI, any order, interleaving
 * allowed), else the call {@code id} (Mistral sends whole calls without an index), else — neither
 * given — the fragment continues the latest call.
 *
 * <p>Not thread-safe; one per stream.
 */
final class ToolCallIndexer {
    /** Set in {@link #resolve}'s result when the fragment starts a new call. */
    static final int NEW = 1 << 30;

    private final Map<Integer, Integer> byIndex = new HashMap<>();
    private final Map<String, Integer> byId = new HashMap<>();
    private final OpenAiStreamState state;
    private int latest = -1;

    ToolCallIndexer(OpenAiStreamState state) {
        this.state = state;
    }

    /**
     * Our index for a fragment; {@code | NEW} when the fragment starts a call.
     *
     * @param index the provider's index or -1
     * @param id    the call id or null
     */
    int resolve(int index, String id) {
        boolean hasId = id != null && !id.isEmpty();
        Integer known = index >= 0 ? byIndex.get(index) : hasId ? byId.get(id) : null;
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
        int ours = state.newToolCall();
        if (index >= 0) {
            byIndex.put(index, ours);
        }
        if (hasId) {
            byId.put(id, ours);
        }
        latest = ours;
        return ours | NEW;
    }
}
