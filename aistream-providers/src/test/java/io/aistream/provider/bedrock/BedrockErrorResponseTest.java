package io.aistream.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
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

class BedrockErrorResponseTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final ProviderConfig CONFIG = new ProviderConfig(
            "my-bedrock",
            "bedrock",
            URI.create("https://bedrock-runtime.us-east-1.amazonaws.com"),
            Optional.empty(),
            Map.of("region", "us-east-1", "accessKeyId", "AKID", "secretAccessKey", "top-secret-key"));

    private static ProviderHttpException read(int status, Map<String, List<String>> headers, String body) {
        return new BedrockProtocol(CLOCK)
                .toException(
                        status, HttpHeaders.of(headers, (a, b) -> true), body.getBytes(StandardCharsets.UTF_8), CONFIG);
    }

    @Test
    void errorTypeHeaderRequestIdAndRetryAfterSecondsAreRead() {
        ProviderHttpException e = read(
                429,
                Map.of(
                        "x-amzn-errortype",
                                List.of("ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/"),
                        "x-amzn-requestid", List.of("0f1e2d3c-aaaa-bbbb-cccc-1234567890ab"),
                        "retry-after", List.of("7")),
                "{\"message\":\"Too many requests, please wait before trying again.\"}");

        assertThat(e.providerErrorType()).isEqualTo("ThrottlingException");
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.code()).isEqualTo("rate_limited");
        assertThat(e.retryable()).isTrue();
        assertThat(e.requestId()).contains("0f1e2d3c-aaaa-bbbb-cccc-1234567890ab");
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(e.provider()).isEqualTo("my-bedrock");
        assertThat(e.getMessage())
                .contains("Too many requests, please wait before trying again.")
                .doesNotContain("top-secret-key");
    }

    @Test
    void bodyTypeIsTheFallbackAndRetryAfterMayBeAnHttpDateOrMilliseconds() {
        ProviderHttpException dated = read(
                503,
                Map.of("retry-after", List.of("Thu, 02 Jan 2025 03:04:35 GMT")),
                "{\"__type\":\"com.amazon.coral.availability#ServiceUnavailableException\",\"Message\":\"Service busy\"}");
        ProviderHttpException millis =
                read(503, Map.of("retry-after-ms", List.of("1500"), "retry-after", List.of("2")), "{}");

        assertThat(dated.providerErrorType()).isEqualTo("ServiceUnavailableException");
        assertThat(dated.getMessage()).contains("Service busy");
        assertThat(dated.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(millis.retryAfter()).contains(Duration.ofMillis(1500));
        assertThat(millis.providerErrorType()).isEqualTo("provider_error");
    }

    @Test
    void validationErrorIsNotRetryable() {
        ProviderHttpException e = read(
                400,
                Map.of("x-amzn-errortype", List.of("ValidationException")),
                "{\"message\":\"The model returned the following errors: max_tokens must be greater than thinking.budget_tokens\"}");

        assertThat(e.providerErrorType()).isEqualTo("ValidationException");
        assertThat(e.code()).isEqualTo("invalid_request");
        assertThat(e.retryable()).isFalse();
        assertThat(e.retryAfter()).isEmpty();
    }

    @Test
    void nonJsonBodiesGiveAClearTruncatedMessage() {
        ProviderHttpException html = read(502, Map.of(), "<html>" + "x".repeat(5000) + "</html>");
        ProviderHttpException empty = read(500, Map.of(), "");

        assertThat(html.getMessage()).contains("<html>xxx").hasSizeLessThan(700);
        assertThat(html.providerErrorType()).isEqualTo("provider_error");
        assertThat(empty.getMessage()).contains("HTTP 500");
    }
}
