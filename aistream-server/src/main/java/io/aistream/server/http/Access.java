package io.aistream.server.http;

import java.util.Objects;
import java.util.Optional;

/**
 * Who may call a {@link Route}, checked by the {@link Dispatcher} (the gateway's one authentication
 * step, with its one {@link ApiKeys}) before the route's endpoint runs.
 *
 * @param required     whether a key is needed (when keys are configured); if not, the principal is
 *                     {@link ApiKeys#ANONYMOUS}
 * @param credentials  where the route's callers present their key
 * @param unauthorized the 401 answered without a valid key, written in the route's error shape
 */
public record Access(boolean required, Credentials credentials, ApiError unauthorized) {
    /** The 401 of routes that take only {@code Authorization: Bearer <key>}, in native words. */
    public static final ApiError BEARER_REQUIRED = ApiError.of(
                    401, "unauthorized", "a valid API key is required: Authorization: Bearer <key>")
            .withHeader("WWW-Authenticate", "Bearer");

    /** No key needed. */
    public static final Access OPEN = new Access(false, request -> Optional.empty(), BEARER_REQUIRED);

    /** {@code Authorization: Bearer <key>}, with the native 401. */
    public static final Access BEARER = bearer(BEARER_REQUIRED);

    public Access {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(unauthorized, "unauthorized");
    }

    /** {@code Authorization: Bearer <key>}, answering {@code unauthorized} without a valid one. */
    public static Access bearer(ApiError unauthorized) {
        return new Access(true, ApiKeys::bearerToken, unauthorized);
    }

    /** Where a request presents its key. */
    @FunctionalInterface
    public interface Credentials {
        /**
         * The key the request presents, if any.
         *
         * @throws ApiError.Failure when the way it is presented is itself wrong (answered as it is)
         */
        Optional<String> presented(HttpRequest request);
    }
}
