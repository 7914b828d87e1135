package io.aistream.provider.anthropic;

import java.util.HashMap;
import java.util.Map;

/**
 * Maps the content-block indexes of {@code tool_use} blocks onto 0-based tool-call indexes, in order
 * of first appearance, and remembers per block whether argument fragments arrived.
 *
 * <p>Not thread-safe; owned by one decoder.
 */
final class ToolCallIndex {

    /** One open or closed tool_use block. */
    static final class Block {
        final int callIndex;
        /** The {@code input} of {@code content_block_start} when it was a non-empty object, else null. */
        final String initialInput;
        boolean sawArguments;

        Block(int callIndex, String initialInput) {
            this.callIndex = callIndex;
            this.initialInput = initialInput;
        }
    }

    private final Map<Integer, Block> byBlockIndex = new HashMap<>();
    private int count;

    /** Registers a tool_use block and returns it; a block index seen before keeps its call index. */
    Block open(int blockIndex, String initialInput) {
        return byBlockIndex.computeIfAbsent(blockIndex, i -> new Block(count++, initialInput));
    }

    /** The block registered under {@code blockIndex}, or null if it is not a tool_use block. */
    Block block(int blockIndex) {
        return byBlockIndex.get(blockIndex);
    }

    /** How many tool calls the stream carried. */
    int count() {
        return count;
    }
}
