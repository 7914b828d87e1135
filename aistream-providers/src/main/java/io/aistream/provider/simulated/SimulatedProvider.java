package io.aistream.provider.simulated;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.provider.ChatProvider;
import io.aistream.provider.transport.AttemptObserver;
import io.aistream.request.ChatRequest;
import io.aistream.request.ContentPart;
import io.aistream.request.Message;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.TimeSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 * <p>A request whose last message is an assistant message without tool calls (a prefill, after
 * at least one other message) is continued: when the answer the same request without that message
 * and with the same options would get starts with the prefill's text, only the rest is produced — a
 * piece the prefill ends inside is split, reasoning is not produced again, and usage, pacing,
 * {@code failAfter} and {@code stallAfter} count only the pieces produced. Otherwise the request is
 * answered as if the prefill were not there. {@link #openContinuation} is built on this, so a
 * gateway node can take over another node's simulated stream exactly.
 *
 * <p>Per-request options, given as the request's provider options (all optional):
 * {@code tokensPerSecond} (pace; 0 = as fast as read), {@code length}, {@code seed},
 * {@code failAfter} (N output chunks, then a retryable {@code upstream_error}), {@code stallAfter} (N
 * output chunks, then silence until cancelled), {@code errorBeforeOutput} (a retryable
 * {@code upstream_overloaded} error first). Unknown options are rejected by name.
 *
 * <p>A gateway that serves the public (it requires API keys) caps what one request may ask for with
 * {@link Caps}: a request over a cap is refused with an {@code invalid_request} error naming the
 * option and the cap (never silently clamped), and an unpaced answer ({@code tokensPerSecond: 0}) is
 * refused, so no caller can burn the gateway's CPU with unpaced million-token answers.
 *
 * <p>Thread-safe; pacing runs on the injected {@link TimeSource}, so tests with a virtual clock are
 * instant and exact.
 */
public final class SimulatedProvider implements ChatProvider {
    /** The provider name. */
    public static final String NAME = "simulated";

    private final TimeSource time;
    private final double defaultTokensPerSecond;
    private final Caps caps;

    /**
     * Caps on one request's options.
     *
     * @param maxLength          the largest {@code length} a request may ask for
     * @param maxTokensPerSecond the fastest pace a request may ask for; unpaced ({@code 0}) is refused
     */
    public record Caps(int maxLength, double maxTokensPerSecond) {
        /** The defaults: 4096 pieces, 1000 tokens per second. */
        public static final Caps DEFAULT = new Caps(4096, 1000);

        public Caps {
            if (maxLength < 1 || maxLength > 1_000_000) {
                throw new IllegalArgumentException("maxLength must be between 1 and 1000000: " + maxLength);
            }
            if (!(maxTokensPerSecond > 0) || maxTokensPerSecond > 1_000_000) {
                throw new IllegalArgumentException(
                        "maxTokensPerSecond must be more than 0 and at most 1000000: " + maxTokensPerSecond);
            }
        }
    }

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
        this.caps = null;
    }

    /**
     * A capped provider (see {@link Caps}).
     *
     * @param time                   the clock that paces the streams
     * @param defaultTokensPerSecond pace used when a request does not set {@code tokensPerSecond}; must
     *                               be within the cap (more than 0, at most {@code caps.maxTokensPerSecond()})
     * @param caps                   the caps on every request
     * @throws IllegalArgumentException naming {@code tokensPerSecond} when the default is not within the cap
     */
    public SimulatedProvider(TimeSource time, double defaultTokensPerSecond, Caps caps) {
        this.time = Objects.requireNonNull(time, "time");
        this.caps = Objects.requireNonNull(caps, "caps");
        if (!(defaultTokensPerSecond > 0) || defaultTokensPerSecond > caps.maxTokensPerSecond()) {
            throw new IllegalArgumentException("tokensPerSecond " + formatted(defaultTokensPerSecond)
                    + " is not within the cap: more than 0 (unpaced answers are off) and at most "
                    + formatted(caps.maxTokensPerSecond()));
        }
        this.defaultTokensPerSecond = defaultTokensPerSecond;
    }

    /** The caps on every request, if any. */
    public Optional<Caps> caps() {
        return Optional.ofNullable(caps);
    }

    static String formatted(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
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
        SimulatedModel model = model(modelId);
        SimulationSettings settings = SimulationSettings.from(request.providerOptions(), defaultTokensPerSecond, caps);
        SimulatedScript script = continuingPrefill(model, request, settings)
                .orElseGet(() -> SimulatedScript.forModel(model, request, settings));
        return new SimulatedSource(script, settings, time, modelId, inputTokens(request), false);
    }

    /**
     * {@link #open(ChatRequest)} of {@code request} with {@code sentText} as its assistant prefill
     * (appended to a prefill the request already ends with), its done marked recovered. Empty when
     * this provider's answer to {@code request} does not start with {@code sentText} (different
     * options, or another model's text): then nothing it produces would continue that answer exactly.
     * The caller does not ask once tool calls were delivered (only text is matched, so they would come
     * again). Checking the prefix costs CPU bounded by {@code sentText}'s length; there is no I/O.
     */
    @Override
    public Optional<ChunkSource> openContinuation(ChatRequest request, String sentText, AttemptObserver observer) {
        Objects.requireNonNull(sentText, "sentText");
        String modelId = request.model().orElse(SimulatedModel.ECHO.id());
        SimulatedModel model = model(modelId);
        SimulationSettings settings = SimulationSettings.from(request.providerOptions(), defaultTokensPerSecond, caps);
        ChatRequest prefilled = request.withAssistantPrefill(sentText);
        return continuingPrefill(model, prefilled, settings)
                .map(script -> new SimulatedSource(script, settings, time, modelId, inputTokens(prefilled), true));
    }

    private SimulatedModel model(String modelId) {
        return SimulatedModel.byId(modelId)
                .orElseThrow(() -> new AIStreamException(
                        ErrorCode.INVALID_REQUEST,
                        "simulated has no model '" + modelId + "'; choose one of " + models()));
    }

    /**
     * The rest of the answer after the request's trailing assistant prefill; empty when the request
     * ends with no prefill or the answer without it does not start with the prefill's text.
     */
    private static Optional<SimulatedScript> continuingPrefill(
            SimulatedModel model, ChatRequest request, SimulationSettings settings) {
        List<Message> messages = request.messages();
        if (messages.size() < 2
                || !(messages.getLast() instanceof Message.Assistant prefill)
                || !prefill.toolCalls().isEmpty()) {
            return Optional.empty();
        }
        ChatRequest withoutPrefill = request.withMessages(messages.subList(0, messages.size() - 1));
        return SimulatedScript.forModel(model, withoutPrefill, settings).after(prefill.text());
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
