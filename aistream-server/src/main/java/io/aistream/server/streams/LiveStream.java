package io.aistream.server.streams;

import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.server.http.HttpResponse;
import io.aistream.server.http.NonBlockingBody;
import io.aistream.server.metrics.GatewayMetrics;
import io.aistream.server.resume.StreamBuffer;
import io.aistream.stream.ChatStream;
import io.aistream.stream.SourceReadiness;
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
 * {@link StreamService#start}; the counters are the producer's (one thread at a time: the request thread, or
 * a {@link LoopRelay} step on its behalf, each step ordered after the previous one), the rest is thread-safe.
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

    /** Counts a chunk the producer took from the stream (the producer only, one thread at a time). */
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
            Pulled end = hand(next.get(), sink);
            if (end == Pulled.CLIENT_GONE) {
                clientGone();
            }
            if (end != null) {
                return end;
            }
        }
        return Pulled.ENDED;
    }

    /**
     * {@link #pull(Predicate)} without a thread parked per chunk, when it can be: a non-resumable stream whose
     * {@link ChatStream#readiness()} is present, answered through a {@link NonBlockingBody}. The first chunk
     * is pulled on the calling thread (connect, head, early errors and retries stay there); then a
     * {@link LoopRelay} pulls and writes each chunk on whichever thread signalled (the upstream's I/O loop, the
     * connector's write completion, a canceller) while the calling thread waits once; it takes over again for
     * what needs a thread ({@code NEEDS_THREAD}) and always for the caller's epilogue, with the body back in
     * blocking mode. Otherwise, and for a binding without a non-blocking body, exactly {@link #pull(Predicate)}.
     * {@code sink} must not block (it writes into {@code response}'s body); what it throws propagates here.
     */
    public Pulled pull(Predicate<StreamChunk> sink, HttpResponse response) {
        if (resumable) {
            return pull(sink);
        }
        Optional<NonBlockingBody> body = response.nonBlockingBody();
        if (body.isEmpty()) {
            return pull(sink);
        }
        Optional<StreamChunk> first = nextOrFailure();
        if (first.isEmpty()) {
            return Pulled.ENDED;
        }
        Pulled end = hand(first.get(), sink);
        if (end == null) {
            // asked once the first chunk is out: a source that retries or falls back offers readiness only
            // for an attempt that is streaming
            Optional<SourceReadiness> readiness = stream.readiness();
            if (readiness.isEmpty()) {
                return pull(sink);
            }
            end = LoopRelay.relay(this, readiness.get(), body.get(), sink);
            if (end == null) { // the source needs a thread from now on
                return pull(sink);
            }
        }
        if (end == Pulled.CLIENT_GONE) {
            clientGone();
        }
        return end;
    }

    /** Counts {@code chunk} and hands it to {@code sink}: how the pull ends with it, or null to go on. */
    Pulled hand(StreamChunk chunk, Predicate<StreamChunk> sink) {
        produced(chunk);
        if (!sink.test(chunk)) {
            return Pulled.CLIENT_GONE;
        }
        return chunk instanceof DoneChunk ? Pulled.DONE : null;
    }

    /** Whether {@link #nextOrFailure()} returns at once: a failure's end is waiting, or the source is ready. */
    SourceReadiness.State poll(SourceReadiness readiness) {
        if (failedEnd != null) {
            return SourceReadiness.State.READY;
        }
        try {
            return readiness.poll();
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Error e) {
            failed(e);
            return SourceReadiness.State.READY; // the failure's end is waiting
        }
    }

    /**
     * The stream's next chunk. An {@link Error} other than {@link OutOfMemoryError} thrown by the stream
     * (a stack overflow in a decoder, say) ends it like any failure: logged once, then an {@code error}
     * chunk ({@code internal}) and {@code done(error)}, so listeners are not left without an end. An
     * out-of-memory error propagates: the process is expected to end on it.
     */
    Optional<StreamChunk> nextOrFailure() {
        if (failedEnd != null) {
            return Optional.ofNullable(failedEnd.poll());
        }
        try {
            return stream.next();
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Error e) {
            failed(e);
            return Optional.ofNullable(failedEnd.poll());
        }
    }

    /** Ends the stream after {@code e}: closes it and queues its error and done chunks. */
    private void failed(Error e) {
        LOG.error("stream {} failed: {}", id, e.toString(), e);
        stream.close();
        failedEnd = new ArrayDeque<>(2);
        failedEnd.add(ErrorChunk.of(ChunkError.of(ErrorCode.INTERNAL, "the stream failed inside the gateway"))
                .withPosition(id, chunks));
        failedEnd.add(stream.fillDone(DoneChunk.of(FinishReason.ERROR)).withPosition(id, chunks + 1));
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
