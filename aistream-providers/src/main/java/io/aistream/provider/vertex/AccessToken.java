package io.aistream.provider.vertex;

import java.time.Instant;
import java.util.Objects;

/**
 * An OAuth access token and when it stops working. {@link #toString()} never shows the token.
 *
 * @param value     the bearer token
 * @param obtainedAt when it was received (its lifetime starts here)
 * @param expiresAt when the token endpoint said it expires
 */
record AccessToken(String value, Instant obtainedAt, Instant expiresAt) {
    AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(obtainedAt, "obtainedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "AccessToken[(hidden), obtainedAt=" + obtainedAt + ", expiresAt=" + expiresAt + "]";
    }
}
