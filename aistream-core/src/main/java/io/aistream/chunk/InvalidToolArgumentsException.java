package io.aistream.chunk;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;

/**
 * A tool call's accumulated arguments are not valid JSON (code
 * {@link ErrorCode#INVALID_TOOL_ARGUMENTS}). The message names the call's index and tool name and
 * the JSON problem; {@link #argumentsJson()} holds the raw text for logging or repair.
 */
public class InvalidToolArgumentsException extends AIStreamException {
    private static final long serialVersionUID = 1L;

    private final int index;
    private final String toolName;
    private final String argumentsJson;

    public InvalidToolArgumentsException(
            int index, String toolName, String argumentsJson, String problem, Throwable cause) {
        super(
                ErrorCode.INVALID_TOOL_ARGUMENTS,
                "tool call " + index + (toolName.isEmpty() ? "" : " (" + toolName + ")")
                        + ": arguments are not valid JSON: " + problem,
                cause);
        this.index = index;
        this.toolName = toolName;
        this.argumentsJson = argumentsJson;
    }

    /** The tool call's index. */
    public int index() {
        return index;
    }

    /** The tool's name, "" if the stream never carried one. */
    public String toolName() {
        return toolName;
    }

    /** The invalid arguments text as accumulated. */
    public String argumentsJson() {
        return argumentsJson;
    }
}
