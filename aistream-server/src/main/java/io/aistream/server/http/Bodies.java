package io.aistream.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;

/** Reading request bodies within the size limit, and the media type a JSON body must declare. */
final class Bodies {
    private static final int MAX_ECHOED = 100;

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

    /**
     * Checks that the request's {@code Content-Type}, if it has one, is JSON: {@code application/json}
     * or {@code application/<anything>+json}, case-insensitive, with any parameters.
     *
     * @throws ApiError.Failure 415 {@code unsupported_media_type} naming the type it got
     */
    static void requireJson(HttpRequest request) {
        Optional<String> declared = request.header("Content-Type");
        if (declared.isEmpty() || isJson(declared.get())) {
            return;
        }
        String got = declared.get().strip();
        if (got.length() > MAX_ECHOED) {
            got = got.substring(0, MAX_ECHOED) + "…";
        }
        throw ApiError.of(
                        415,
                        "unsupported_media_type",
                        "the body must be JSON: send Content-Type: application/json (got '" + got + "')")
                .failure();
    }

    /** Whether a {@code Content-Type} value names a JSON media type. */
    static boolean isJson(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .strip()
                .toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        if (slash <= 0 || !type.substring(0, slash).equals("application")) {
            return false;
        }
        String subtype = type.substring(slash + 1);
        return subtype.equals("json") || (subtype.endsWith("+json") && subtype.length() > 5 && !subtype.contains("/"));
    }

    private static ApiError.Failure tooLarge(int maxBytes) {
        return ApiError.of(413, "request_too_large", "the request body exceeds the limit of " + maxBytes + " bytes")
                .failure();
    }
}
