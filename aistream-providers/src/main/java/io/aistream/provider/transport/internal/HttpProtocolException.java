package io.aistream.provider.transport.internal;

import java.io.IOException;

/**
 * The server broke HTTP/1.1: a malformed status line, header or chunk size, or a response head over
 * its limit. Never a reason to retry on another connection: the server did answer.
 */
final class HttpProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    HttpProtocolException(String message) {
        super(message);
    }
}
