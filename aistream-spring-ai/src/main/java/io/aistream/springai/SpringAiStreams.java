package io.aistream.springai;

import io.aistream.stream.ChatStream;
import io.aistream.stream.ChunkSource;
import java.util.Objects;
import java.util.function.Consumer;
import org.springframework.ai.chat.model.ChatResponse;
import reactor.core.publisher.Flux;

/**
 * Turns a Spring AI streaming answer ({@code chatModel.stream(prompt)}, or
 * {@code chatClient.prompt(...).stream().chatResponse()}) into an aistream {@link ChatStream}, so an
 * application that already streams with Spring AI gets aistream's writers, resume and abort without
 * changing how it calls its model.
 *
 * <pre>{@code
 * try (ChatStream stream = SpringAiStreams.chatStream(chatModel.stream(prompt))) {
 *     for (StreamChunk chunk : stream) { ... }
 * }
 * }</pre>
 *
 * <p><b>What the stream carries.</b> Each generation's text becomes a {@code content} chunk; reasoning
 * that the model surfaces (OpenAI-style {@code reasoningContent} metadata, or a generation marked
 * {@code thinking}, as Anthropic's is) a {@code reasoning} chunk; each tool call on the assistant
 * message one {@code tool_call} chunk with id, name and complete arguments (Spring AI assembles the
 * fragments; a call repeated in a later response is not sent twice). The last usage reported and the
 * last finish reason go into the final {@code done} ({@code stop} when none was reported,
 * {@code tool_calls} when a stop follows tool calls). An error signal becomes an {@code error} chunk
 * (HTTP statuses and connection failures map to aistream's codes) and done({@code error}).
 *
 * <p><b>Demand and cancel.</b> Nothing is subscribed until the stream is first read; then one
 * {@code ChatResponse} is requested at a time, and the next only when the consumer has taken
 * everything the previous one gave, so a slow consumer slows the upstream instead of filling memory.
 * {@link ChatStream#close()} and {@link ChatStream#abort()} cancel the subscription, which for
 * Spring AI's HTTP models cancels the request (the connection is closed).
 *
 * <p>Thread-safe (stateless); each returned stream is consumed as {@link ChatStream} says.
 */
public final class SpringAiStreams {
    private SpringAiStreams() {}

    /**
     * A stream over {@code responses} with {@link ChatStream}'s defaults.
     *
     * @param responses a cold Spring AI response stream; subscribed once, when the stream is first read
     * @return the stream; whoever calls this closes it
     */
    public static ChatStream chatStream(Flux<ChatResponse> responses) {
        return ChatStream.builder(source(responses)).build();
    }

    /**
     * A stream over {@code responses}, configured by {@code customizer} before it is built (an id, a
     * {@link io.aistream.stream.StreamManager}, timeouts, a backpressure strategy, ...).
     *
     * @param responses  a cold Spring AI response stream; subscribed once, when the stream is first read
     * @param customizer called once with the builder, on the calling thread
     * @return the stream; whoever calls this closes it
     */
    public static ChatStream chatStream(Flux<ChatResponse> responses, Consumer<ChatStream.Builder> customizer) {
        Objects.requireNonNull(customizer, "customizer");
        ChatStream.Builder builder = ChatStream.builder(source(responses));
        customizer.accept(builder);
        return builder.build();
    }

    /**
     * The chunk source under {@link #chatStream(Flux)}, for callers that decorate it (e.g. with
     * {@link io.aistream.stream.ChunkSources}) before a {@link ChatStream} owns it.
     *
     * @param responses a cold Spring AI response stream; subscribed once, on the first {@code next()}
     * @return a source that its owner closes; closing or cancelling it cancels the subscription
     */
    public static ChunkSource source(Flux<ChatResponse> responses) {
        return new FluxChunkSource(Objects.requireNonNull(responses, "responses"));
    }
}
