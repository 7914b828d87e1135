package io.aistream.provider.ollama;

import io.aistream.chunk.StreamChunk;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.sse.SseLimitExceededException;
import io.aistream.sse.SseLimits;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Decodes an Ollama native {@code /api/chat} streaming body ({@code application/x-ndjson}: one JSON
 * object per LF-terminated line, CRLF tolerated) into chunks. The terminal signal is the line with
 * {@code "done": true}; a body that ends before it gives {@code incomplete_stream}. The mapping of
 * fields, finish reasons, usage and errors is described on {@link OllamaProtocol}.
 *
 * <p>A last line without a final LF is still read at {@link #end} when it is complete JSON. A line
 * longer than {@code maxLineBytes} throws {@link SseLimitExceededException}. Not thread-safe: one
 * thread feeds it; chunks reach the consumer from inside {@code feed}/{@code end}. One instance per
 * response body.
 */
public final class OllamaStreamDecoder implements StreamDecoder {
    /** The default longest line: 1 MiB. */
    public static final int DEFAULT_MAX_LINE_BYTES = SseLimits.DEFAULTS.maxLineBytes();

    private final OllamaLineReader reader;
    private final NdjsonLineSplitter lines;
    private Consumer<? super StreamChunk> out;

    /** A decoder with the default line limit. */
    public OllamaStreamDecoder(DecoderContext context) {
        this(context, DEFAULT_MAX_LINE_BYTES);
    }

    /** A decoder that accepts lines of at most {@code maxLineBytes} bytes. */
    public OllamaStreamDecoder(DecoderContext context, int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be at least 1, was " + maxLineBytes);
        }
        this.reader = new OllamaLineReader(Objects.requireNonNull(context, "context"));
        this.lines = new NdjsonLineSplitter((buf, off, len) -> reader.line(buf, off, len, out), maxLineBytes);
    }

    @Override
    public void feed(byte[] bytes, int off, int len, Consumer<? super StreamChunk> consumer) {
        Objects.checkFromIndexSize(off, len, bytes.length);
        if (reader.isDone()) {
            return;
        }
        out = consumer;
        try {
            lines.feed(bytes, off, len);
        } finally {
            out = null;
        }
    }

    @Override
    public void end(Consumer<? super StreamChunk> consumer) {
        if (reader.isDone()) {
            return;
        }
        out = consumer;
        try {
            if (lines.hasPartialLine()) {
                lines.flushIf(OllamaLineReader::isCompleteJson);
            }
        } finally {
            out = null;
        }
        if (!reader.isDone()) {
            reader.incomplete(consumer);
        }
    }

    @Override
    public boolean isDone() {
        return reader.isDone();
    }
}
