package io.aistream.provider.transport;

import io.aistream.stream.TimeSource;
import io.aistream.stream.Timeouts;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link ProviderStreams} runs a stream. Immutable; start from {@link #defaults()} and change
 * what you need with the {@code with...} methods.
 *
 * <pre>{@code
 * StreamOptions options = StreamOptions.defaults()
 *         .withRetry(RetryPolicy.defaults().withMaxAttempts(4))
 *         .withRecovery(RecoveryPolicy.continueUpTo(2))
 *         .withTimeouts(Timeouts.none().withFirstChunk(Duration.ofSeconds(30)).withIdleBetweenChunks(Duration.ofSeconds(20)));
 * }</pre>
 *
 * @param retry    retries per target before its first output
 * @param recovery what to do when a failure comes after output has begun
 * @param timeouts first-chunk and idle limits apply to each attempt (a first-chunk timeout is a
 *                 retryable failure like any other); the total limit applies to the whole stream,
 *                 retries and fallbacks included. The connect timeout belongs to the client.
 * @param time     the clock and scheduler for backoff waits and timeouts
 * @param client   the HTTP transport
 * @param observer hears retries, fallbacks and continuations (for metrics)
 */
public record StreamOptions(
        RetryPolicy retry,
        RecoveryPolicy recovery,
        Timeouts timeouts,
        TimeSource time,
        UpstreamClient client,
        AttemptObserver observer) {

    /** First chunk within 2 minutes, then at most 2 minutes between chunks; no total limit. */
    public static final Timeouts DEFAULT_TIMEOUTS =
            Timeouts.none().withFirstChunk(Duration.ofMinutes(2)).withIdleBetweenChunks(Duration.ofMinutes(2));

    public StreamOptions {
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(recovery, "recovery");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(observer, "observer");
    }

    /**
     * {@link RetryPolicy#defaults()}, {@link RecoveryPolicy#fail()}, {@link #DEFAULT_TIMEOUTS}, the
     * system clock, {@link UpstreamClient#shared()} and no observer.
     */
    public static StreamOptions defaults() {
        return new StreamOptions(
                RetryPolicy.defaults(),
                RecoveryPolicy.fail(),
                DEFAULT_TIMEOUTS,
                TimeSource.system(),
                UpstreamClient.shared(),
                AttemptObserver.NONE);
    }

    /** These options with another retry policy. */
    public StreamOptions withRetry(RetryPolicy policy) {
        return new StreamOptions(policy, recovery, timeouts, time, client, observer);
    }

    /** These options with another recovery policy. */
    public StreamOptions withRecovery(RecoveryPolicy policy) {
        return new StreamOptions(retry, policy, timeouts, time, client, observer);
    }

    /** These options with other time limits. */
    public StreamOptions withTimeouts(Timeouts limits) {
        return new StreamOptions(retry, recovery, limits, time, client, observer);
    }

    /** These options measuring time on {@code source} (e.g. a virtual clock, in tests). */
    public StreamOptions withTime(TimeSource source) {
        return new StreamOptions(retry, recovery, timeouts, source, client, observer);
    }

    /** These options sending through {@code upstream}. */
    public StreamOptions withClient(UpstreamClient upstream) {
        return new StreamOptions(retry, recovery, timeouts, time, upstream, observer);
    }

    /** These options reporting retries, fallbacks and continuations to {@code listener}. */
    public StreamOptions withObserver(AttemptObserver listener) {
        return new StreamOptions(retry, recovery, timeouts, time, client, listener);
    }

    /** These options sending through {@code http} (with default client settings otherwise). */
    public StreamOptions withHttpClient(HttpClient http) {
        return withClient(UpstreamClient.using(http));
    }

    /** The per-attempt part of the limits: first chunk and idle. */
    Timeouts attemptTimeouts() {
        Timeouts t = Timeouts.none();
        if (timeouts.firstChunk().isPresent()) {
            t = t.withFirstChunk(timeouts.firstChunk().get());
        }
        if (timeouts.idleBetweenChunks().isPresent()) {
            t = t.withIdleBetweenChunks(timeouts.idleBetweenChunks().get());
        }
        return t;
    }

    /** The whole-stream part of the limits: total. */
    Timeouts streamTimeouts() {
        return timeouts.total().map(Timeouts.none()::withTotal).orElse(Timeouts.none());
    }
}
