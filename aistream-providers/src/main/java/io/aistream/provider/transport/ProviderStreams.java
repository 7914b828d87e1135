package io.aistream.provider.transport;

import io.aistream.request.ChatRequest;
import io.aistream.stream.ChatStream;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.ChunkSources;
import io.aistream.stream.StreamManager;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Streams a request through a chain of targets with retries, fallback, timeouts and recovery.
 *
 * <p><b>What the consumer sees.</b> One stream, ending with exactly one {@code done}:
 * <ol>
 *   <li>Each target is tried up to {@link RetryPolicy#maxAttempts()} times while it fails
 *       <em>before any output</em> (content, reasoning or tool call) with a retryable failure —
 *       connect errors, HTTP 408/409/429/5xx, "overloaded", a retryable {@code error} chunk, a
 *       first-chunk timeout, an early end — waiting the backoff (or the provider's retry hint)
 *       in between on the options' {@link io.aistream.stream.TimeSource}. Such failures are never
 *       shown to the consumer.</li>
 *   <li>When a target has failed before output (after its retries, or at once for a
 *       non-retryable failure such as a 401), the next target in the chain runs. When the last
 *       one fails, the stream ends with an {@code error} chunk (code, status and provider of the
 *       last failure; the message lists every attempt as {@code provider: HTTP status code}) and
 *       {@code done(error)}.</li>
 *   <li>After output has begun, a failure ends the stream with its error chunk and
 *       {@code done(error)} carrying the usage so far — unless the {@link RecoveryPolicy} says
 *       {@code CONTINUE}, in which case the answer is continued (see there); reasoning from a
 *       continuation attempt is not shown again, and {@code done} is marked recovered.</li>
 * </ol>
 * Usage on {@code done} is summed over the attempts that reported it; provider and model are
 * those of the attempt that ended the stream.
 *
 * <p><b>Threading and ownership.</b> The returned source is read like any {@link ChunkSource}
 * (one thread at a time; blocking; nothing read before it is asked for) and owned by the caller,
 * or by the {@link ChatStream} built over it. Cancelling it — directly, by closing or aborting the
 * stream, or through a {@link StreamManager} — aborts the HTTP exchange in flight and any backoff
 * wait at once.
 */
public final class ProviderStreams {
    private ProviderStreams() {}

    /**
     * A source streaming {@code request} through {@code chain}.
     *
     * @param chain   the targets, in order of preference; at least one
     * @param request the request; each target sets its own model
     * @param options retry, recovery, timeouts, clock and HTTP client
     * @return a source the caller owns; nothing is sent before its first {@code next()}
     */
    public static ChunkSource open(List<Target> chain, ChatRequest request, StreamOptions options) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(options, "options");
        List<Target> targets = List.copyOf(chain);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("the chain needs at least one target");
        }
        ChunkSource source = new ResilientChunkSource(targets, request, options);
        return ChunkSources.withTimeouts(source, options.streamTimeouts(), options.time());
    }

    /**
     * A source that continues the answer to {@code request} of which {@code sentText} was already
     * delivered by someone else (a gateway node taking over a dead node's stream): it starts in the
     * state a {@link RecoveryPolicy.Mode#CONTINUE continuation} reaches after a failure. Each attempt
     * sends the request with {@code sentText} as a trailing assistant prefix (merged into one the
     * request already ends with); a repeat of the sent text at the start of the new output is
     * stripped, reasoning is not shown, and {@code done} is marked recovered unless the stream ends in
     * an error. With an empty {@code sentText} the request goes as it is (still without reasoning).
     *
     * <p>The takeover is not an upstream failure: it does not count against
     * {@link RecoveryPolicy#maxContinuations()}, and is not reported to the observer as a
     * continuation. Failures of the new attempts are retried, fallen back and continued per
     * {@code options} as for {@link #open}.
     *
     * <p>Only targets whose protocol supports prefill
     * ({@link io.aistream.provider.spi.ProviderProtocol#supportsAssistantPrefill()}) are used: without
     * it, the model cannot be made to continue exactly. Threading and ownership as for {@link #open}.
     *
     * @param chain    the targets, in order of preference; at least one
     * @param request  the original request; each target sets its own model
     * @param sentText the answer text already delivered (content deltas concatenated; may be cut
     *                 mid-word; may be empty)
     * @param options  retry, recovery, timeouts, clock and HTTP client
     * @return a source the caller owns (nothing sent before its first {@code next()}), or empty when
     *         no target of the chain supports prefill
     */
    public static Optional<ChunkSource> openContinuation(
            List<Target> chain, ChatRequest request, String sentText, StreamOptions options) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(sentText, "sentText");
        Objects.requireNonNull(options, "options");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the chain needs at least one target");
        }
        List<Target> targets = chain.stream()
                .filter(t -> t.protocol().supportsAssistantPrefill())
                .toList();
        if (targets.isEmpty()) {
            return Optional.empty();
        }
        ChunkSource source = new ResilientChunkSource(targets, request, options, sentText);
        return Optional.of(ChunkSources.withTimeouts(source, options.streamTimeouts(), options.time()));
    }

    /**
     * A {@link ChatStream} (default backpressure) over {@link #open}.
     *
     * @return a stream the caller must close
     */
    public static ChatStream stream(List<Target> chain, ChatRequest request, StreamOptions options) {
        return ChatStream.builder(open(chain, request, options)).build();
    }

    /**
     * A {@link ChatStream} (default backpressure) over {@link #open}, registered with
     * {@code manager} so it can be aborted by id.
     *
     * @return a stream the caller must close
     */
    public static ChatStream stream(
            List<Target> chain, ChatRequest request, StreamOptions options, StreamManager manager) {
        Objects.requireNonNull(manager, "manager");
        return ChatStream.builder(open(chain, request, options))
                .manager(manager)
                .build();
    }
}
