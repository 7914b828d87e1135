package io.aistream.provider.replay;

import io.aistream.chunk.StreamChunk;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.stream.CancellableWait;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.TimeSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;

/** Feeds a transcript to a decoder read by read, pausing between reads on the injected clock. */
final class ReplaySource implements ChunkSource {
    private final byte[] body;
    private final StreamDecoder decoder;
    private final int chunkBytes;
    private final Duration interval;
    private final ArrayDeque<StreamChunk> ready = new ArrayDeque<>();

    private final CancellableWait wait;

    private int offset;
    private boolean ended;

    ReplaySource(byte[] body, StreamDecoder decoder, int chunkBytes, Duration interval, TimeSource time) {
        this.body = body;
        this.decoder = decoder;
        this.chunkBytes = chunkBytes;
        this.interval = interval;
        this.wait = new CancellableWait(time);
    }

    @Override
    public Optional<StreamChunk> next() throws InterruptedException {
        while (ready.isEmpty()) {
            if (ended || wait.isCancelled()) {
                return Optional.empty();
            }
            if (offset >= body.length) {
                decoder.end(ready::add);
                ended = true;
                continue;
            }
            if (offset > 0 && !wait.sleep(interval)) {
                return Optional.empty();
            }
            int n = Math.min(chunkBytes, body.length - offset);
            decoder.feed(body, offset, n, ready::add);
            offset += n;
        }
        return Optional.of(ready.poll());
    }

    @Override
    public void cancel() {
        wait.cancel();
    }
}
