package io.aistream.server.streams;

import java.security.SecureRandom;
import java.util.Base64;

/** New stream ids: {@code st_} and 16 URL-safe characters of 96 random bits, unguessable. Thread-safe. */
final class StreamIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private StreamIds() {}

    static String next() {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        return "st_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
