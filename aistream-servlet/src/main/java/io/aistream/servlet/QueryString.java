package io.aistream.servlet;

import io.aistream.server.http.BadHttpRequestException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The raw query string's parameters, decoded strictly: an invalid {@code %}-escape or bytes that are
 * not UTF-8 are the client's 400, as on the Jetty gateway. Parsed here rather than with
 * {@code getParameter}, which would read a form body and silently drop what it cannot decode.
 */
final class QueryString {
    private QueryString() {}

    /** The first value of {@code name} in {@code query} (null or empty: none). */
    static Optional<String> first(String query, String name) {
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals(name)) {
                return Optional.of(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return Optional.empty();
    }

    /** Decodes one key or value; every part of the query is checked as it is reached. */
    static String decode(String text) {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()
                        || RequestPath.hex(text.charAt(i + 1)) < 0
                        || RequestPath.hex(text.charAt(i + 2)) < 0) {
                    throw invalid();
                }
                bytes.write(RequestPath.hex(text.charAt(i + 1)) * 16 + RequestPath.hex(text.charAt(i + 2)));
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid();
        }
    }

    private static BadHttpRequestException invalid() {
        return BadHttpRequestException.malformed(
                "the query string cannot be decoded (an invalid %-escape, or not UTF-8)");
    }
}
