package io.aistream.spring.boot.autoconfigure;

import io.aistream.chunk.StreamChunk;
import io.aistream.spring.AiStreamResponse;
import io.aistream.spring.AiStreamResponses;
import io.aistream.stream.ChatStream;
import org.reactivestreams.Publisher;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;

/** The controller return values aistream writes, shared by the MVC and WebFlux handlers (neither stack's types). */
final class ReturnValues {
    private ReturnValues() {}

    /** Whether a handler method's return type is one aistream writes. */
    static boolean supports(MethodParameter returnType) {
        Class<?> type = returnType.getParameterType();
        return ChatStream.class.isAssignableFrom(type)
                || AiStreamResponse.class.isAssignableFrom(type)
                || isChunkPublisher(returnType);
    }

    /** Whether the return type is a {@code Publisher} of {@code StreamChunk}s (a {@code Flux<StreamChunk>}, say). */
    static boolean isChunkPublisher(MethodParameter returnType) {
        ResolvableType publisher = ResolvableType.forMethodParameter(returnType).as(Publisher.class);
        if (publisher == ResolvableType.NONE) {
            return false;
        }
        Class<?> element = publisher.getGeneric(0).resolve();
        return element != null && StreamChunk.class.isAssignableFrom(element);
    }

    /**
     * Whether the return type is a {@code Publisher} (a {@code Mono}) of a {@link ChatStream} or an
     * {@link AiStreamResponse}: a stream the controller builds asynchronously (WebFlux; Spring MVC
     * resolves such a {@code Mono} itself and hands its value back).
     */
    static boolean isDeferredStream(MethodParameter returnType) {
        ResolvableType publisher = ResolvableType.forMethodParameter(returnType).as(Publisher.class);
        if (publisher == ResolvableType.NONE) {
            return false;
        }
        Class<?> element = publisher.getGeneric(0).resolve();
        return element != null
                && (ChatStream.class.isAssignableFrom(element) || AiStreamResponse.class.isAssignableFrom(element));
    }

    /** The return value as a response: a stream or a publisher as native SSE. */
    @SuppressWarnings("unchecked")
    static AiStreamResponse toResponse(Object value) {
        if (value instanceof AiStreamResponse r) {
            return r;
        }
        if (value instanceof ChatStream s) {
            return AiStreamResponses.nativeSse(s);
        }
        return AiStreamResponses.nativeSse(AiStreamResponses.fromPublisher((Publisher<? extends StreamChunk>) value));
    }
}
