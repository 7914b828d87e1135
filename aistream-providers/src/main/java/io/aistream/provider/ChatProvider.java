package io.aistream.provider;

import io.aistream.provider.spi.UnsupportedOptionException;
import io.aistream.provider.transport.AttemptObserver;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChunkSource;
import java.util.List;
import java.util.Optional;

/**
 * A named source of chat streams: an HTTP provider (a protocol, its configuration and the upstream
 * transport) or a built-in one such as {@code simulated}.
 *
 * <p>Thread-safe: many streams may be opened concurrently. Each returned {@link ChunkSource} belongs
 * to the caller, who hands it to a {@link io.aistream.stream.ChatStream} (which closes it) or closes
 * it directly.
 */
public interface ChatProvider {

    /** The name requests use to pick this provider, e.g. {@code openai} or {@code simulated}. */
    String name();

    /** Models this provider advertises (for pickers); empty when any model name is passed through. */
    List<String> models();

    /**
     * Opens one stream for {@code request}. Implementations do no blocking I/O here: the upstream
     * call starts with the source's first {@code next()}.
     *
     * @throws UnsupportedOptionException if the request uses an option this provider cannot honour
     */
    ChunkSource open(ChatRequest request);

    /**
     * Like {@link #open(ChatRequest)}, with {@code observer} hearing the stream's retries, fallbacks
     * and continuations and the provider event types its decoder skipped (a gateway counts them).
     * Providers without such attempts or decoders ignore it: the default does.
     */
    default ChunkSource open(ChatRequest request, AttemptObserver observer) {
        return open(request);
    }

    /**
     * Opens a stream that continues the answer to {@code request} of which {@code sentText} was
     * already delivered to the client by someone else — another gateway node that died mid-stream,
     * whose stream this one takes over.
     *
     * <p><b>What the stream yields.</b> Only what follows {@code sentText}: an upstream that repeats
     * (part of) the sent text has the repeat stripped, reasoning is not shown again, and the final
     * {@code done} is marked {@code recovered: true} (not when the stream ends in an error: then it
     * ends honestly with the error chunk and {@code done(error)}, as any stream does). Usage on the
     * {@code done} counts this attempt only.
     *
     * <p><b>When it is empty.</b> When this provider cannot continue an answer exactly: the default,
     * and HTTP providers whose protocol cannot prefill an assistant message
     * ({@link io.aistream.provider.spi.ProviderProtocol#supportsAssistantPrefill()} false) — asking such
     * a model to "go on" gives no guarantee of a seamless answer. The caller then ends the stream
     * honestly instead.
     *
     * <p><b>Contract.</b> {@code sentText} is the concatenation of the content deltas delivered so
     * far, possibly cut mid-word, possibly empty (then the whole answer comes, without reasoning).
     * The caller does not ask for a continuation once tool calls were delivered: a tool call cannot
     * be continued, and a provider asked anyway may produce them again. Like {@link #open}, this
     * does no blocking I/O (the upstream call starts with the source's first {@code next()}), is
     * thread-safe, and the returned source belongs to the caller, who hands it to a
     * {@link io.aistream.stream.ChatStream} (which closes it; see
     * {@link io.aistream.stream.ChatStream.Builder#firstSeq(long)} to keep the sequence numbers going)
     * or closes it directly. {@code observer} hears the new attempt's retries, fallbacks and
     * continuations; the takeover itself is not reported as a continuation and does not use up the
     * recovery policy's {@code maxContinuations}.
     *
     * @param request  the original request, exactly as the first attempt was opened with
     * @param sentText the answer text already delivered
     * @param observer hears the stream's attempts
     * @return the continuing stream, or empty when this provider cannot continue exactly
     * @throws UnsupportedOptionException if the request uses an option this provider cannot honour
     */
    default Optional<ChunkSource> openContinuation(ChatRequest request, String sentText, AttemptObserver observer) {
        return Optional.empty();
    }
}
