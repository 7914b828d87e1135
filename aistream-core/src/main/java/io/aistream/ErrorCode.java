package io.aistream;

import java.util.Optional;

/**
 * Every error code aistream itself puts in an {@code error} chunk or exception, in one place.
 *
 * <p>Providers may report further codes of their own; {@link io.aistream.chunk.ChunkError#code()} is
 * therefore an open string, and {@link #fromWire(String)} is empty for codes not listed here.
 */
public enum ErrorCode {
    /** A {@code buffer} backpressure strategy's bounded read-ahead overflowed. */
    BUFFER_OVERFLOW("buffer_overflow", false),
    /** The upstream stream ended without its terminal signal. */
    INCOMPLETE_STREAM("incomplete_stream", true),
    /** An upstream event could not be parsed. */
    MALFORMED_EVENT("malformed_event", false),
    /** A line or event exceeded the configured size limit. */
    EVENT_TOO_LARGE("event_too_large", false),
    /** No chunk arrived within the first-chunk timeout. */
    FIRST_CHUNK_TIMEOUT("first_chunk_timeout", true),
    /** No chunk arrived within the idle timeout since the previous one. */
    IDLE_TIMEOUT("idle_timeout", true),
    /** The stream exceeded its total time budget. */
    TOTAL_TIMEOUT("total_timeout", true),
    /** The upstream is overloaded (e.g. HTTP 529, provider "overloaded" events). */
    UPSTREAM_OVERLOADED("upstream_overloaded", true),
    /** The upstream rate-limited us (HTTP 429). */
    RATE_LIMITED("rate_limited", true),
    /** The upstream connection failed or was cut. */
    UPSTREAM_CONNECTION("upstream_connection", true),
    /** The upstream reported an error we have no more specific code for. */
    UPSTREAM_ERROR("upstream_error", false),
    /** The request was rejected as invalid. */
    INVALID_REQUEST("invalid_request", false),
    /** Authentication with the upstream failed. */
    AUTHENTICATION("authentication", false),
    /** A tool call's accumulated arguments are not valid JSON. */
    INVALID_TOOL_ARGUMENTS("invalid_tool_arguments", false),
    /** The chunk source threw an exception aistream did not expect. */
    SOURCE_FAILURE("source_failure", false),
    /** The stream was aborted. */
    ABORTED("aborted", false),
    /** An error that fits no other code. */
    INTERNAL("internal", false);

    private final String wireName;
    private final boolean retryableByDefault;

    ErrorCode(String wireName, boolean retryableByDefault) {
        this.wireName = wireName;
        this.retryableByDefault = retryableByDefault;
    }

    /** The code as it appears in JSON. */
    public String wireName() {
        return wireName;
    }

    /** Whether an error of this code is worth retrying unless the reporter says otherwise. */
    public boolean retryableByDefault() {
        return retryableByDefault;
    }

    /** The listed code with this wire name, if any. */
    public static Optional<ErrorCode> fromWire(String wireName) {
        for (ErrorCode c : values()) {
            if (c.wireName.equals(wireName)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
