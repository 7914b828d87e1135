package io.aistream.langchain4j;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.aistream.stream.ChatStream;
import io.aistream.stream.ChunkSource;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Turns a LangChain4j streaming call ({@code model.chat(request, handler)}) into an aistream
 * {@link ChatStream}, so an application that already streams with LangChain4j gets aistream's
 * writers, resume and abort without changing its model or request.
 *
 * <pre>{@code
 * try (ChatStream stream = LangChain4jStreams.chatStream(model, request)) {
 *     for (StreamChunk chunk : stream) { ... }
 * }
 * }</pre>
 *
 * <p><b>What the stream carries.</b> Partial responses become {@code content} chunks, partial
 * thinking {@code reasoning} chunks, partial tool calls {@code tool_call} deltas (id and name with the
 * first fragment, then argument pieces); a tool call the model only reports complete is sent whole,
 * once. The complete response's token usage, model name and finish reason go into the final
 * {@code done} ({@code stop} when none, {@code tool_calls} when a stop follows tool calls);
 * {@code onError} becomes an {@code error} chunk (LangChain4j's exception types and HTTP statuses
 * map to aistream's codes) and done({@code error}).
 *
 * <p><b>When the call starts.</b> {@code model.chat} is called on the consumer's thread at the stream's
 * first read, not before.
 *
 * <p><b>Bounds.</b> LangChain4j pushes and cannot be asked to wait, so the chunks the consumer has not
 * taken yet are bounded in bytes ({@link ChatStream.Builder#DEFAULT_BUFFER_BYTES} unless
 * {@link #source(StreamingChatModel, ChatRequest, long)} says otherwise). A consumer that falls
 * further behind gets a {@code buffer_overflow} error chunk naming the bound and done({@code error}),
 * and the call is cancelled.
 *
 * <p><b>Cancel.</b> {@link ChatStream#close()} and {@link ChatStream#abort()} cancel the call through
 * LangChain4j's {@code StreamingHandle} (for HTTP models this closes the connection). LangChain4j
 * hands that handle over only with the first partial callback (response, thinking or tool call): a
 * stream closed before then has its call cancelled as soon as that first callback arrives, and
 * nothing of it reaches the consumer.
 *
 * <p>Thread-safe (stateless); each returned stream is consumed as {@link ChatStream} says.
 */
public final class LangChain4jStreams {
    private LangChain4jStreams() {}

    /**
     * A stream of {@code model}'s answer to {@code request}, with {@link ChatStream}'s defaults.
     *
     * @return the stream; whoever calls this closes it
     */
    public static ChatStream chatStream(StreamingChatModel model, ChatRequest request) {
        return ChatStream.builder(source(model, request)).build();
    }

    /**
     * A stream of {@code model}'s answer to {@code request}, configured by {@code customizer} before it
     * is built (an id, a {@link io.aistream.stream.StreamManager}, timeouts, ...).
     *
     * @param customizer called once with the builder, on the calling thread
     * @return the stream; whoever calls this closes it
     */
    public static ChatStream chatStream(
            StreamingChatModel model, ChatRequest request, Consumer<ChatStream.Builder> customizer) {
        Objects.requireNonNull(customizer, "customizer");
        ChatStream.Builder builder = ChatStream.builder(source(model, request));
        customizer.accept(builder);
        return builder.build();
    }

    /**
     * The chunk source under {@link #chatStream(StreamingChatModel, ChatRequest)}, with the default
     * bound ({@link ChatStream.Builder#DEFAULT_BUFFER_BYTES}).
     *
     * @return a source that its owner closes; closing or cancelling it cancels the call
     */
    public static ChunkSource source(StreamingChatModel model, ChatRequest request) {
        return source(model, request, ChatStream.Builder.DEFAULT_BUFFER_BYTES);
    }

    /**
     * The chunk source under {@link #chatStream(StreamingChatModel, ChatRequest)}, holding at most
     * {@code maxBufferedBytes} ({@link io.aistream.chunk.ChunkFootprint} estimates) of chunks the
     * consumer has not taken; past that the stream ends with {@code buffer_overflow} and the call is
     * cancelled.
     *
     * @return a source that its owner closes; closing or cancelling it cancels the call
     * @throws IllegalArgumentException if {@code maxBufferedBytes} is less than 1
     */
    public static ChunkSource source(StreamingChatModel model, ChatRequest request, long maxBufferedBytes) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(request, "request");
        if (maxBufferedBytes < 1) {
            throw new IllegalArgumentException("maxBufferedBytes must be at least 1: " + maxBufferedBytes);
        }
        return new StreamingCallSource(model, request, maxBufferedBytes);
    }
}
