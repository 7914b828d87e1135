package io.aistream.server.internal;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.server.StreamBuffer;
import io.aistream.stream.ChatStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stream the gateway is running: its {@link ChatStream}, who owns it, and, when resumable, the
 * {@link StreamBuffer} its producer fills. It leaves the registry when its producer (the request
 * thread, or the producer task of a resumable stream) is done with it.
 */
final class LiveStream {
    final String id;
    final String owner;
    final String provider;
    final String model;
    final boolean resumable;
    final ChatStream stream;
    private final StreamBuffer buffer;
    private final GatewayMetrics metrics;
    private final GatewayMetrics.StreamMeters meters;
    private final AtomicReference<String> stopCause = new AtomicReference<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Runnable onFinish;
    private long chunks;
    private volatile FinishReason finishReason;

    LiveStream(String owner, String provider, String model, ChatStream stream, StreamBuffer buffer,
            GatewayMetrics metrics, Runnable onFinish) {
        this.id = stream.id();
        this.owner = owner;
        this.provider = provider;
        this.model = model;
        this.resumable = buffer != null;
        this.stream = stream;
        this.buffer = buffer;
        this.metrics = metrics;
        this.meters = metrics.started(provider, resumable);
        this.onFinish = onFinish;
    }

    Optional<StreamBuffer> buffer() {
        return Optional.ofNullable(buffer);
    }

    /** Counts a chunk the producer took from the stream (producer thread only). */
    void produced(StreamChunk chunk) {
        chunks++;
        meters.chunk(chunk);
        if (chunk instanceof DoneChunk d) {
            finishReason = d.finishReason();
            if (d.finishReason() == FinishReason.ABORTED) {
                String cause = stopCause.get();
                metrics.aborted(cause == null ? "other" : cause);
            }
        }
    }

    /** Aborts on someone's behalf (DELETE, shutdown): every listener gets done(aborted). */
    boolean abort(String cause) {
        stopCause.compareAndSet(null, cause);
        return stream.abort();
    }

    /** The only listener of a non-resumable stream went away: stop the upstream now. */
    void clientGone() {
        if (!finished.get() && stopCause.compareAndSet(null, "client_disconnect")) {
            stream.close();
            metrics.aborted("client_disconnect");
        }
    }

    long chunks() {
        return chunks;
    }

    Optional<FinishReason> finishReason() {
        return Optional.ofNullable(finishReason);
    }

    Optional<String> stopCause() {
        return Optional.ofNullable(stopCause.get());
    }

    /** The producer is done with the stream: close it, free its permit, leave the registry. Once. */
    void finish() {
        if (finished.compareAndSet(false, true)) {
            stream.close();
            meters.ended();
            onFinish.run();
        }
    }
}
