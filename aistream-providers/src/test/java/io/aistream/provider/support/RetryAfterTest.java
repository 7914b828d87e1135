package io.aistream.provider.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Clock NOON = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

    private static Optional<Duration> parse(Map<String, List<String>> headers) {
        return RetryAfter.parse(HttpHeaders.of(headers, (k, v) -> true), NOON);
    }

    @Test
    void millisecondsWinOverSecondsAndDates() {
        assertThat(parse(Map.of("retry-after-ms", List.of("1500"), "retry-after", List.of("20"))))
                .contains(Duration.ofMillis(1500));
        assertThat(parse(Map.of("retry-after-ms", List.of("12.6")))).contains(Duration.ofMillis(13));
    }

    @Test
    void secondsMayBeDecimalAndDatesAreRelativeToTheClock() {
        assertThat(parse(Map.of("Retry-After", List.of("7")))).contains(Duration.ofSeconds(7));
        assertThat(parse(Map.of("retry-after", List.of("1.5")))).contains(Duration.ofMillis(1500));
        assertThat(parse(Map.of("retry-after", List.of("Tue, 24 Nov 2026 12:00:30 GMT"))))
                .contains(Duration.ofSeconds(30));
        assertThat(parse(Map.of("retry-after", List.of("Tue, 24 Nov 2026 11:00:00 GMT"))))
                .contains(Duration.ZERO);
    }

    @Test
    void unusableValuesAreIgnoredAndABadMillisecondsValueFallsThrough() {
        assertThat(parse(Map.of("retry-after", List.of("soon")))).isEmpty();
        assertThat(parse(Map.of("retry-after", List.of("-5")))).isEmpty();
        assertThat(parse(Map.of("retry-after", List.of("NaN")))).isEmpty();
        assertThat(parse(Map.of("retry-after", List.of("99999999999")))).isEmpty();
        assertThat(parse(Map.of("retry-after-ms", List.of("x"), "retry-after", List.of("2"))))
                .contains(Duration.ofSeconds(2));
        assertThat(parse(Map.of())).isEmpty();
    }

    @Test
    void aHintIsCappedAndANegativeOneIsNone() {
        assertThat(RetryAfter.capped(Optional.of(Duration.ofSeconds(90)), Duration.ofSeconds(10)))
                .contains(Duration.ofSeconds(10));
        assertThat(RetryAfter.capped(Optional.of(Duration.ofSeconds(-1)), Duration.ofSeconds(10)))
                .isEmpty();
    }
}
