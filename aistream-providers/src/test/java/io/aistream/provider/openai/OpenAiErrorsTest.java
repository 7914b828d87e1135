package io.aistream.provider.openai;

import static io.aistream.provider.openai.OpenAiTestRequests.API_KEY;
import static io.aistream.provider.openai.OpenAiTestRequests.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.aistream.ErrorCode;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiErrorsTest {
    private static final ProviderConfig CONFIG = config("openai", "openai-chat", "https://api.openai.com/v1", Map.of());
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    private static HttpHeaders headers(Map<String, List<String>> values) {
        return HttpHeaders.of(values, (a, b) -> true);
    }

    private static ProviderHttpException read(int status, Map<String, List<String>> headers, String body) {
        return OpenAiErrors.toException(status, headers(headers), body.getBytes(StandardCharsets.UTF_8), CONFIG, NOW);
    }

    @Test
    void openAiErrorJsonGivesTypeMessageRequestIdAndRetryHint() {
        ProviderHttpException e = read(
                429,
                Map.of("x-request-id", List.of("req_123"), "retry-after", List.of("20")),
                "{\"error\":{\"message\":\"Rate limit reached for gpt-4o\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.providerErrorType()).isEqualTo("requests");
        assertThat(e.getMessage()).contains("Rate limit reached for gpt-4o").contains("429");
        assertThat(e.requestId()).contains("req_123");
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(20));
        assertThat(e.retryable()).isTrue();
        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED.wireName());
    }

    @Test
    void retryAfterMsWinsOverRetryAfter() {
        ProviderHttpException e = read(
                503,
                Map.of("retry-after-ms", List.of("1500"), "retry-after", List.of("20")),
                "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");
        assertThat(e.retryAfter()).contains(Duration.ofMillis(1500));
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void retryAfterMayBeAnHttpDate() {
        ProviderHttpException e = read(429, Map.of("retry-after", List.of("Tue, 24 Nov 2026 12:00:30 GMT")), "{}");
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
        ProviderHttpException past = read(429, Map.of("retry-after", List.of("Tue, 24 Nov 2026 11:00:00 GMT")), "{}");
        assertThat(past.retryAfter()).contains(Duration.ZERO);
        assertThat(read(429, Map.of("retry-after", List.of("soon")), "{}").retryAfter())
                .isEmpty();
    }

    @Test
    void errorCodeStandsInForAMissingTypeAndAzureRequestIdIsRead() {
        ProviderHttpException e = read(
                404,
                Map.of("apim-request-id", List.of("a1b2")),
                "{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"The API deployment for this resource does not exist.\"}}");
        assertThat(e.providerErrorType()).isEqualTo("DeploymentNotFound");
        assertThat(e.requestId()).contains("a1b2");
        assertThat(e.retryable()).isFalse();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST.wireName());
    }

    @Test
    void numericOpenRouterCodeFlatVllmAndOllamaStringErrorsAreRead() {
        assertThat(read(402, Map.of(), "{\"error\":{\"code\":402,\"message\":\"Insufficient credits\"}}")
                        .providerErrorType())
                .isEqualTo("402");
        ProviderHttpException vllm = read(
                400,
                Map.of(),
                "{\"object\":\"error\",\"message\":\"max_tokens is too large\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}");
        assertThat(vllm.providerErrorType()).isEqualTo("BadRequestError");
        assertThat(vllm.getMessage()).contains("max_tokens is too large");
        ProviderHttpException ollama = read(404, Map.of(), "{\"error\":\"model 'llama9' not found\"}");
        assertThat(ollama.providerErrorType()).isEqualTo("provider_error");
        assertThat(ollama.getMessage()).contains("model 'llama9' not found");
        ProviderHttpException mistral = read(422, Map.of(), "{\"detail\":[{\"msg\":\"extra fields not permitted\"}]}");
        assertThat(mistral.getMessage()).contains("extra fields not permitted");
    }

    @Test
    void nonJsonBodyGivesATruncatedMessage() {
        ProviderHttpException e = read(502, Map.of(), "<html><body>Bad gateway</body></html>");
        assertThat(e.providerErrorType()).isEqualTo("provider_error");
        assertThat(e.getMessage()).contains("<html><body>Bad gateway</body></html>");
        assertThat(e.retryable()).isTrue();

        ProviderHttpException big = read(500, Map.of(), "x".repeat(10_000));
        assertThat(big.getMessage().length()).isLessThan(700);
        assertThat(read(500, Map.of(), "").getMessage()).contains("(empty body)");
    }

    @Test
    void theApiKeyIsNeverEchoed() {
        ProviderHttpException e = read(
                401,
                Map.of(),
                "{\"error\":{\"message\":\"Incorrect API key provided: " + API_KEY
                        + ".\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
        assertThat(e.getMessage()).doesNotContain(API_KEY).contains("[redacted]");
        assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION.wireName());
    }

    @Test
    void theProtocolsDelegateHere() {
        byte[] body = "{\"error\":{\"message\":\"m\",\"type\":\"t\"}}".getBytes(StandardCharsets.UTF_8);
        assertThat(new OpenAiChatProtocol()
                        .toException(400, headers(Map.of()), body, CONFIG)
                        .providerErrorType())
                .isEqualTo("t");
        assertThat(new io.aistream.provider.openai.responses.OpenAiResponsesProtocol()
                        .toException(400, headers(Map.of()), body, CONFIG)
                        .providerErrorType())
                .isEqualTo("t");
    }
}
