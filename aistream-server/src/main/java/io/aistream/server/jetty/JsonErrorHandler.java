package io.aistream.server.jetty;

import io.aistream.server.http.ApiError;
import io.aistream.server.http.Responses;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors Jetty raises itself (a malformed request line, headers too large, …) in the
 * gateway's JSON error shape, with the standard reason phrase only: no stack trace, no exception
 * message. Jetty calls it for failures before the gateway's handler runs (400 {@code bad_http_request}
 * for a malformed request line or an invalid {@code %}-escape in the path, 431, 414, …) and when an
 * exchange failed before its response began.
 */
final class JsonErrorHandler implements Request.Handler {
    @Override
    public boolean handle(Request request, Response response, Callback jettyCallback) {
        // a request Jetty rejects itself (bad request line, headers too large) has reached its end of headers too
        Callback callback = GatewayHandler.timed(request, jettyCallback);
        int status = response.getStatus() >= 400 ? response.getStatus() : 500;
        String message = HttpStatus.getMessage(status);
        ApiError error = ApiError.of(status, status >= 500 ? "internal" : "bad_http_request", message);
        byte[] body = Responses.JSON.writeValueAsBytes(Responses.errorBody(error));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Responses.JSON_TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }
}
