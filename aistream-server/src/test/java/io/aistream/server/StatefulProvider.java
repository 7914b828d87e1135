package io.aistream.server;

import io.aistream.chunk.Accumulator;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.ReasoningState;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.chunk.Usage;
import io.aistream.provider.ChatProvider;
import io.aistream.request.ChatRequest;
import io.aistream.request.Message;
import io.aistream.stream.ChunkSource;
import io.aistream.testing.FixedSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A provider ("stateful") whose models stream answers with reasoning state as each provider family's
 * decoder emits it (see the emission conventions of {@code ReasoningState}), and that records every
 * request it is given, so a test can check what a client's next turn became. Thread-safe.
 */
final class StatefulProvider implements ChatProvider {
    static final String NAME = "stateful";

    /** Usage with every detail: 100 input of which 60 read from and 10 written to the cache, 5 reasoning. */
    static final Usage FULL_USAGE = new Usage(100, 20, 120, 60, 10, 5);

    static final Map<String, List<StreamChunk>> SCRIPTS = Map.of(
            "claude",
            List.of(
                    ReasoningChunk.of("Let me "),
                    ReasoningChunk.of("think."),
                    ReasoningChunk.of("", ReasoningState.signature(ReasoningState.ANTHROPIC, "sig-1")),
                    ReasoningChunk.of("", ReasoningState.redacted(ReasoningState.ANTHROPIC, "red-1")),
                    ContentChunk.of("Checking."),
                    ToolCallChunk.of(ToolCallDelta.start(0, "toolu_1", "get_weather", "{\"city\":")),
                    ToolCallChunk.of(ToolCallDelta.arguments(0, "\"Paris\"}")),
                    DoneChunk.of(FinishReason.TOOL_CALLS, FULL_USAGE, NAME, "claude")),
            "gemini",
            List.of(
                    ReasoningChunk.of("Hmm."),
                    ContentChunk.of("Looking.", ReasoningState.signature(ReasoningState.GOOGLE, "g-1")),
                    ToolCallChunk.of(
                            ToolCallDelta.start(0, "call_g", "get_weather", "{\"city\":\"Rome\"}"),
                            ReasoningState.signature(ReasoningState.GOOGLE, "g-2")),
                    DoneChunk.of(FinishReason.TOOL_CALLS, Usage.of(8, 4), NAME, "gemini")),
            "responses",
            List.of(
                    ReasoningChunk.of("Sum"),
                    ReasoningChunk.of("mary."),
                    ReasoningChunk.of("", ReasoningState.openAiItem("rs_up", Optional.of("enc-1"))),
                    ContentChunk.of("Done."),
                    DoneChunk.of(FinishReason.STOP, FULL_USAGE, NAME, "responses")),
            "unknown-usage",
            List.of(ContentChunk.of("x"), DoneChunk.of(FinishReason.STOP)));

    private final BlockingQueue<ChatRequest> requests = new LinkedBlockingQueue<>();
    private final String name;
    private final Map<String, List<StreamChunk>> scripts;

    /** The provider {@value #NAME} with {@link #SCRIPTS}. */
    StatefulProvider() {
        this(NAME, SCRIPTS);
    }

    /** A provider {@code name} answering each model (a key of {@code scripts}) with its script. */
    StatefulProvider(String name, Map<String, List<StreamChunk>> scripts) {
        this.name = name;
        this.scripts = Map.copyOf(scripts);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> models() {
        return List.copyOf(scripts.keySet());
    }

    @Override
    public ChunkSource open(ChatRequest request) {
        requests.add(request);
        return FixedSource.of(scripts.get(request.model().orElse("claude")));
    }

    /** The next request a client's call opened, waiting for it up to {@code timeout}. */
    ChatRequest nextRequest(Duration timeout) throws InterruptedException {
        ChatRequest request = requests.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (request == null) {
            throw new AssertionError("no request reached the provider within " + timeout);
        }
        return request;
    }

    /** Drops the requests recorded so far. */
    void forget() {
        requests.clear();
    }

    /** The assistant turn the native model makes of a script's answer: what every endpoint must give back. */
    static Message.Assistant assistantTurn(String model) {
        Accumulator acc = new Accumulator();
        SCRIPTS.get(model).forEach(acc::add);
        return Message.Assistant.of(acc.result());
    }
}
