package io.aistream.server.http;

import java.io.IOException;

/**
 * Writes a route's errors in its protocol's JSON shape: native {@code {"error":{"code","message","field"}}}
 * ({@link #NATIVE}), OpenAI's {@code {"error":{"message","type","param","code"}}}, … The
 * {@link Dispatcher} calls it for every failure of a route's exchange before the response began:
 * {@link ApiError}s of shared code (body limit, stream limits, authentication) and the protocol's
 * own error carriers. Stateless and thread-safe.
 */
public interface ErrorWriter {
    /** The gateway's native shape; also the shape of answers no route matched (404, 405, 403). */
    ErrorWriter NATIVE = Responses::error;

    /** Writes {@code error} as the whole response. */
    void write(HttpResponse response, ApiError error) throws IOException;

    /**
     * Writes {@code failure} as the whole response if it is one of this protocol's own error carriers.
     *
     * @return false when it is not one (the dispatcher then answers a 500)
     */
    default boolean writeOwn(HttpResponse response, RuntimeException failure) throws IOException {
        return false;
    }
}
