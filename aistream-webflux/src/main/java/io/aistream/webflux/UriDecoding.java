package io.aistream.webflux;

import io.aistream.server.http.BadHttpRequestException;
import io.aistream.server.http.Route;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.server.PathContainer;

/**
 * Strict percent-decoding of a request's path and query, as the gateway's protocols expect them
 * ({@link io.aistream.server.http.HttpRequest#path()}, {@link io.aistream.server.http.HttpRequest#queryParameter}).
 * Stateless.
 */
final class UriDecoding {
    private UriDecoding() {}

    /**
     * The decoded path of {@code path}'s elements: each segment decoded on its own, a {@code %2F} inside
     * a segment kept as {@link Route#ENCODED_SLASH} (never a separator).
     *
     * @throws BadHttpRequestException for an invalid {@code %}-escape or bytes that are not UTF-8
     */
    static String path(PathContainer path) {
        StringBuilder decoded = new StringBuilder();
        for (PathContainer.Element element : path.elements()) {
            if (element instanceof PathContainer.PathSegment segment) {
                String raw = segment.value();
                int start = 0;
                for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
                    if (i + 2 < raw.length() && raw.charAt(i + 1) == '2' && (raw.charAt(i + 2) | 0x20) == 'f') {
                        decoded.append(decode(raw.substring(start, i), false, "path"));
                        decoded.append(Route.ENCODED_SLASH);
                        start = i + 3;
                    }
                }
                decoded.append(decode(raw.substring(start), false, "path"));
            } else {
                decoded.append(element.value());
            }
        }
        return decoded.isEmpty() ? "/" : decoded.toString();
    }

    /**
     * The parameters of a raw query string ({@code null} for none), each name's values in order;
     * {@code +} is a space, as in a form.
     *
     * @throws BadHttpRequestException for an invalid {@code %}-escape or bytes that are not UTF-8
     */
    static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true, "query string");
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true, "query string");
            parameters.computeIfAbsent(name, n -> new java.util.ArrayList<>(1)).add(value);
        }
        return parameters;
    }

    private static String decode(String raw, boolean plusIsSpace, String part) {
        if (raw.indexOf('%') < 0 && !(plusIsSpace && raw.indexOf('+') >= 0)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw invalid(part);
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
                    utf8 = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(utf8);
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
            throw invalid(part);
        }
    }

    private static BadHttpRequestException invalid(String part) {
        return BadHttpRequestException.malformed(
                "the " + part + " cannot be decoded (an invalid %-escape, or not UTF-8)");
    }
}
