package io.aistream.provider.spi;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The upstream answered with an HTTP error before any stream began.
 *
 * <p>Carries the status, the provider's own error type and message, the provider's request id
 * header where it sends one, and any retry hint ({@code Retry-After}, {@code retry-after-ms}).
 * {@link #retryable()} is true for 408, 409, 429, 5xx and provider "overloaded" errors.
 */
public class ProviderHttpException extends AIStreamException {
    private static final long serialVersionUID = 1L;

    private final String provider;
    private final int status;
    private final String providerErrorType;
    private final String requestId;
    private final transient Duration retryAfter;

    public ProviderHttpException(
            String provider,
            int status,
            String providerErrorType,
            String message,
            Optional<String> requestId,
            Optional<Duration> retryAfter) {
        super(
                codeFor(status, providerErrorType).wireName(),
                provider + " returned HTTP " + status + " (" + providerErrorType + "): " + message,
                isRetryable(status, providerErrorType),
                null);
        this.provider = provider;
        this.status = status;
        this.providerErrorType = providerErrorType;
        this.requestId = requestId.orElse(null);
        this.retryAfter = retryAfter.orElse(null);
    }

    /** Whether a status (and provider error type) is worth retrying. */
    public static boolean isRetryable(int status, String providerErrorType) {
        return status == 408
                || status == 409
                || status == 429
                || status >= 500
                || providerErrorType.toLowerCase(java.util.Locale.ROOT).contains("overloaded");
    }

    private static ErrorCode codeFor(int status, String type) {
        if (status == 429) {
            return ErrorCode.RATE_LIMITED;
        }
        if (status == 529 || type.toLowerCase(java.util.Locale.ROOT).contains("overloaded")) {
            return ErrorCode.UPSTREAM_OVERLOADED;
        }
        if (status == 401 || status == 403) {
            return ErrorCode.AUTHENTICATION;
        }
        if (status == 400 || status == 404 || status == 422) {
            return ErrorCode.INVALID_REQUEST;
        }
        return ErrorCode.UPSTREAM_ERROR;
    }

    public String provider() {
        return provider;
    }

    public int status() {
        return status;
    }

    /** The provider's own error type, e.g. {@code overloaded_error}; {@code provider_error} if it gave none. */
    public String providerErrorType() {
        return providerErrorType;
    }

    /** The provider's request id header (e.g. {@code x-request-id}, {@code request-id}), if sent. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** How long the provider asked us to wait before retrying, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The status as an OptionalInt, for error chunks. */
    public OptionalInt statusCode() {
        return OptionalInt.of(status);
    }
}
