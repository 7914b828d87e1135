package io.aistream.spring.boot.autoconfigure;

import io.aistream.chunk.StreamChunk;
import io.aistream.spring.AiStreamResponse;
import io.aistream.spring.AiStreamResponses;
import io.aistream.stream.ChatStream;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;

/** The controller return values aistream writes, shared by the MVC and WebFlux handlers (neither stack's types). */
final class ReturnValues {
    private static final String PUBLISHER = "org.reactivestreams.Publisher";

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
        ResolvableType type = ResolvableType.forMethodParameter(returnType);
        for (ResolvableType t = type; t != ResolvableType.NONE; t = t.getSuperType()) {
            for (ResolvableType i : t.getInterfaces()) {
                if (i.getRawClass() != null && i.getRawClass().getName().equals(PUBLISHER)) {
                    Class<?> element = i.getGeneric(0).resolve();
                    return element != null && StreamChunk.class.isAssignableFrom(element);
                }
            }
            if (t.getRawClass() != null && t.getRawClass().getName().equals(PUBLISHER)) {
                Class<?> element = t.getGeneric(0).resolve();
                return element != null && StreamChunk.class.isAssignableFrom(element);
            }
        }
        return false;
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
        return AiStreamResponses.nativeSse(
                AiStreamResponses.fromPublisher((org.reactivestreams.Publisher<? extends StreamChunk>) value));
    }
}
