package io.aistream.spring.boot.autoconfigure;

import io.aistream.server.direct.StreamResponses;
import io.aistream.spring.AiStreamResponse;
import io.aistream.stream.ChatStream;
import io.aistream.webflux.WebFluxGateway;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.HandlerResult;
import org.springframework.web.reactive.HandlerResultHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Writes a WebFlux handler method's {@link ChatStream} or {@code Publisher<StreamChunk>} (a
 * {@code Flux}) as the native SSE protocol, and an {@link AiStreamResponse} in its protocol (each also
 * when it comes as a {@code Mono}: its value is written once it arrives), through
 * {@link WebFluxGateway#stream} (a virtual thread; the client going away aborts the stream). Ordered
 * before Spring's {@code ResponseBodyResultHandler} (order 100), which would otherwise take the
 * {@code Flux}.
 */
public final class ChatStreamResultHandler implements HandlerResultHandler, Ordered {
    /** Before Spring's own result handlers. */
    public static final int ORDER = 0;

    private final StreamResponses responses;

    /** @param responses how streams are written (keep-alive interval, retry hint) */
    public ChatStreamResultHandler(StreamResponses responses) {
        this.responses = responses;
    }

    @Override
    public boolean supports(HandlerResult result) {
        return ReturnValues.supports(result.getReturnTypeSource())
                || ReturnValues.isDeferredStream(result.getReturnTypeSource());
    }

    @Override
    public Mono<Void> handleResult(ServerWebExchange exchange, HandlerResult result) {
        Object value = result.getReturnValue();
        if (value == null) {
            return Mono.empty();
        }
        if (ReturnValues.isDeferredStream(result.getReturnTypeSource())) {
            return Mono.from((Publisher<?>) value).flatMap(stream -> write(exchange, stream));
        }
        return write(exchange, value);
    }

    private Mono<Void> write(ServerWebExchange exchange, Object value) {
        AiStreamResponse response = ReturnValues.toResponse(value);
        return WebFluxGateway.stream(exchange, ex -> response.writeTo(responses, ex));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
