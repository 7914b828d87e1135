package io.aistream.server;

import io.aistream.chunk.ChunkError;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.chunk.Usage;
import io.aistream.provider.ChatProvider;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChunkSource;
import io.aistream.testing.FixedSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** A deterministic provider ("fixed"): each model answers with the same fixed chunks every time. */
final class FixedProvider implements ChatProvider {
    static final String NAME = "fixed";

    static final Map<String, List<StreamChunk>> SCRIPTS = Map.of(
            "text",
                    List.of(
                            ContentChunk.of("Hel"),
                            ContentChunk.of("lo \"wörld\"\n"),
                            DoneChunk.of(FinishReason.STOP, Usage.of(3, 2), NAME, "text")),
            "mixed",
                    List.of(
                            ReasoningChunk.of("Think."),
                            ContentChunk.of("Calling."),
                            ToolCallChunk.of(ToolCallDelta.start(0, "call_1", "get_weather", "{\"ci")),
                            ToolCallChunk.of(ToolCallDelta.arguments(0, "ty\": \"Paris\"}")),
                            ToolCallChunk.of(new ToolCallDelta(1, Optional.empty(), Optional.of("get_time"), "{}")),
                            DoneChunk.of(FinishReason.TOOL_CALLS, Usage.of(10, 7), NAME, "mixed")),
            "long", List.of(ContentChunk.of("cut"), DoneChunk.of(FinishReason.LENGTH)),
            "fail",
                    List.of(
                            ContentChunk.of("a"),
                            ErrorChunk.of(new ChunkError(
                                    "rate_limited", "slow down", true, Optional.of("fixed"), OptionalInt.of(429))),
                            DoneChunk.of(FinishReason.ERROR)));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> models() {
        return List.of("text", "mixed", "long", "fail");
    }

    @Override
    public ChunkSource open(ChatRequest request) {
        return FixedSource.of(SCRIPTS.get(request.model().orElse("text")));
    }
}
