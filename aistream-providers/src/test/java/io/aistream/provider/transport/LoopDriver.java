package io.aistream.provider.transport;

import io.aistream.chunk.StreamChunk;
import io.aistream.stream.ChatStream;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.SourceReadiness;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pulls a source only through its {@link SourceReadiness}, as the gateway's relay driver does: it polls,
 * takes chunks while the answer is {@code READY}, and on {@code WAIT} arms {@code onReady} and returns;
 * the callback (run on the transport's I/O loop thread) continues. No pull here may block: a test whose
 * upstream sends its next bytes only once the driver answered {@code WAIT} would hang otherwise.
 */
final class LoopDriver {
    /** What the driver pulls after a READY: a source's or a stream's {@code next()}. */
    interface Pull {
        Optional<StreamChunk> next() throws Exception;
    }

    private final Pull source;
    private final SourceReadiness readiness;
    private final Runnable onWait;
    private final Runnable step = this::step;

    final List<StreamChunk> chunks = new CopyOnWriteArrayList<>();
    /** Completes with every chunk at the source's end; with {@link NeedsThread} on NEEDS_THREAD. */
    final CompletableFuture<List<StreamChunk>> result = new CompletableFuture<>();
    /** Completes when a poll answered WAIT (the first time). */
    final CompletableFuture<Void> waiting = new CompletableFuture<>();

    final AtomicInteger waits = new AtomicInteger();
    final AtomicInteger loopSteps = new AtomicInteger();

    /** The poll answered NEEDS_THREAD. */
    static final class NeedsThread extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NeedsThread() {
            super("NEEDS_THREAD", null, false, false);
        }
    }

    private LoopDriver(Pull source, SourceReadiness readiness, Runnable onWait) {
        this.source = source;
        this.readiness = readiness;
        this.onWait = onWait;
    }

    /** Drives {@code source} (whose readiness must be offered) from the calling thread on. */
    static LoopDriver start(ChunkSource source, Runnable onWait) {
        SourceReadiness r = source.readiness().orElseThrow(() -> new AssertionError("no readiness offered"));
        LoopDriver d = new LoopDriver(source::next, r, onWait);
        d.run();
        return d;
    }

    /** Drives {@code stream} (whose readiness must be offered) from the calling thread on. */
    static LoopDriver start(ChatStream stream, Runnable onWait) {
        SourceReadiness r = stream.readiness().orElseThrow(() -> new AssertionError("no readiness offered"));
        LoopDriver d = new LoopDriver(stream::next, r, onWait);
        d.run();
        return d;
    }

    SourceReadiness readiness() {
        return readiness;
    }

    void run() {
        try {
            while (true) {
                switch (readiness.poll()) {
                    case READY -> {
                        Optional<StreamChunk> chunk = source.next();
                        if (chunk.isEmpty()) {
                            result.complete(List.copyOf(chunks));
                            return;
                        }
                        chunks.add(chunk.get());
                    }
                    case WAIT -> {
                        waits.incrementAndGet();
                        onWait.run();
                        waiting.complete(null);
                        readiness.onReady(step);
                        return;
                    }
                    case NEEDS_THREAD -> {
                        result.completeExceptionally(new NeedsThread());
                        return;
                    }
                }
            }
        } catch (Throwable t) {
            result.completeExceptionally(t);
        }
    }

    private void step() {
        if (Thread.currentThread().getName().startsWith("aistream-upstream-io-")) {
            loopSteps.incrementAndGet();
        }
        run();
    }
}
