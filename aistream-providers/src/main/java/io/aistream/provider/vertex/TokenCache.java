package io.aistream.provider.vertex;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One access token shared by every stream of a provider, fetched when first needed and fetched again
 * before it expires: a token is used until {@link #margin} before its expiry (or half its lifetime
 * before, for a token that lives shorter than twice the margin), then the next caller refreshes it.
 *
 * <p><b>One refresh at a time.</b> The first caller that finds no usable token fetches one on its own
 * thread; callers arriving meanwhile wait for that same fetch (no thundering herd) and get its token,
 * or its failure. A failed fetch is not cached: the next caller after it tries again. A token the
 * provider rejected with 401 can be {@linkplain #invalidate dropped}, so the next caller fetches anew.
 *
 * <p><b>Threading.</b> Thread-safe. {@link #token()} blocks while a fetch runs (virtual threads are
 * cheap to block); a waiting caller that is interrupted stops waiting, the fetch goes on for the others.
 * Time is read from the injected {@link Clock}.
 */
final class TokenCache {
    /** How long before its expiry a token is refreshed. */
    static final Duration DEFAULT_MARGIN = Duration.ofMinutes(5);

    /** Fetches a new token; blocks its caller. */
    @FunctionalInterface
    interface Fetcher {
        /**
         * A fresh token.
         *
         * @throws AIStreamException    naming what went wrong (never a credential)
         * @throws InterruptedException if the fetching thread was interrupted
         */
        AccessToken fetch() throws InterruptedException;
    }

    private final Fetcher fetcher;
    private final Clock clock;
    private final Duration margin;
    private final ReentrantLock lock = new ReentrantLock();
    // both guarded by lock
    private AccessToken current;
    private CompletableFuture<AccessToken> inFlight;

    TokenCache(Fetcher fetcher, Clock clock, Duration margin) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.margin = Objects.requireNonNull(margin, "margin");
        if (margin.isNegative()) {
            throw new IllegalArgumentException("margin must not be negative: " + margin);
        }
    }

    /**
     * A usable token: the cached one, or one fetched now (by this caller or by the one already fetching).
     *
     * @throws AIStreamException the fetch's failure ({@code authentication} when the token endpoint
     *                           refused, {@code aborted} when this caller was interrupted while waiting)
     */
    String token() {
        CompletableFuture<AccessToken> flight;
        boolean mine = false;
        lock.lock();
        try {
            if (current != null && usable(current)) {
                return current.value();
            }
            if (inFlight == null) {
                inFlight = new CompletableFuture<>();
                mine = true;
            }
            flight = inFlight;
        } finally {
            lock.unlock();
        }
        if (mine) {
            fetchInto(flight);
        }
        return await(flight).value();
    }

    /**
     * Drops the cached token (the provider answered 401 to a request): the next caller fetches a new
     * one. At worst a token fetched just now is dropped too, which costs one more fetch.
     */
    void invalidate() {
        lock.lock();
        try {
            current = null;
        } finally {
            lock.unlock();
        }
    }

    private void fetchInto(CompletableFuture<AccessToken> flight) {
        AccessToken fetched = null;
        Throwable failure = null;
        try {
            fetched = fetcher.fetch();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new AIStreamException(
                    ErrorCode.ABORTED, "vertex: interrupted while fetching an OAuth access token");
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        lock.lock();
        try {
            inFlight = null;
            if (fetched != null) {
                current = fetched;
            }
        } finally {
            lock.unlock();
        }
        if (fetched != null) {
            flight.complete(fetched);
        } else {
            flight.completeExceptionally(failure);
        }
    }

    private static AccessToken await(CompletableFuture<AccessToken> flight) {
        try {
            return flight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AIStreamException(
                    ErrorCode.ABORTED, "vertex: interrupted while waiting for an OAuth access token");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AIStreamException a) {
                // a new exception per caller (same code, message and retryability), thrown on its own stack
                throw new AIStreamException(a.code(), a.getMessage(), a.retryable(), a);
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new AIStreamException(
                    ErrorCode.AUTHENTICATION,
                    "vertex: fetching an OAuth access token failed ("
                            + cause.getClass().getSimpleName() + ")",
                    cause);
        }
    }

    private boolean usable(AccessToken token) {
        Duration lifetime = Duration.between(token.obtainedAt(), token.expiresAt());
        Duration early = margin.compareTo(lifetime.dividedBy(2)) <= 0 ? margin : lifetime.dividedBy(2);
        Instant refreshAt = token.expiresAt().minus(early);
        return clock.instant().isBefore(refreshAt);
    }
}
