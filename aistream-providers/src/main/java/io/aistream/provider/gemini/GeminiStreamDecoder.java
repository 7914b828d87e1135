package io.aistream.provider.gemini;

import io.aistream.ErrorCode;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.Usage;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.support.SseStreamDecoder;
import io.aistream.sse.SseDecoder;
import io.aistream.sse.SseEvent;
import io.aistream.sse.SseLimitExceededException;
import io.aistream.sse.SseLimits;
import io.aistream.sse.SseListener;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Decodes a Gemini {@code streamGenerateContent} response body into chunks, in either framing the
 * endpoint uses:
 * <ul>
 *   <li>{@code ?alt=sse}: Server-Sent Events ({@code data: <GenerateContentResponse>}, CRLF framed,
 *       no {@code [DONE]}); the terminal signal is the end of the body after a chunk carrying a
 *       {@code finishReason} (or {@code promptFeedback.blockReason});</li>
 *   <li>without {@code alt}: one JSON array written element by element; each element is decoded as
 *       soon as it closes and the closing {@code ]} is the terminal signal.</li>
 * </ul>
 * The framing is {@linkplain #GeminiStreamDecoder(DecoderContext) detected} from the first
 * non-whitespace byte of the body ({@code [} means the array) unless fixed by the factory methods.
 *
 * <p>Mid-stream {@code {"error":{code,message,status}}} objects become an {@code error} chunk whose
 * code is the {@code status} string (else {@code code}), retryable for {@code UNAVAILABLE},
 * {@code RESOURCE_EXHAUSTED}, {@code INTERNAL}, {@code DEADLINE_EXCEEDED}, 408, 429 and 5xx; then
 * {@code done}/{@code error}. A body that ends without a finish reason gives
 * {@code incomplete_stream}. See {@link GeminiProtocol} for the finish-reason and usage mapping.
 *
 * <p>Limits: an SSE line or event, or an array element, beyond the {@link SseLimits} throws
 * {@link SseLimitExceededException}. Not thread-safe: one thread feeds it; chunks are passed to the
 * consumer from inside {@code feed}/{@code end}. One instance per response body.
 */
public final class GeminiStreamDecoder implements StreamDecoder {
    private enum Framing {
        DETECT,
        SSE,
        JSON_ARRAY
    }

    private final GeminiResponseReader reader;
    private final SseLimits limits;
    private Framing framing;
    private SseDecoder sse;
    private GeminiJsonArrayScanner array;
    /** Whitespace read while the framing is still unknown; replayed into the SSE decoder. */
    private byte[] leading = new byte[0];
    /** The consumer of the feed/end call in progress, for the framing callbacks. */
    private Consumer<? super StreamChunk> out;

    /** A decoder that detects the framing, with the default limits. */
    public GeminiStreamDecoder(DecoderContext context) {
        this(context, SseLimits.DEFAULTS, Framing.DETECT);
    }

    private GeminiStreamDecoder(DecoderContext context, SseLimits limits, Framing framing) {
        this.reader = new GeminiResponseReader(Objects.requireNonNull(context, "context"));
        this.limits = Objects.requireNonNull(limits, "limits");
        this.framing = framing;
        if (framing == Framing.SSE) {
            startSse();
        } else if (framing == Framing.JSON_ARRAY) {
            startArray();
        }
    }

    /** A decoder for {@code ?alt=sse} bodies only. */
    public static GeminiStreamDecoder sse(DecoderContext context, SseLimits limits) {
        return new GeminiStreamDecoder(context, limits, Framing.SSE);
    }

    /**
     * A decoder for streamed-JSON-array bodies only; an element may be at most
     * {@code limits.maxEventBytes()} bytes.
     */
    public static GeminiStreamDecoder jsonArray(DecoderContext context, SseLimits limits) {
        return new GeminiStreamDecoder(context, limits, Framing.JSON_ARRAY);
    }

    @Override
    public void feed(byte[] bytes, int off, int len, Consumer<? super StreamChunk> consumer) {
        Objects.checkFromIndexSize(off, len, bytes.length);
        if (reader.isDone()) {
            return;
        }
        out = consumer;
        try {
            int start = off;
            if (framing == Framing.DETECT) {
                start = detect(bytes, off, off + len);
                if (framing == Framing.DETECT) {
                    return;
                }
            }
            if (framing == Framing.SSE) {
                sse.feed(bytes, start, off + len - start);
            } else {
                array.feed(bytes, start, off + len - start);
            }
        } finally {
            out = null;
        }
    }

    /** Skips (and keeps) leading whitespace; picks the framing at the first other byte. */
    private int detect(byte[] b, int from, int to) {
        int i = from;
        while (i < to && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
        if (i > from) {
            if (leading.length + (i - from) > limits.maxLineBytes()) {
                throw new SseLimitExceededException(
                        SseLimitExceededException.Limit.MAX_LINE_BYTES, limits.maxLineBytes());
            }
            int old = leading.length;
            leading = Arrays.copyOf(leading, old + (i - from));
            System.arraycopy(b, from, leading, old, i - from);
        }
        if (i == to) {
            return i;
        }
        if (b[i] == '[') {
            framing = Framing.JSON_ARRAY;
            startArray();
        } else {
            framing = Framing.SSE;
            startSse();
            sse.feed(leading);
        }
        leading = null;
        return i;
    }

    private void startSse() {
        sse = new SseDecoder(
                new SseListener() {
                    @Override
                    public void onEvent(SseEvent event) {
                        String data = event.data();
                        if (!reader.isDone() && !SseStreamDecoder.isBlankOrDone(data)) {
                            reader.read(data, out);
                        }
                    }
                },
                limits);
    }

    private void startArray() {
        array = new GeminiJsonArrayScanner(
                new GeminiJsonArrayScanner.Sink() {
                    @Override
                    public void element(byte[] buf, int off, int len) {
                        reader.read(buf, off, len, out);
                    }

                    @Override
                    public void arrayEnd() {
                        reader.finish(out);
                    }

                    @Override
                    public void malformed(String why) {
                        reader.fail(reader.ownError(ErrorCode.MALFORMED_EVENT, why), out);
                    }
                },
                limits.maxEventBytes());
    }

    @Override
    public void end(Consumer<? super StreamChunk> consumer) {
        if (reader.isDone()) {
            return;
        }
        switch (framing) {
            case DETECT -> reader.finish(consumer);
            case SSE -> {
                sse.end();
                reader.finish(consumer);
            }
            case JSON_ARRAY -> {
                if (array.inElement()) {
                    reader.incomplete(consumer);
                } else {
                    reader.finish(consumer);
                }
            }
        }
    }

    @Override
    public boolean isDone() {
        return reader.isDone();
    }

    /** The last {@code usageMetadata} snapshot seen (Gemini sends running totals). */
    @Override
    public Optional<Usage> usageSoFar() {
        return reader.usageSoFar();
    }
}
