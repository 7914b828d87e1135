package io.aistream.provider.support;

import io.aistream.provider.spi.ProviderConfig;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Header and body helpers for reading an HTTP error response. Stateless. */
public final class ErrorResponses {
    /** Longest body excerpt put into an exception message. */
    public static final int MAX_BODY_CHARS = 500;

    private ErrorResponses() {
    }

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

    /**
     * The retry hint: {@code retry-after-ms} (milliseconds), else {@code Retry-After} as seconds or as
     * an HTTP date (relative to {@code clock}; a past date means "now"). Unparseable values are ignored.
     */
    public static Optional<Duration> retryAfter(HttpHeaders headers, Clock clock) {
        Optional<String> ms = firstHeader(headers, "retry-after-ms");
        if (ms.isPresent()) {
            try {
                double millis = Double.parseDouble(ms.get());
                if (millis >= 0 && Double.isFinite(millis)) {
                    return Optional.of(Duration.ofMillis((long) millis));
                }
            } catch (NumberFormatException e) {
                // fall through to Retry-After
            }
        }
        Optional<String> value = firstHeader(headers, "retry-after");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String v = value.get();
        try {
            double seconds = Double.parseDouble(v);
            return seconds >= 0 && Double.isFinite(seconds)
                    ? Optional.of(Duration.ofMillis((long) (seconds * 1000)))
                    : Optional.empty();
        } catch (NumberFormatException e) {
            // an HTTP date, maybe
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(clock.instant(), at.toInstant());
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The retry hint read strictly: {@code retry-after-ms} (milliseconds, rounded; below 10<sup>12</sup>),
     * else {@code Retry-After} as whole seconds (at most nine digits) or as an HTTP date (relative to
     * the system clock; a past date means "now"). Other values are ignored.
     */
    public static Optional<Duration> retryAfterWholeSeconds(HttpHeaders headers) {
        Optional<String> ms = headers.firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                double millis = Double.parseDouble(ms.get().strip());
                if (millis >= 0 && millis < 1e12) {
                    return Optional.of(Duration.ofMillis(Math.round(millis)));
                }
            } catch (NumberFormatException e) {
                // fall through to Retry-After
            }
        }
        Optional<String> header = headers.firstValue("retry-after").map(String::strip);
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get();
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
            return value.length() > 9 ? Optional.empty() : Optional.of(Duration.ofSeconds(Long.parseLong(value)));
        }
        try {
            ZonedDateTime when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(ZonedDateTime.now(when.getZone()), when);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
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
     * The message of an error response: the provider's {@code reported} one with credentials
     * removed; without one, "empty response body" or the {@linkplain #bodyExcerpt body excerpt}.
     */
    public static String message(String reported, byte[] body, ProviderConfig config) {
        if (reported != null) {
            return redact(reported, config);
        }
        return body.length == 0 ? "empty response body" : bodyExcerpt(body, config);
    }

    /** {@code text} cut to {@link #MAX_BODY_CHARS} characters, with an ellipsis when cut. */
    public static String truncate(String text) {
        return text.length() > MAX_BODY_CHARS ? text.substring(0, MAX_BODY_CHARS) + "…" : text;
    }

    /** The body as text for a message: decoded as UTF-8, stripped, truncated, credentials removed. */
    public static String bodyExcerpt(byte[] body, ProviderConfig config) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.length() > MAX_BODY_CHARS) {
            text = text.substring(0, MAX_BODY_CHARS) + "… (" + body.length + " bytes)";
        }
        return redact(text, config);
    }

    /** {@code text} with any occurrence of the configured API key replaced. */
    public static String redact(String text, ProviderConfig config) {
        String key = config.apiKey().orElse("");
        return key.isEmpty() ? text : text.replace(key, "[redacted]");
    }
}
