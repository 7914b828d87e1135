package io.aistream.spring;

import io.aistream.chunk.StreamChunk;
import io.aistream.stream.ChatStream;
import org.reactivestreams.Publisher;

/**
 * What a Spring MVC or WebFlux handler method returns to stream an answer. A method may also return a
 * {@link ChatStream} itself, or a {@code Flux<StreamChunk>} / {@code Publisher<StreamChunk>}: both are
 * written as the native SSE protocol. A client that goes away aborts the stream at once, which cancels
 * its upstream HTTP exchange.
 *
 * <pre>{@code
 * @PostMapping("/chat")
 * AiStreamResponse chat(@RequestBody String question) {
 *     ChatRequest request = ChatRequest.builder().user(question).build();
 *     return AiStreamResponses.openAi(ChatStream.builder(registry.open(resolution, request)).build());
 * }
 * }</pre>
 */
public final class AiStreamResponses {
    /** The model and provider named when the caller names none. */
    public static final String DEFAULT_NAME = "aistream";

    private AiStreamResponses() {}

    /** {@code stream} as the native SSE protocol (what returning the stream itself does). */
    public static AiStreamResponse nativeSse(ChatStream stream) {
        return new AiStreamResponse(AiStreamResponse.Protocol.NATIVE_SSE, stream, DEFAULT_NAME, DEFAULT_NAME);
    }

    /** {@code stream} as OpenAI Chat Completions chunks naming the model {@value #DEFAULT_NAME}. */
    public static AiStreamResponse openAi(ChatStream stream) {
        return openAi(stream, DEFAULT_NAME);
    }

    /** {@code stream} as OpenAI Chat Completions chunks naming {@code model}. */
    public static AiStreamResponse openAi(ChatStream stream, String model) {
        return new AiStreamResponse(AiStreamResponse.Protocol.OPENAI_CHAT, stream, DEFAULT_NAME, model);
    }

    /** {@code stream} as the AI SDK UI message stream, provider and model {@value #DEFAULT_NAME}. */
    public static AiStreamResponse uiMessageStream(ChatStream stream) {
        return uiMessageStream(stream, DEFAULT_NAME, DEFAULT_NAME);
    }

    /** {@code stream} as the AI SDK UI message stream naming {@code provider} and {@code model} in its metadata. */
    public static AiStreamResponse uiMessageStream(ChatStream stream, String provider, String model) {
        return new AiStreamResponse(AiStreamResponse.Protocol.UI_MESSAGE_STREAM, stream, provider, model);
    }

    /**
     * A stream over a Reactive Streams publisher of chunks (a {@code Flux<StreamChunk>}), subscribed
     * when the stream is first read, with bounded demand (a few chunks ahead); aborting or closing the
     * stream cancels the subscription. A publisher that completes without a {@code done} chunk ends the
     * stream with an {@code incomplete_stream} error, one that fails with an {@code error} chunk.
     */
    public static ChatStream fromPublisher(Publisher<? extends StreamChunk> publisher) {
        return ChatStream.builder(new PublisherChunkSource(publisher)).build();
    }
}
