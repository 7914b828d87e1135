package io.aistream.provider.cohere;

import java.util.HashMap;
import java.util.Map;

/**
 * Maps Cohere's {@code index} of {@code tool-call-*} events onto 0-based tool-call indexes in order of
 * first appearance. Not thread-safe; owned by one decoder.
 */
final class ToolCallIndex {
    private final Map<Integer, Integer> callIndexes = new HashMap<>();

    /** The call index for Cohere's {@code index}, assigning the next one on first sight. */
    int callIndex(int cohereIndex) {
        return callIndexes.computeIfAbsent(cohereIndex, i -> callIndexes.size());
    }

    /** Whether Cohere's {@code index} has been seen. */
    boolean known(int cohereIndex) {
        return callIndexes.containsKey(cohereIndex);
    }

    /** How many tool calls the stream carried. */
    int count() {
        return callIndexes.size();
    }
}
