package io.aistream.chunk;

import io.aistream.json.Jackson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Folds chunks, one at a time, into a {@link CompletionResponse}.
 *
 * <ul>
 *   <li>Content and reasoning deltas are appended in arrival order (amortised O(1) per delta).</li>
 *   <li>Tool-call fragments are merged by {@link ToolCallDelta#index()}, so several calls may be
 *       interleaved; the first non-empty {@code callId} and {@code name} win, argument pieces are
 *       concatenated in arrival order. Arguments are parsed only in {@link #result()}: none at all
 *       (or only whitespace) give {@code {}}, invalid JSON an {@link InvalidToolArgumentsException}.</li>
 *   <li>{@link CompletionResponse#parts()} keeps reasoning blocks, text runs and tool calls in the
 *       order they came, each with the {@link ReasoningState} it carried: consecutive reasoning
 *       deltas form one block until a reasoning chunk with state closes it (a signature or an
 *       encrypted item ends its block; redacted reasoning is a block of its own); consecutive
 *       content deltas form one text run (state on a content chunk is attached to the run; a second
 *       state starts a new run); a tool call takes the place of its first fragment, and state on
 *       any of its fragments is attached to it. Parts are offsets into the same text, so keeping
 *       them costs no copy.</li>
 *   <li>Every error chunk's error is collected.</li>
 *   <li>The {@code done} chunk supplies finish reason, usage, provider, model, dropped and
 *       recovered; if it carries {@code content} (deltas were dropped) that full text replaces the
 *       content accumulated so far. No chunk may follow it.</li>
 *   <li>An {@link UnknownChunk} (a type from a newer server) is ignored.</li>
 * </ul>
 *
 * <p><b>Not thread-safe</b>: feed it from one thread (or publish it safely between threads).
 * {@link #result()} may be called at any time, and again after more chunks.
 */
public final class Accumulator {
    private static final JsonMapper MAPPER = Jackson.mapperBuilder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final StringBuilder content = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final CharSequence contentView = new ReadOnlyText(content);
    private final CharSequence reasoningView = new ReadOnlyText(reasoning);
    private final Map<Integer, ToolCallBuilder> toolCalls = new TreeMap<>();
    private final List<ChunkError> errors = new ArrayList<>();
    private final List<PartMark> parts = new ArrayList<>();
    /** The reasoning block or text run still growing, if any. */
    private PartMark open;

    private DoneChunk done;

    /** An empty accumulator. */
    public Accumulator() {}

    /**
     * Adds the next chunk of the stream.
     *
     * @return this accumulator
     * @throws IllegalStateException if a {@code done} chunk was already added
     */
    public Accumulator add(StreamChunk chunk) {
        Objects.requireNonNull(chunk, "chunk");
        if (done != null) {
            throw new IllegalStateException("chunk seq " + chunk.seq() + " follows the done chunk");
        }
        switch (chunk) {
            case ContentChunk c -> addContent(c);
            case ReasoningChunk r -> addReasoning(r);
            case ToolCallChunk t -> addToolCall(t);
            case ErrorChunk e -> errors.add(e.error());
            case DoneChunk d -> {
                done = d;
                d.content().ifPresent(full -> {
                    content.setLength(0);
                    content.append(full);
                });
            }
            case UnknownChunk u -> {
                // a type from a newer server: nothing this version could add to the answer
            }
        }
        return this;
    }

    private void addContent(ContentChunk c) {
        boolean hasState = c.state().isPresent();
        if (open == null || open.kind != PartKind.TEXT || (hasState && open.state != null)) {
            if (c.delta().isEmpty() && !hasState) {
                return;
            }
            startPart(PartKind.TEXT, content.length());
        }
        content.append(c.delta());
        open.end = content.length();
        if (hasState) {
            open.state = c.state().get();
        }
    }

    private void addReasoning(ReasoningChunk r) {
        Optional<ReasoningState> state = r.state();
        boolean redacted = state.isPresent() && state.get().redacted().isPresent();
        if (open == null || open.kind != PartKind.REASONING || redacted) {
            if (r.delta().isEmpty() && state.isEmpty()) {
                return;
            }
            startPart(PartKind.REASONING, reasoning.length());
        }
        reasoning.append(r.delta());
        open.end = reasoning.length();
        if (state.isPresent()) {
            open.state = state.get();
            open = null; // the state ends its block
        }
    }

    private void addToolCall(ToolCallChunk t) {
        open = null;
        int index = t.toolCall().index();
        ToolCallBuilder builder = toolCalls.get(index);
        if (builder == null) {
            builder = new ToolCallBuilder(index);
            toolCalls.put(index, builder);
            PartMark mark = new PartMark(PartKind.TOOL_CALL, index);
            parts.add(mark);
        }
        builder.add(t.toolCall());
        if (t.state().isPresent()) {
            builder.state = t.state().get();
        }
    }

    private void startPart(PartKind kind, int start) {
        open = new PartMark(kind, start);
        parts.add(open);
    }

    /** The content so far, as a live read-only view (no copy); {@code toString()} copies it. */
    public CharSequence content() {
        return contentView;
    }

    /** The reasoning so far, as a live read-only view (no copy); {@code toString()} copies it. */
    public CharSequence reasoning() {
        return reasoningView;
    }

    /** Whether the {@code done} chunk has been added. */
    public boolean isDone() {
        return done != null;
    }

    /**
     * The response as of the chunks added so far.
     *
     * @throws InvalidToolArgumentsException if a tool call's arguments are not valid JSON
     */
    public CompletionResponse result() {
        List<ToolCall> calls = new ArrayList<>(toolCalls.size());
        for (ToolCallBuilder b : toolCalls.values()) {
            calls.add(b.build());
        }
        Optional<DoneChunk> d = Optional.ofNullable(done);
        return new CompletionResponse(
                parts(calls, d.flatMap(DoneChunk::content)),
                content.toString(),
                reasoning.toString(),
                d.flatMap(DoneChunk::refusal),
                calls,
                d.map(DoneChunk::finishReason),
                d.flatMap(DoneChunk::usage),
                d.flatMap(DoneChunk::provider),
                d.flatMap(DoneChunk::model),
                d.map(DoneChunk::dropped).orElse(0L),
                d.map(DoneChunk::recovered).orElse(false),
                errors);
    }

    private List<AnswerPart> parts(List<ToolCall> calls, Optional<String> fullContent) {
        List<AnswerPart> result = new ArrayList<>(parts.size());
        boolean textPlaced = false;
        for (PartMark mark : parts) {
            switch (mark.kind) {
                case REASONING ->
                    result.add(new AnswerPart.Reasoning(
                            reasoning.substring(mark.start, mark.end), Optional.ofNullable(mark.state)));
                case TEXT -> {
                    if (fullContent.isEmpty()) {
                        result.add(new AnswerPart.Text(
                                content.substring(mark.start, mark.end), Optional.ofNullable(mark.state)));
                    } else if (!textPlaced) {
                        // deltas were dropped: the full text stands where the first run was
                        result.add(new AnswerPart.Text(fullContent.get(), Optional.ofNullable(mark.state)));
                        textPlaced = true;
                    }
                }
                case TOOL_CALL -> {
                    for (ToolCall call : calls) {
                        if (call.index() == mark.start) {
                            result.add(call);
                        }
                    }
                }
            }
        }
        if (fullContent.isPresent() && !textPlaced && !fullContent.get().isEmpty()) {
            result.add(new AnswerPart.Text(fullContent.get(), Optional.empty()));
        }
        return result;
    }

    private enum PartKind {
        REASONING,
        TEXT,
        TOOL_CALL
    }

    /** Where one part lies: a range of the reasoning or content text, or (tool calls) the call's index in start. */
    private static final class PartMark {
        final PartKind kind;
        final int start;
        int end;
        ReasoningState state;

        PartMark(PartKind kind, int start) {
            this.kind = kind;
            this.start = start;
            this.end = start;
        }
    }

    private static final class ToolCallBuilder {
        private final int index;
        private ReasoningState state;
        private String callId = "";
        private String name = "";
        private final StringBuilder arguments = new StringBuilder();

        ToolCallBuilder(int index) {
            this.index = index;
        }

        void add(ToolCallDelta delta) {
            if (callId.isEmpty()) {
                callId = delta.callId().orElse("");
            }
            if (name.isEmpty()) {
                name = delta.name().orElse("");
            }
            arguments.append(delta.argumentsDelta());
        }

        ToolCall build() {
            String json = arguments.toString();
            if (json.isBlank()) {
                return new ToolCall(index, callId, name, "{}", MAPPER.createObjectNode(), Optional.ofNullable(state));
            }
            JsonNode parsed;
            try {
                parsed = MAPPER.readTree(json);
            } catch (JacksonException e) {
                throw new InvalidToolArgumentsException(index, name, json, ChunkParser.describe(e), e);
            }
            return new ToolCall(index, callId, name, json, parsed, Optional.ofNullable(state));
        }
    }

    /** Exposes a builder's text without letting callers mutate it. */
    private static final class ReadOnlyText implements CharSequence {
        private final StringBuilder text;

        ReadOnlyText(StringBuilder text) {
            this.text = text;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.substring(start, end);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
