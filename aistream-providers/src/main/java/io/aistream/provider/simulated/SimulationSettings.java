package io.aistream.provider.simulated;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.provider.support.PortableOptions;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Per-request knobs of the simulated provider, read from the request's provider options.
 *
 * @param tokensPerSecond    pace of emitted pieces; 0 = as fast as the consumer reads
 * @param length             output pieces for generated text (models {@code lorem}, {@code reasoning})
 * @param seed               seed of the generated words
 * @param failAfter          after this many output chunks, fail with a retryable upstream error (-1 = never)
 * @param stallAfter         after this many output chunks, stall until cancelled (-1 = never)
 * @param errorBeforeOutput  fail with a retryable overloaded error before any output
 */
record SimulationSettings(
        double tokensPerSecond, int length, long seed, int failAfter, int stallAfter, boolean errorBeforeOutput) {

    /**
     * The settings of one request.
     *
     * <p>OpenAI's parameters that change nothing (defaults, advisory ones) are dropped first through
     * {@link PortableOptions}, like every other non-OpenAI protocol does; any other unknown option is
     * refused, naming it.
     *
     * @param caps the provider's caps, or null when uncapped
     */
    static SimulationSettings from(
            Map<String, JsonNode> given, double defaultTokensPerSecond, SimulatedProvider.Caps caps) {
        Map<String, JsonNode> options = PortableOptions.forWire("simulated", given, PortableOptions.Wire.OTHER);
        double pace = number(options, "tokensPerSecond", defaultTokensPerSecond);
        if (pace < 0 || pace > 1_000_000) {
            throw invalid("tokensPerSecond", "must be between 0 and 1000000");
        }
        int length = (int) number(options, "length", 60);
        if (length < 1 || length > 1_000_000) {
            throw invalid("length", "must be between 1 and 1000000");
        }
        if (caps != null) {
            // refused, not clamped: the caller learns what this gateway allows
            if (pace == 0 || pace > caps.maxTokensPerSecond()) {
                throw invalid(
                        "tokensPerSecond",
                        "must be more than 0 and at most " + SimulatedProvider.formatted(caps.maxTokensPerSecond())
                                + " on this gateway (unpaced answers are off)");
            }
            if (length > caps.maxLength()) {
                throw invalid("length", "must be at most " + caps.maxLength() + " on this gateway");
            }
        }
        long seed = (long) number(options, "seed", 1);
        int failAfter = (int) number(options, "failAfter", -1);
        int stallAfter = (int) number(options, "stallAfter", -1);
        JsonNode before = options.get("errorBeforeOutput");
        if (before != null && !before.isBoolean()) {
            throw invalid("errorBeforeOutput", "must be true or false");
        }
        for (String key : options.keySet()) {
            switch (key) {
                case "tokensPerSecond", "length", "seed", "failAfter", "stallAfter", "errorBeforeOutput" -> {}
                default ->
                    throw invalid(
                            key,
                            "is not a simulated-provider option (tokensPerSecond, length, seed, "
                                    + "failAfter, stallAfter, errorBeforeOutput)");
            }
        }
        return new SimulationSettings(pace, length, seed, failAfter, stallAfter, before != null && before.asBoolean());
    }

    private static double number(Map<String, JsonNode> options, String key, double fallback) {
        JsonNode node = options.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber()) {
            throw invalid(key, "must be a number");
        }
        return node.asDouble();
    }

    private static AIStreamException invalid(String key, String why) {
        return new AIStreamException(ErrorCode.INVALID_REQUEST, "simulated option '" + key + "' " + why);
    }

    /** Nanoseconds between pieces; 0 when unpaced. */
    long intervalNanos() {
        return tokensPerSecond == 0 ? 0 : (long) (1_000_000_000L / tokensPerSecond);
    }
}
