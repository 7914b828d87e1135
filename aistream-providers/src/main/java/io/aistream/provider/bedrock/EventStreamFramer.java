package io.aistream.provider.bedrock;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import software.amazon.awssdk.eventstream.Message;

/**
 * Cuts an {@code application/vnd.amazon.eventstream} byte stream, fed in arbitrary pieces, into
 * whole frames and decodes each with the AWS SDK's event-stream codec ({@link Message#decode}),
 * which checks both CRC-32s and parses the headers.
 *
 * <p>Only the frame being assembled is buffered, never more than {@code maxFrameBytes}: the
 * prelude (total length, headers length, prelude CRC) is checked as soon as its 12 bytes are in,
 * and a frame announcing more than the limit fails with {@link ErrorCode#EVENT_TOO_LARGE} before
 * any of its body is buffered. Not thread-safe.
 */
final class EventStreamFramer {
    static final int PRELUDE_BYTES = 12;
    /** Prelude plus the trailing message CRC. */
    static final int MIN_FRAME_BYTES = 16;

    private static final int INITIAL_CAPACITY = 1024;
    private static final int SHRINK_ABOVE = 64 * 1024;

    private final int maxFrameBytes;
    private byte[] buf = new byte[INITIAL_CAPACITY];
    private int filled;
    private int need = PRELUDE_BYTES;

    EventStreamFramer(int maxFrameBytes) {
        if (maxFrameBytes < MIN_FRAME_BYTES) {
            throw new IllegalArgumentException(
                    "maxFrameBytes must be at least " + MIN_FRAME_BYTES + ", was " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Consumes {@code len} bytes from {@code off}, handing every completed frame to {@code sink};
     * stops early (discarding the rest) when {@code sink} returns false.
     *
     * @throws MalformedFrameException if a frame's prelude or message CRC is wrong or its lengths are
     *                                 inconsistent
     * @throws FrameTooLargeException  (code {@code event_too_large}) if a frame exceeds the limit
     */
    void feed(byte[] bytes, int off, int len, Predicate<Message> sink) {
        int pos = off;
        int end = off + len;
        while (pos < end) {
            int take = Math.min(end - pos, need - filled);
            System.arraycopy(bytes, pos, buf, filled, take);
            filled += take;
            pos += take;
            if (filled < need) {
                return;
            }
            if (need == PRELUDE_BYTES) {
                need = checkPrelude();
                if (buf.length < need) {
                    buf = Arrays.copyOf(buf, need);
                }
            } else if (!sink.test(completeFrame())) {
                return;
            }
        }
    }

    /** Whether part of a frame has been received but not yet completed. */
    boolean hasPartialFrame() {
        return filled > 0;
    }

    private int checkPrelude() {
        ByteBuffer prelude = ByteBuffer.wrap(buf, 0, PRELUDE_BYTES);
        long total = Integer.toUnsignedLong(prelude.getInt(0));
        long headers = Integer.toUnsignedLong(prelude.getInt(4));
        long expectedCrc = Integer.toUnsignedLong(prelude.getInt(8));
        CRC32 crc = new CRC32();
        crc.update(buf, 0, 8);
        if (crc.getValue() != expectedCrc) {
            throw new MalformedFrameException(String.format(
                    "event-stream frame prelude checksum mismatch (expected 0x%08x, computed 0x%08x)",
                    expectedCrc, crc.getValue()));
        }
        if (total < MIN_FRAME_BYTES || headers > total - MIN_FRAME_BYTES) {
            throw new MalformedFrameException(
                    "event-stream frame has inconsistent lengths (total " + total + ", headers " + headers + ")");
        }
        if (total > maxFrameBytes) {
            throw new FrameTooLargeException(total, maxFrameBytes);
        }
        return (int) total;
    }

    private Message completeFrame() {
        Message message;
        try {
            message = Message.decode(ByteBuffer.wrap(buf, 0, need));
        } catch (RuntimeException e) {
            // the SDK codec reports checksum and header problems as IllegalArgumentException (and
            // buffer under/overflows for lengths that lie)
            throw new MalformedFrameException("invalid event-stream frame: " + e.getMessage());
        }
        filled = 0;
        need = PRELUDE_BYTES;
        if (buf.length > SHRINK_ABOVE) {
            buf = new byte[INITIAL_CAPACITY];
        }
        return message;
    }

    /** A frame larger than the limit; code {@link ErrorCode#EVENT_TOO_LARGE}, not retryable. */
    static final class FrameTooLargeException extends AIStreamException {
        private static final long serialVersionUID = 1L;

        FrameTooLargeException(long frameBytes, int maxFrameBytes) {
            super(
                    ErrorCode.EVENT_TOO_LARGE,
                    "an event-stream frame of " + frameBytes + " bytes exceeds the limit maxFrameBytes = "
                            + maxFrameBytes + " bytes");
        }
    }

    /** A frame that fails its checksums or structure; the stream cannot be resynchronised after it. */
    static final class MalformedFrameException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedFrameException(String message) {
            super(message, null, false, false);
        }
    }
}
