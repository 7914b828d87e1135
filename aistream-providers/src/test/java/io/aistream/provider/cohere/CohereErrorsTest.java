package io.aistream.provider.cohere;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.ErrorCode;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.support.ErrorResponses;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CohereErrorsTest {
    private static final String KEY = "co-live-secret";
    private static final ProviderConfig CONFIG =
            new ProviderConfig("cohere", "cohere", URI.create("https://api.cohere.com"), Optional.of(KEY), Map.of());
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-08-01T12:00:00Z"), ZoneOffset.UTC);
    private static final CohereProtocol PROTOCOL = new CohereProtocol(CLOCK);

    private static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (k, v) -> true);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsTheMessageRequestIdAndRetryAfter() {
        ProviderHttpException e = PROTOCOL.toException(
                429,
                headers(Map.of(
                        "x-request-id", List.of("req-7"), "retry-after", List.of("Sat, 01 Aug 2026 12:00:05 GMT"))),
                bytes(
                        "{\"id\":\"abc\",\"message\":\"You are using a Trial key, which is limited to 10 API calls / minute.\"}"),
                CONFIG);

        assertThat(e.status()).isEqualTo(429);
        assertThat(e.providerErrorType()).isEqualTo("provider_error");
        assertThat(e.getMessage()).contains("Trial key");
        assertThat(e.requestId()).contains("req-7");
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(5));
        assertThat(e.retryable()).isTrue();
        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED.wireName());
        assertThat(e.provider()).isEqualTo("cohere");
    }

    @Test
    void treatsABadRequestAsNotRetryable() {
        ProviderHttpException e = PROTOCOL.toException(
                400, headers(Map.of()), bytes("{\"message\":\"invalid request: model 'x' not found\"}"), CONFIG);

        assertThat(e.retryable()).isFalse();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST.wireName());
        assertThat(e.getMessage()).contains("model 'x' not found");
    }

    @Test
    void explainsANonJsonBodyTruncatedAndWithoutTheKey() {
        String text = "upstream connect error " + KEY + " " + "z".repeat(3000);
        ProviderHttpException e =
                PROTOCOL.toException(503, headers(Map.of("retry-after-ms", List.of("250"))), bytes(text), CONFIG);

        assertThat(e.getMessage()).contains("upstream connect error").doesNotContain(KEY);
        assertThat(e.getMessage().length()).isLessThan(ErrorResponses.MAX_BODY_CHARS + 200);
        assertThat(e.retryAfter()).contains(Duration.ofMillis(250));
        assertThat(e.retryable()).isTrue();
    }
}
