package io.aistream.provider.spi;

import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.Usage;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns one provider's response body, fed as raw bytes in whatever pieces the network delivers,
 * into chunks. One instance per stream.
 *
 * <p><b>Contract.</b>
 * <ul>
 *   <li>The result never depends on how the bytes are split: UTF-8 characters, line breaks (CR, LF,
 *       CRLF), SSE fields and binary frame headers may all be torn across {@code feed} calls.</li>
 *   <li>Emits {@code content}, {@code reasoning} and {@code tool_call} chunks as their deltas arrive
 *       (never waiting for the end), an {@code error} chunk for an error reported inside the stream,
 *       and exactly one {@code done} chunk once the provider's terminal signal has arrived (or, for
 *       providers whose terminal signal is the end of the body, at {@link #end}). Chunk ids and seqs
 *       are left at their defaults: the owning stream stamps them.</li>
 *   <li>{@link #end} with no terminal signal seen emits an {@code error} chunk with code
 *       {@code incomplete_stream} and then {@code done} with {@code finishReason: error} — a cut
 *       stream is never a silent success.</li>
 *   <li>Comments, pings and keep-alives are skipped. So is an event type the decoder does not know
 *       (a provider added one), but never silently: it is reported to the context's
 *       {@link DecoderObserver#unknownEvent} (and logged at debug level), and the stream goes on. A malformed event (bad
 *       JSON) is reported as an {@code error} chunk with code {@code malformed_event}, then the stream
 *       ends with {@code done}/{@code error}; it never throws a raw parser exception.</li>
 *   <li>A line or event larger than the decoder's limit throws
 *       {@link io.aistream.sse.SseLimitExceededException} (memory stays bounded).</li>
 *   <li>After {@code done} has been emitted, further input is ignored.</li>
 * </ul>
 *
 * <p><b>Threading.</b> Not thread-safe; one thread feeds it. The consumer is called on that thread,
 * from inside {@code feed}/{@code end}.
 */
public interface StreamDecoder {

    /** Feeds {@code len} bytes of {@code bytes} from {@code off}; emits any chunks they complete. */
    void feed(byte[] bytes, int off, int len, Consumer<? super StreamChunk> out);

    /** The body ended: emits what is pending and, if needed, the incomplete-stream error and done. */
    void end(Consumer<? super StreamChunk> out);

    /** Whether the terminal {@code done} chunk has been emitted. */
    boolean isDone();

    /**
     * The usage the provider has reported so far (Anthropic's {@code message_start} input tokens,
     * Gemini's running {@code usageMetadata}, a last usage frame), in the same terms as the
     * {@code done} chunk's usage (cache and reasoning breakdown included); empty when the provider
     * has reported none yet. The transport uses it for the {@code done} chunk of a stream that is
     * aborted or fails before the provider's own terminal event. Called on the feeding thread,
     * between {@code feed} calls.
     */
    default Optional<Usage> usageSoFar() {
        return Optional.empty();
    }
}
