package io.aistream.provider.anthropic;

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

class AnthropicErrorsTest {
    private static final String KEY = "sk-ant-api03-secret";
    private static final ProviderConfig CONFIG = new ProviderConfig(
            "anthropic", "anthropic", URI.create("https://api.anthropic.com"), Optional.of(KEY), Map.of());
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-08-01T12:00:00Z"), ZoneOffset.UTC);
    private static final AnthropicProtocol PROTOCOL = new AnthropicProtocol(CLOCK);

    private static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (k, v) -> true);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsTypeMessageRequestIdAndRetryAfter() {
        ProviderHttpException e = PROTOCOL.toException(
                529,
                headers(Map.of("request-id", List.of("req_011"), "retry-after", List.of("7"))),
                bytes("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"),
                CONFIG);

        assertThat(e.status()).isEqualTo(529);
        assertThat(e.providerErrorType()).isEqualTo("overloaded_error");
        assertThat(e.getMessage()).contains("Overloaded");
        assertThat(e.requestId()).contains("req_011");
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(e.retryable()).isTrue();
        assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_OVERLOADED.wireName());
        assertThat(e.provider()).isEqualTo("anthropic");
    }

    @Test
    void readsAnHttpDateRetryAfterAndPrefersRetryAfterMs() {
        ProviderHttpException date = PROTOCOL.toException(
                429,
                headers(Map.of("retry-after", List.of("Sat, 01 Aug 2026 12:00:30 GMT"))),
                bytes("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}"),
                CONFIG);
        ProviderHttpException ms = PROTOCOL.toException(
                429,
                headers(Map.of("retry-after", List.of("3"), "retry-after-ms", List.of("1500"))),
                bytes("{}"),
                CONFIG);

        assertThat(date.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(date.code()).isEqualTo(ErrorCode.RATE_LIMITED.wireName());
        assertThat(ms.retryAfter()).contains(Duration.ofMillis(1500));
    }

    @Test
    void takesTheRequestIdFromTheBodyWhenTheHeaderIsMissing() {
        ProviderHttpException e = PROTOCOL.toException(400, headers(Map.of()), bytes("""
                {"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"},"request_id":"req_body"}"""), CONFIG);

        assertThat(e.requestId()).contains("req_body");
        assertThat(e.retryable()).isFalse();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST.wireName());
        assertThat(e.getMessage()).contains("max_tokens: Field required");
    }

    @Test
    void explainsANonJsonBodyTruncatedAndWithoutTheKey() {
        String html = "<html>bad gateway " + KEY + " " + "x".repeat(2000) + "</html>";
        ProviderHttpException e = PROTOCOL.toException(502, headers(Map.of()), bytes(html), CONFIG);

        assertThat(e.providerErrorType()).isEqualTo("provider_error");
        assertThat(e.getMessage()).contains("<html>bad gateway").doesNotContain(KEY);
        assertThat(e.getMessage().length()).isLessThan(ErrorResponses.MAX_BODY_CHARS + 200);
        assertThat(e.retryable()).isTrue();
        assertThat(e.requestId()).isEmpty();
        assertThat(e.retryAfter()).isEmpty();
    }

    @Test
    void explainsAnEmptyBody() {
        ProviderHttpException e = PROTOCOL.toException(503, headers(Map.of()), new byte[0], CONFIG);

        assertThat(e.getMessage()).contains("503", "empty response body");
    }
}
