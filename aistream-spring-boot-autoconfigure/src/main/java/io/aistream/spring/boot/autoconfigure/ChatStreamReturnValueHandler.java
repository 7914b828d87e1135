package io.aistream.spring.boot.autoconfigure;

import io.aistream.server.direct.StreamResponses;
import io.aistream.servlet.ServletGateway;
import io.aistream.spring.AiStreamResponse;
import io.aistream.stream.ChatStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.MethodParameter;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Writes a Spring MVC handler method's {@link ChatStream} or {@code Publisher<StreamChunk>} (a
 * {@code Flux}) as the native SSE protocol, and an {@link AiStreamResponse} in its protocol, through
 * {@link ServletGateway#stream} (async mode, a virtual thread; the client going away aborts the stream).
 */
final class ChatStreamReturnValueHandler implements HandlerMethodReturnValueHandler {
    private final StreamResponses responses;

    ChatStreamReturnValueHandler(StreamResponses responses) {
        this.responses = responses;
    }

    @Override
    public boolean supportsReturnType(MethodParameter returnType) {
        return ReturnValues.supports(returnType);
    }

    @Override
    public void handleReturnValue(
            Object returnValue, MethodParameter returnType, ModelAndViewContainer mav, NativeWebRequest webRequest) {
        mav.setRequestHandled(true);
        if (returnValue == null) {
            return;
        }
        AiStreamResponse response = ReturnValues.toResponse(returnValue);
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        HttpServletResponse servletResponse = webRequest.getNativeResponse(HttpServletResponse.class);
        ServletGateway.stream(request, servletResponse, exchange -> response.writeTo(responses, exchange));
    }
}
