package io.aistream.bench.upstream;

import io.aistream.bench.http.Bytes;

/**
 * Encodes one streamed HTTP/1.1 response of the fake upstream: the response head, then each
 * message of a {@link WireFormat} as one chunk of chunked transfer encoding, then the last chunk.
 * What does not change between chunks (the format's per-stream prefix, the filler text) is encoded
 * once per stream; a content chunk leaves a gap for its {@link Stamp}, filled in just before the
 * write.
 *
 * <p>Stateless apart from those per-stream bytes; used by one thread at a time.
 */
final class ChunkedResponse {
    /** A chunk header: six hex digits of size and CRLF, filled in once the message is complete. */
    private static final int CHUNK_HEADER = 8;

    private final WireFormat format;
    private final byte[] filler;

    ChunkedResponse(WireFormat format, int chunkSize) {
        this.format = format;
        this.filler = WireFormat.filler(chunkSize);
    }

    /** Appends the status line, the headers and the format's opening message(s). */
    void head(Bytes b, boolean close) {
        b.ascii("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\n"
                + "X-Accel-Buffering: no\r\nTransfer-Encoding: chunked\r\n");
        if (close) {
            b.ascii("Connection: close\r\n");
        }
        b.ascii("\r\n");
        int at = begin(b);
        format.head(b);
        end(b, at);
    }

    /** Appends content chunk {@code seq}; returns where its stamp goes. */
    int content(Bytes b, int seq) {
        int at = begin(b);
        format.contentPrefix(b, seq);
        int stampAt = b.skip(Stamp.LENGTH);
        b.append(filler);
        format.contentSuffix(b);
        end(b, at);
        return stampAt;
    }

    /** Appends the terminal message(s) of a stream of {@code chunks} content chunks and the last chunk. */
    void tail(Bytes b, int chunks) {
        int at = begin(b);
        format.tail(b, chunks);
        end(b, at);
        b.ascii("0\r\n\r\n");
    }

    private static int begin(Bytes b) {
        return b.skip(CHUNK_HEADER);
    }

    private static void end(Bytes b, int mark) {
        int n = b.length() - mark - CHUNK_HEADER;
        if (n == 0) { // an empty message: drop its (would-be terminating) chunk header
            b.skip(-CHUNK_HEADER);
            return;
        }
        b.hexAt(mark, 6, n);
        b.setAt(mark + 6, (byte) '\r');
        b.setAt(mark + 7, (byte) '\n');
        b.ascii("\r\n");
    }
}
