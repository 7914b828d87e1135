package io.aistream.provider.support;

import io.aistream.provider.spi.ProviderConfig;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Header and body helpers for reading an HTTP error response (the retry hint is {@link RetryAfter}'s;
 * text for clients goes through {@link UpstreamText}, which masks credentials). Stateless.
 */
public final class ErrorResponses {
    /** Longest body excerpt put into an exception message ({@link UpstreamText#MAX_EXCERPT_CHARS}). */
    public static final int MAX_BODY_CHARS = UpstreamText.MAX_EXCERPT_CHARS;

    private ErrorResponses() {}

    /** The first present header of {@code names}, if any. */
    public static Optional<String> firstHeader(HttpHeaders headers, String... names) {
        for (String name : names) {
            Optional<String> value = headers.firstValue(name).map(String::strip).filter(v -> !v.isEmpty());
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /** The body's JSON, or a missing node when it is not JSON (a proxy's HTML page, a cut body). */
    public static JsonNode json(byte[] body) {
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            return root == null ? Json.MAPPER.missingNode() : root;
        } catch (JacksonException e) {
            return Json.MAPPER.missingNode();
        }
    }

    /**
     * The message of an error response: the provider's {@code reported} one, sanitized; without
     * one, "empty response body" or the {@linkplain #bodyExcerpt body excerpt}.
     */
    public static String message(String reported, byte[] body, ProviderConfig config) {
        if (reported != null) {
            return UpstreamText.excerpt(reported, config);
        }
        return body.length == 0 ? "empty response body" : bodyExcerpt(body, config);
    }

    /** {@code text} as a client may see it: {@link UpstreamText#excerpt(String)} (at most {@link #MAX_BODY_CHARS}). */
    public static String truncate(String text) {
        return UpstreamText.excerpt(text);
    }

    /** The body as text for a message: decoded as UTF-8, then {@link UpstreamText#excerpt(String, ProviderConfig)}. */
    public static String bodyExcerpt(byte[] body, ProviderConfig config) {
        return UpstreamText.excerpt(new String(body, StandardCharsets.UTF_8), config);
    }
}
