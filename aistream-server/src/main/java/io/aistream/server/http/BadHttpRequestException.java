package io.aistream.server.http;

/**
 * A request the client framed wrongly at the HTTP level, found while the gateway read it: a body
 * that is not valid chunked encoding or ended before its declared length, a query with an invalid
 * {@code %}-escape, a body arriving slower than the minimum rate. Thrown by a binding's
 * {@link HttpRequest} (from {@link HttpRequest#body()}, {@link HttpRequest#queryParameter}, …) and by
 * {@link HttpExchange#upgradeToWebSocket}; the {@link Dispatcher} answers it in the matched route's
 * error shape with {@link #status()} ({@code 400 bad_http_request}, or {@code 408 request_timeout})
 * and logs one debug line: it is the client's error, not the gateway's, so no stack trace and never a 500.
 *
 * <p>Unchecked, so it passes unchanged through code that reads a body or a query parameter; it has
 * no stack trace (it is control flow, not a bug).
 */
public final class BadHttpRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean clientGone;

    /**
     * @param status     400 or 408 (a client error)
     * @param message    what is wrong, for the client: names the part of the request, never internals
     * @param clientGone true when the client already closed its side (nothing may reach it; an answer
     *                   is still tried: a half-closed socket can read one)
     */
    public BadHttpRequestException(int status, String message, boolean clientGone) {
        super(message, null, false, false);
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("a client error status is 4xx: " + status);
        }
        this.status = status;
        this.clientGone = clientGone;
    }

    /** A 400 {@code bad_http_request}. */
    public static BadHttpRequestException malformed(String message) {
        return new BadHttpRequestException(400, message, false);
    }

    /** The answer's status. */
    public int status() {
        return status;
    }

    /** Whether the client already closed its side of the connection. */
    public boolean clientGone() {
        return clientGone;
    }

    /** The error answered: {@code bad_http_request} for 400, {@code request_timeout} for 408, with the message. */
    public ApiError error() {
        String code = status == 408 ? "request_timeout" : "bad_http_request";
        return ApiError.of(status, code, getMessage());
    }
}
