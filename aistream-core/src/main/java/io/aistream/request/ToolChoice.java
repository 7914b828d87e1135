package io.aistream.request;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether and which tool the model must call.
 *
 * @param mode     auto, none, required (any tool) or a specific tool
 * @param toolName the tool's name, present exactly when mode is {@link Mode#TOOL}
 */
public record ToolChoice(Mode mode, Optional<String> toolName) {
    public ToolChoice {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(toolName, "toolName");
        if ((mode == Mode.TOOL) != toolName.isPresent()) {
            throw new IllegalArgumentException("a tool name is given exactly when the mode is TOOL");
        }
    }

    /** The model decides. */
    public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, Optional.empty());
    /** The model must not call tools. */
    public static final ToolChoice NONE = new ToolChoice(Mode.NONE, Optional.empty());
    /** The model must call some tool. */
    public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, Optional.empty());

    /** The model must call the named tool. */
    public static ToolChoice tool(String name) {
        return new ToolChoice(Mode.TOOL, Optional.of(name));
    }

    /** The kinds of tool choice. */
    public enum Mode {
        AUTO,
        NONE,
        REQUIRED,
        TOOL
    }
}
