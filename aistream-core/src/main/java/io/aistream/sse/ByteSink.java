package io.aistream.sse;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/** Where an {@link SseWriter} puts its encoded bytes. */
interface ByteSink {

    void write(byte[] b, int off, int len);

    void flush();

    void close();

    /** Writes to an output stream; I/O errors become {@link UncheckedIOException}. */
    final class ToStream implements ByteSink {
        private final OutputStream out;

        ToStream(OutputStream out) {
            this.out = Objects.requireNonNull(out, "out");
        }

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Puts into a fixed buffer; a write that does not fit transfers nothing and throws. */
    final class ToBuffer implements ByteSink {
        private final ByteBuffer target;

        ToBuffer(ByteBuffer target) {
            this.target = Objects.requireNonNull(target, "target");
        }

        @Override
        public void write(byte[] b, int off, int len) {
            target.put(b, off, len); // BufferOverflowException if len > remaining; nothing is put then
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
