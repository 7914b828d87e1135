package io.aistream.provider.support;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The one reader of a provider's retry hint, used by every provider's error reading; and the one
 * place the transport caps it. Stateless.
 *
 * <p>{@code retry-after-ms} (milliseconds, the OpenAI SDKs' convention) wins; else
 * {@code Retry-After} as (decimal) seconds or as an HTTP date, relative to the clock, a past date
 * meaning "now". Negative, non-finite, absurd (≥ 10<sup>9</sup> s) or unparseable values are ignored,
 * an unusable {@code retry-after-ms} falling through to {@code Retry-After}.
 */
public final class RetryAfter {
    private static final double MAX_SECONDS = 1e9;

    private RetryAfter() {}

    /** The hint, with HTTP dates read against the system clock. */
    public static Optional<Duration> parse(HttpHeaders headers) {
        return parse(headers, Clock.systemUTC());
    }

    /** The hint, with HTTP dates read against {@code clock}. */
    public static Optional<Duration> parse(HttpHeaders headers, Clock clock) {
        Optional<Duration> ms =
                ErrorResponses.firstHeader(headers, "retry-after-ms").flatMap(v -> amount(v, 1));
        if (ms.isPresent()) {
            return ms;
        }
        return ErrorResponses.firstHeader(headers, "retry-after")
                .flatMap(v -> amount(v, 1000).or(() -> httpDate(v, clock)));
    }

    /** {@code hint} cut to {@code max}; a negative hint is none. */
    public static Optional<Duration> capped(Optional<Duration> hint, Duration max) {
        return hint.filter(h -> !h.isNegative()).map(h -> h.compareTo(max) > 0 ? max : h);
    }

    /** A non-negative decimal number of units of {@code unitMillis} ms. */
    private static Optional<Duration> amount(String value, long unitMillis) {
        try {
            double amount = Double.parseDouble(value);
            if (amount >= 0 && amount * unitMillis < MAX_SECONDS * 1000) {
                return Optional.of(Duration.ofMillis(Math.round(amount * unitMillis)));
            }
        } catch (NumberFormatException e) {
            // not a number: maybe a date
        }
        return Optional.empty();
    }

    private static Optional<Duration> httpDate(String value, Clock clock) {
        try {
            ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(clock.instant(), at.toInstant());
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
