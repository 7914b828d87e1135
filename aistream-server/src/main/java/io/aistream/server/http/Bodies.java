package io.aistream.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reading request bodies within the size limit. */
final class Bodies {
    private Bodies() {}

    /**
     * The whole body, blocking.
     *
     * @throws ApiError.Failure 413 if it is longer than {@code maxBytes} (checked against
     *                          {@code Content-Length} before reading, and while reading)
     */
    static byte[] read(HttpRequest request, int maxBytes) throws IOException {
        long declared = request.contentLength();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
        byte[] buf = new byte[8192];
        try (InputStream in = request.body()) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                if (body.size() + n > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                body.write(buf, 0, n);
            }
        }
        return body.toByteArray();
    }

    private static ApiError.Failure tooLarge(int maxBytes) {
        return ApiError.of(413, "request_too_large", "the request body exceeds the limit of " + maxBytes + " bytes")
                .failure();
    }
}
