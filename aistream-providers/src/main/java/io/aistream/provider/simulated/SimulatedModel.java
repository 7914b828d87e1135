package io.aistream.provider.simulated;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The models the simulated provider serves. */
enum SimulatedModel {
    /** Echoes the last user message, word by word. */
    ECHO,
    /** Seeded pseudo-random sentences ({@code length} words). */
    LOREM,
    /** Reasoning text first, then an answer. */
    REASONING,
    /** Calls the first offered tool with example arguments (echoes when no tools are offered). */
    TOOLS;

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<SimulatedModel> byId(String id) {
        return Arrays.stream(values()).filter(m -> m.id().equals(id)).findFirst();
    }

    static List<String> ids() {
        return Arrays.stream(values()).map(SimulatedModel::id).toList();
    }
}
