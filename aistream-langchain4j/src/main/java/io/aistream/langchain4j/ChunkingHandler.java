package io.aistream.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.TokenUsage;
import io.aistream.chunk.ContentChunk;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.ReasoningChunk;
import io.aistream.chunk.ToolCallChunk;
import io.aistream.chunk.ToolCallDelta;
import io.aistream.chunk.Usage;
import io.aistream.stream.PushChunkSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Pushes what LangChain4j's handler callbacks bring as chunks. Both forms of each partial callback
 * are implemented (a model calls one), the context forms also hand the call's streaming handle on.
 *
 * <p>Tool calls: each index is sent once as a start (id, name, first argument piece) and then as
 * argument pieces. A complete tool call (or one found only in the complete response) whose index was
 * never streamed is sent whole; one that was streamed only gets whatever its complete arguments add
 * to the pieces already sent, so every call's arguments arrive complete and nothing twice.
 *
 * <p>Not thread-safe: LangChain4j calls one handler's methods one at a time.
 */
final class ChunkingHandler implements StreamingChatResponseHandler {
    private final PushChunkSource pipe;
    private final Consumer<StreamingHandle> handles;
    /** Per tool call index (the model's), the argument text sent so far. */
    private final Map<Integer, StringBuilder> toolCalls = new HashMap<>();

    private boolean sentText;
    private boolean sentThinking;

    ChunkingHandler(PushChunkSource pipe, Consumer<StreamingHandle> handles) {
        this.pipe = pipe;
        this.handles = handles;
    }

    @Override
    public void onPartialResponse(String partialResponse) {
        if (partialResponse != null && !partialResponse.isEmpty()) {
            sentText = true;
            pipe.push(ContentChunk.of(partialResponse));
        }
    }

    @Override
    public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
        handles.accept(context.streamingHandle());
        onPartialResponse(partialResponse.text());
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking) {
        String text = partialThinking.text();
        if (text != null && !text.isEmpty()) {
            sentThinking = true;
            pipe.push(ReasoningChunk.of(text));
        }
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
        handles.accept(context.streamingHandle());
        onPartialThinking(partialThinking);
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall) {
        int index = partialToolCall.index();
        String piece = partialToolCall.partialArguments() == null ? "" : partialToolCall.partialArguments();
        StringBuilder sent = toolCalls.get(index);
        if (sent == null) {
            toolCalls.put(index, new StringBuilder(piece));
            pipe.push(ToolCallChunk.of(new ToolCallDelta(
                    index,
                    Optional.ofNullable(partialToolCall.id()),
                    Optional.ofNullable(partialToolCall.name()),
                    piece)));
        } else if (!piece.isEmpty()) {
            sent.append(piece);
            pipe.push(ToolCallChunk.of(ToolCallDelta.arguments(index, piece)));
        }
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
        handles.accept(context.streamingHandle());
        onPartialToolCall(partialToolCall);
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall completeToolCall) {
        complete(completeToolCall.index(), completeToolCall.toolExecutionRequest());
    }

    @Override
    public void onCompleteResponse(ChatResponse completeResponse) {
        AiMessage message = completeResponse.aiMessage();
        if (message != null) {
            // a model that does not stream (or not everything) still gets its answer across, once
            if (!sentThinking
                    && message.thinking() != null
                    && !message.thinking().isEmpty()) {
                pipe.push(ReasoningChunk.of(message.thinking()));
            }
            if (!sentText && message.text() != null && !message.text().isEmpty()) {
                pipe.push(ContentChunk.of(message.text()));
            }
            if (toolCalls.isEmpty() && message.hasToolExecutionRequests()) {
                List<ToolExecutionRequest> requests = message.toolExecutionRequests();
                for (int i = 0; i < requests.size(); i++) {
                    complete(i, requests.get(i));
                }
            }
        }
        pipe.push(done(completeResponse));
    }

    @Override
    public void onError(Throwable error) {
        pipe.fail(LangChain4jErrors.toChunkError(error));
    }

    private void complete(int index, ToolExecutionRequest request) {
        String arguments = request.arguments() == null ? "" : request.arguments();
        StringBuilder sent = toolCalls.get(index);
        if (sent == null) {
            toolCalls.put(index, new StringBuilder(arguments));
            pipe.push(ToolCallChunk.of(new ToolCallDelta(
                    index, Optional.ofNullable(request.id()), Optional.ofNullable(request.name()), arguments)));
        } else if (arguments.length() > sent.length() && arguments.startsWith(sent.toString())) {
            String rest = arguments.substring(sent.length());
            sent.append(rest);
            pipe.push(ToolCallChunk.of(ToolCallDelta.arguments(index, rest)));
        }
    }

    private DoneChunk done(ChatResponse response) {
        FinishReason reason = finishReason(response.finishReason());
        if (reason == FinishReason.STOP && !toolCalls.isEmpty()) {
            reason = FinishReason.TOOL_CALLS;
        }
        String model = response.modelName();
        return DoneChunk.of(reason)
                .withMetadata(
                        usage(response.tokenUsage()),
                        Optional.empty(),
                        model == null || model.isEmpty() ? Optional.empty() : Optional.of(model));
    }

    static FinishReason finishReason(dev.langchain4j.model.output.FinishReason reason) {
        if (reason == null) {
            return FinishReason.STOP;
        }
        return switch (reason) {
            case STOP -> FinishReason.STOP;
            case LENGTH -> FinishReason.LENGTH;
            case TOOL_EXECUTION -> FinishReason.TOOL_CALLS;
            case CONTENT_FILTER -> FinishReason.CONTENT_FILTER;
            case OTHER -> FinishReason.OTHER;
        };
    }

    static Optional<Usage> usage(TokenUsage usage) {
        if (usage == null
                || (usage.inputTokenCount() == null
                        && usage.outputTokenCount() == null
                        && usage.totalTokenCount() == null)) {
            return Optional.empty();
        }
        long in = usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        long out = usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        long total = usage.totalTokenCount() == null ? in + out : usage.totalTokenCount();
        return Optional.of(new Usage(in, out, total));
    }
}
