package io.aistream.provider.bedrock;

import java.util.HashMap;
import java.util.Map;

/**
 * Maps Bedrock {@code contentBlockIndex} values of tool-use blocks onto 0-based tool-call indexes in
 * order of first appearance. Not thread-safe.
 */
final class ToolCallIndex {
    private final Map<Integer, Integer> byBlock = new HashMap<>();

    /** The call index of {@code blockIndex}, or -1 if that block is not a known tool call. */
    int find(int blockIndex) {
        return byBlock.getOrDefault(blockIndex, -1);
    }

    /** The call index of {@code blockIndex}, allocating the next one if it is new. */
    int allocate(int blockIndex) {
        return byBlock.computeIfAbsent(blockIndex, b -> byBlock.size());
    }

    /** How many tool calls have appeared. */
    int count() {
        return byBlock.size();
    }
}
