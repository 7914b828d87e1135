package io.aistream.server.jetty;

import io.aistream.server.http.ApiError;
import io.aistream.server.http.BufferedResponse;
import io.aistream.server.http.Dispatcher;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors Jetty raises itself (a malformed request line, headers too large, …) in the
 * JSON error shape of the route the path belongs to ({@link Dispatcher#renderError}: OpenAI's under
 * {@code /v1/chat/completions}, the native one where no route claims the path), with the standard
 * reason phrase only: no stack trace, no exception message. Jetty calls it for failures before the
 * gateway's handler runs (400 {@code bad_http_request} for a malformed request line or an invalid
 * {@code %}-escape in the path, 431, 414, …) and when an exchange failed before its response began.
 * A request line Jetty cannot parse at all (an invalid {@code %}-escape) leaves no path to go by and
 * is answered in the native shape. Does not block: the answer is rendered in memory, then written
 * with one non-blocking write.
 */
final class JsonErrorHandler implements Request.Handler {
    private final Dispatcher dispatcher;

    JsonErrorHandler(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public boolean handle(Request request, Response response, Callback jettyCallback) {
        // a request Jetty rejects itself (bad request line, headers too large) has reached its end of headers too
        Callback callback = GatewayHandler.timed(request, jettyCallback);
        int status = response.getStatus() >= 400 ? response.getStatus() : 500;
        String message = HttpStatus.getMessage(status);
        ApiError error = ApiError.of(status, status >= 500 ? "internal" : "bad_http_request", message);
        BufferedResponse answer = dispatcher.renderError(path(request), error);
        byte[] body = answer.bytes();
        response.setStatus(answer.status());
        for (Map.Entry<String, String> h : answer.headers()) {
            response.getHeaders().put(h.getKey(), h.getValue());
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /** The request's path as far as Jetty parsed it (raw: only its prefix picks the shape), or null. */
    private static String path(Request request) {
        try {
            HttpURI uri = request.getHttpURI();
            return uri == null ? null : uri.getPath();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }
}
