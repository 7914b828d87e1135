package io.aistream.provider.simulated;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.provider.ChatProvider;
import io.aistream.request.ChatRequest;
import io.aistream.request.ContentPart;
import io.aistream.request.Message;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.TimeSource;
import java.util.List;
import java.util.Objects;

/**
 * The {@code simulated} provider: deterministic streams with no network and no keys — for demos,
 * tests and load tests.
 *
 * <p>Models:
 * <ul>
 *   <li>{@code echo} — echoes the last user message, word by word;</li>
 *   <li>{@code lorem} — seeded sentences of {@code length} words;</li>
 *   <li>{@code reasoning} — reasoning text first, then an answer;</li>
 *   <li>{@code tools} — calls the first offered tool with example arguments built from its schema,
 *       arguments arriving in fragments, finish reason {@code tool_calls} (echoes without tools); when
 *       the conversation ends with a tool result it answers in text instead, quoting the result.</li>
 * </ul>
 *
 * <p>Per-request options, given as the request's provider options (all optional):
 * {@code tokensPerSecond} (pace; 0 = as fast as read), {@code length}, {@code seed},
 * {@code failAfter} (N output chunks, then a retryable {@code upstream_error}), {@code stallAfter} (N
 * output chunks, then silence until cancelled), {@code errorBeforeOutput} (a retryable
 * {@code upstream_overloaded} error first). Unknown options are rejected by name.
 *
 * <p>Thread-safe; pacing runs on the injected {@link TimeSource}, so tests with a virtual clock are
 * instant and exact.
 */
public final class SimulatedProvider implements ChatProvider {
    /** The provider name. */
    public static final String NAME = "simulated";

    private final TimeSource time;
    private final double defaultTokensPerSecond;

    /**
     * @param time                   the clock that paces the streams
     * @param defaultTokensPerSecond pace used when a request does not set {@code tokensPerSecond}
     *                               (0 = unpaced)
     */
    public SimulatedProvider(TimeSource time, double defaultTokensPerSecond) {
        this.time = Objects.requireNonNull(time, "time");
        if (defaultTokensPerSecond < 0) {
            throw new IllegalArgumentException("defaultTokensPerSecond must not be negative");
        }
        this.defaultTokensPerSecond = defaultTokensPerSecond;
    }

    /** Unpaced, on the system clock. */
    public SimulatedProvider() {
        this(TimeSource.system(), 0);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> models() {
        return SimulatedModel.ids();
    }

    @Override
    public ChunkSource open(ChatRequest request) {
        String modelId = request.model().orElse(SimulatedModel.ECHO.id());
        SimulatedModel model = SimulatedModel.byId(modelId)
                .orElseThrow(() -> new AIStreamException(
                        ErrorCode.INVALID_REQUEST,
                        "simulated has no model '" + modelId + "'; choose one of " + models()));
        SimulationSettings settings = SimulationSettings.from(request.providerOptions(), defaultTokensPerSecond);
        SimulatedScript script = SimulatedScript.forModel(model, request, settings);
        return new SimulatedSource(script, settings, time, modelId, inputTokens(request));
    }

    /** A rough prompt size: whitespace-separated words of every text part and the system prompt. */
    private static long inputTokens(ChatRequest request) {
        long words = request.system().map(SimulatedProvider::countWords).orElse(0L);
        for (Message m : request.messages()) {
            switch (m) {
                case Message.User u -> {
                    for (ContentPart p : u.content()) {
                        words += p instanceof ContentPart.Text t ? countWords(t.text()) : 85;
                    }
                }
                case Message.Assistant a ->
                    words += countWords(a.text()) + 10L * a.toolCalls().size();
                case Message.Tool t -> words += countWords(t.content());
            }
        }
        return words;
    }

    private static long countWords(String text) {
        return text.isBlank() ? 0 : text.strip().split("\\s+").length;
    }
}
