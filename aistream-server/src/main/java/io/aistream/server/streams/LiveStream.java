package io.aistream.server.streams;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.server.metrics.GatewayMetrics;
import io.aistream.server.resume.StreamBuffer;
import io.aistream.stream.ChatStream;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream the gateway is running: its {@link ChatStream}, who owns it, and, when resumable, the
 * {@link StreamBuffer} its producer fills. It leaves the registry when its producer (the request
 * thread, or the producer task of a resumable stream) is done with it. Created by
 * {@link StreamService#start}; the counters are the producer's, the rest is thread-safe.
 */
public final class LiveStream {
    private static final Logger LOG = LoggerFactory.getLogger(LiveStream.class);

    private final String id;
    private final String owner;
    private final String provider;
    private final String model;
    private final boolean resumable;
    private final ChatStream stream;
    private final StreamBuffer buffer;
    private final GatewayMetrics metrics;
    private final GatewayMetrics.StreamMeters meters;
    private final AtomicReference<String> stopCause = new AtomicReference<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean fenced;
    private final Runnable onFinish;
    private long chunks;
    /** After an Error: the chunks that end the stream; producer only. */
    private ArrayDeque<StreamChunk> failedEnd;

    private volatile FinishReason finishReason;

    LiveStream(
            String owner,
            String provider,
            String model,
            ChatStream stream,
            StreamBuffer buffer,
            GatewayMetrics metrics,
            Runnable onFinish) {
        this.id = stream.id();
        this.owner = owner;
        this.provider = provider;
        this.model = model;
        this.resumable = buffer != null;
        this.stream = stream;
        this.buffer = buffer;
        this.metrics = metrics;
        this.meters = metrics.started(provider, resumable, owner);
        this.onFinish = onFinish;
    }

    /** The stream id ({@code st_…}). */
    public String id() {
        return id;
    }

    /** The principal that started it. */
    public String owner() {
        return owner;
    }

    /** The provider-map name the request used. */
    public String provider() {
        return provider;
    }

    /** The model the request named, or empty for the provider's default. */
    public String model() {
        return model;
    }

    public boolean resumable() {
        return resumable;
    }

    /** The stream itself; pulled by its one producer (the request thread, or a resumable stream's task). */
    public ChatStream stream() {
        return stream;
    }

    /** The buffer a resumable stream's producer fills. */
    public Optional<StreamBuffer> buffer() {
        return Optional.ofNullable(buffer);
    }

    /** Counts a chunk the producer took from the stream (producer thread only). */
    public void produced(StreamChunk chunk) {
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

    /** How a {@link #pull} ended. */
    public enum Pulled {
        /** The done chunk was the last one handed to the sink. */
        DONE,
        /** The stream ran out without a done chunk (it was closed under the producer). */
        ENDED,
        /** The sink refused a chunk: the client went away, and {@link #clientGone()} has run. */
        CLIENT_GONE
    }

    /**
     * Pulls the stream on the calling thread, which must be its one producer: counts each chunk
     * ({@link #produced}) and hands it to {@code sink}, until the done chunk was handed over, the stream
     * runs out, or {@code sink} returns false (the client is gone: then {@link #clientGone()} stops the
     * upstream). What {@code sink} throws propagates; the caller still {@link #finish}es.
     */
    public Pulled pull(Predicate<StreamChunk> sink) {
        for (Optional<StreamChunk> next = nextOrFailure(); next.isPresent(); next = nextOrFailure()) {
            StreamChunk chunk = next.get();
            produced(chunk);
            if (!sink.test(chunk)) {
                clientGone();
                return Pulled.CLIENT_GONE;
            }
            if (chunk instanceof DoneChunk) {
                return Pulled.DONE;
            }
        }
        return Pulled.ENDED;
    }

    /**
     * The stream's next chunk. An {@link Error} other than {@link OutOfMemoryError} thrown by the stream
     * (a stack overflow in a decoder, say) ends it like any failure: logged once, then an {@code error}
     * chunk ({@code internal}) and {@code done(error)}, so listeners are not left without an end. An
     * out-of-memory error propagates: the process is expected to end on it.
     */
    private Optional<StreamChunk> nextOrFailure() {
        if (failedEnd != null) {
            return Optional.ofNullable(failedEnd.poll());
        }
        try {
            return stream.next();
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Error e) {
            LOG.error("stream {} failed: {}", id, e.toString(), e);
            stream.close();
            failedEnd = new ArrayDeque<>(2);
            failedEnd.add(ErrorChunk.of(ChunkError.of(ErrorCode.INTERNAL, "the stream failed inside the gateway"))
                    .withPosition(id, chunks));
            failedEnd.add(stream.fillDone(DoneChunk.of(FinishReason.ERROR)).withPosition(id, chunks + 1));
            return Optional.ofNullable(failedEnd.poll());
        }
    }

    /** A done chunk made up for this stream, filled with the usage, provider and model its source knows. */
    DoneChunk fillDone(DoneChunk done) {
        return stream.fillDone(done);
    }

    /** Aborts on someone's behalf (DELETE, shutdown): every listener gets done(aborted). */
    public boolean abort(String cause) {
        stopCause.compareAndSet(null, cause);
        return stream.abort();
    }

    /** The only listener of a non-resumable stream went away: stop the upstream now. */
    public void clientGone() {
        if (!finished.get() && stopCause.compareAndSet(null, "client_disconnect")) {
            stream.close();
            metrics.aborted("client_disconnect");
        }
    }

    /**
     * This node may no longer append to the stream (another node took it over, or the shared store is
     * gone): stop the upstream at once; the producer appends nothing more, not even a done.
     */
    public void fence() {
        fenced = true;
        stopCause.compareAndSet(null, "fenced");
        stream.close();
    }

    /** Whether {@link #fence()} ran. */
    public boolean fenced() {
        return fenced;
    }

    public long chunks() {
        return chunks;
    }

    public Optional<FinishReason> finishReason() {
        return Optional.ofNullable(finishReason);
    }

    public Optional<String> stopCause() {
        return Optional.ofNullable(stopCause.get());
    }

    /** The producer is done with the stream: close it, free its permit, leave the registry. Once. */
    public void finish() {
        if (finished.compareAndSet(false, true)) {
            stream.close();
            meters.ended();
            onFinish.run();
        }
    }
}
