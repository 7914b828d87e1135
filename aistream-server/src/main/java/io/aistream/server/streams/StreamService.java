package io.aistream.server.streams;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.FinishReason;
import io.aistream.chunk.StreamChunk;
import io.aistream.provider.ChatProvider;
import io.aistream.provider.registry.ProtocolCatalog;
import io.aistream.provider.spi.UnsupportedOptionException;
import io.aistream.request.InvalidRequestException;
import io.aistream.server.http.ApiError;
import io.aistream.server.memory.MemoryBudget;
import io.aistream.server.metrics.GatewayMetrics;
import io.aistream.server.resume.ResumeStore;
import io.aistream.server.resume.StoreUnavailableException;
import io.aistream.server.resume.StreamBuffer;
import io.aistream.server.resume.StreamFencedException;
import io.aistream.stream.ByteMeter;
import io.aistream.stream.ChatStream;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.StreamManager;
import io.aistream.stream.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, tracks and stops the gateway's streams; shared by every protocol that streams (native SSE,
 * WebSocket, OpenAI-compatible, AI SDK), whatever HTTP binding carries it. Knows no protocol and no
 * HTTP server: it hands out {@link LiveStream}s, and refusals as {@link ApiError}s that each
 * protocol answers in its own shape.
 *
 * <p>A non-resumable stream is pulled by the thread of the request (or socket task) that started
 * it, through {@link LiveStream#stream()}: a blocked write blocks the pull, so backpressure reaches
 * the provider, and a client that goes away closes the upstream at once
 * ({@link LiveStream#clientGone()}). A resumable stream is pulled by a producer task of its own into
 * a {@link StreamBuffer}; clients follow that buffer ({@link StreamBuffer#follow}), so the stream
 * goes on when its client disconnects, until it ends, is deleted, or the server stops.
 *
 * <p>Every streaming response counts itself ({@link #sessionStarted()}/{@link #sessionEnded()}) so
 * that {@link #drain} can wait for the last answers of a graceful stop. Thread-safe.
 */
public final class StreamService {
    private static final Logger LOG = LoggerFactory.getLogger(StreamService.class);

    private final Map<String, ChatProvider> providers;
    private final ResumeStore store;
    private final StreamLimits limits;
    private final MemoryBudget budget;
    private final ByteMeter readAhead;
    private final GatewayMetrics metrics;
    private final TimeSource time;
    private final StreamCluster cluster;
    private final StreamManager manager = new StreamManager();
    private final ConcurrentHashMap<String, LiveStream> live = new ConcurrentHashMap<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition quieter = idleLock.newCondition();
    private volatile boolean draining;

    public StreamService(
            Map<String, ChatProvider> providers,
            ResumeStore store,
            StreamLimits limits,
            MemoryBudget budget,
            GatewayMetrics metrics,
            TimeSource time) {
        this(providers, store, limits, budget, metrics, time, StreamCluster.single("local"));
    }

    /**
     * A stream service on one node of {@code cluster}: it hears the cluster's abort requests, fencing and
     * takeovers from now on.
     */
    public StreamService(
            Map<String, ChatProvider> providers,
            ResumeStore store,
            StreamLimits limits,
            MemoryBudget budget,
            GatewayMetrics metrics,
            TimeSource time,
            StreamCluster cluster) {
        this.providers = providers;
        this.store = store;
        this.limits = limits;
        this.budget = budget;
        this.readAhead = delta -> budget.add(MemoryBudget.Pool.READ_AHEAD, delta);
        this.metrics = metrics;
        this.time = time;
        this.cluster = cluster;
        cluster.listen(new ClusterEvents());
    }

    /** The cluster this node belongs to ({@link StreamCluster#single} when alone). */
    public StreamCluster cluster() {
        return cluster;
    }

    public Map<String, ChatProvider> providers() {
        return providers;
    }

    public ResumeStore store() {
        return store;
    }

    public TimeSource time() {
        return time;
    }

    /** The memory budget every stream's retained bytes count against. */
    public MemoryBudget budget() {
        return budget;
    }

    public boolean draining() {
        return draining;
    }

    public int activeStreams() {
        return live.size();
    }

    public Optional<LiveStream> live(String id) {
        return Optional.ofNullable(live.get(id));
    }

    /**
     * Opens the provider's stream for a validated request, within the caller's limits.
     *
     * @throws ApiError.Failure 503 when draining, 404 for an unknown provider ({@code unknown_provider};
     *                          {@code provider_not_configured} naming the environment variables when it
     *                          is a well-known provider whose key is not set), 400 for an unknown
     *                          model or an option the provider rejects, 429 at a concurrency limit or
     *                          when the caller's resume buffers hold its whole memory share, 503
     *                          {@code overloaded} when the gateway's memory budget is nearly full, 502 when
     *                          the provider fails to open
     */
    public LiveStream start(StreamRequest request, String principal) {
        return start(request, principal, null);
    }

    /**
     * {@link #start(StreamRequest, String)} for a resumable stream whose every chunk one more party must see,
     * however its followers fare (they may fall behind the buffer's window and lose chunks; this party cannot):
     * {@code tapFor} is given the stream's id before its producer starts, and the consumer it returns is called
     * on the producer's thread with each chunk right after it entered the buffer, a {@code done} last (also when
     * the stream was closed under the producer). A tap that throws is logged and called no more; the stream goes on.
     *
     * @param tapFor null for no tap
     * @throws IllegalArgumentException when a tap is given for a stream that is not resumable
     */
    public LiveStream start(StreamRequest request, String principal, Function<String, Consumer<StreamChunk>> tapFor) {
        if (tapFor != null && !request.resumable()) {
            throw new IllegalArgumentException("only a resumable stream has a producer to tap");
        }
        if (draining) {
            throw ApiError.of(503, "shutting_down", "the gateway is shutting down")
                    .withHeader("Retry-After", "5")
                    .failure();
        }
        ChatProvider provider = providers.get(request.provider());
        if (provider == null) {
            Optional<String> notConfigured = ProtocolCatalog.notConfigured(request.provider());
            if (notConfigured.isPresent()) {
                throw new ApiError(
                                404,
                                "provider_not_configured",
                                notConfigured.get() + "; available: "
                                        + String.join(", ", new TreeSet<>(providers.keySet())),
                                Optional.of("provider"),
                                Map.of())
                        .failure();
            }
            throw new ApiError(
                            404,
                            "unknown_provider",
                            "unknown provider '" + request.provider() + "'; available: "
                                    + String.join(", ", new TreeSet<>(providers.keySet())),
                            Optional.of("provider"),
                            Map.of())
                    .failure();
        }
        List<String> models = provider.models();
        Optional<String> model = request.request().model();
        if (model.isPresent() && !models.isEmpty() && !models.contains(model.get())) {
            throw ApiError.invalid(
                            "model",
                            request.provider() + " has no model '" + model.get() + "'; available: "
                                    + String.join(", ", models))
                    .failure();
        }
        switch (budget.admit(principal, request.resumable())) {
            case OVERLOADED -> {
                LOG.debug("stream refused: memory budget nearly full ({})", budget);
                throw ApiError.of(
                                503,
                                "overloaded",
                                "the gateway is near its memory budget and takes no new "
                                        + (request.resumable() ? "resumable " : "") + "streams for now; retry later")
                        .withHeader("Retry-After", "2")
                        .failure();
            }
            case KEY_FULL ->
                throw ApiError.of(
                                429,
                                "too_much_retained",
                                "this API key's resumable streams retain its whole memory share ("
                                        + budget.perKeyLimit() + " bytes); wait for them to expire or use"
                                        + " resumable: false")
                        .withHeader("Retry-After", "5")
                        .failure();
            case ADMITTED -> {}
        }
        Optional<String> refusal = limits.tryAcquire(principal);
        if (refusal.isPresent()) {
            throw ApiError.of(429, "too_many_streams", refusal.get())
                    .withHeader("Retry-After", "1")
                    .failure();
        }
        String streamId = StreamIds.next();
        refusal = cluster.acquire(principal, streamId, limits.perKey());
        if (refusal.isPresent()) {
            limits.release(principal);
            throw ApiError.of(429, "too_many_streams", refusal.get())
                    .withHeader("Retry-After", "1")
                    .failure();
        }
        ChatStream stream;
        try {
            ChunkSource source = provider.open(request.request(), metrics.attempts(request.provider()));
            stream = ChatStream.builder(source)
                    .id(streamId)
                    .manager(manager)
                    .backpressure(request.backpressure())
                    .bufferCapacity(request.bufferCapacity())
                    .byteMeter(readAhead)
                    .timeouts(request.timeouts())
                    .timeSource(time)
                    .build();
        } catch (InvalidRequestException e) {
            releaseSlots(principal, streamId);
            throw ApiError.invalid(e).failure();
        } catch (UnsupportedOptionException e) {
            releaseSlots(principal, streamId);
            throw new ApiError(400, "invalid_request", e.getMessage(), Optional.of(e.option()), Map.of()).failure();
        } catch (AIStreamException e) {
            releaseSlots(principal, streamId);
            if (ErrorCode.INVALID_REQUEST.wireName().equals(e.code())) {
                throw ApiError.invalid(null, e.getMessage()).failure();
            }
            LOG.warn("provider {} failed to open a stream: {}", request.provider(), e.getMessage());
            throw ApiError.of(502, e.code(), "the provider could not open the stream")
                    .failure();
        } catch (RuntimeException e) {
            releaseSlots(principal, streamId);
            LOG.warn("provider {} failed to open a stream", request.provider(), e);
            throw ApiError.of(502, "provider_error", "the provider could not open the stream")
                    .failure();
        }
        StreamBuffer buffer = null;
        if (request.resumable()) {
            try {
                buffer = store.create(
                        stream.id(),
                        principal,
                        new ResumeStore.Origin(
                                request.provider(), model.orElse(""), cluster.shared() ? request.toJson() : "{}"));
            } catch (StoreUnavailableException e) {
                stream.close();
                releaseSlots(principal, streamId);
                LOG.warn("resume store unavailable for stream {}: {}", stream.id(), e.getMessage());
                throw ApiError.of(
                                503,
                                StoreUnavailableException.CODE,
                                "the resume store is unavailable; retry later, or use \"resumable\": false")
                        .withHeader("Retry-After", "2")
                        .failure();
            } catch (RuntimeException e) {
                stream.close();
                releaseSlots(principal, streamId);
                LOG.warn("resume store refused stream {}", stream.id(), e);
                throw ApiError.of(503, StoreUnavailableException.CODE, "the resume store cannot take the stream")
                        .failure();
            }
        }
        String modelName = model.orElse("");
        LiveStream ls = new LiveStream(
                principal,
                request.provider(),
                modelName,
                stream,
                buffer,
                metrics,
                () -> finished(stream.id(), principal));
        live.put(ls.id(), ls);
        cluster.started(ls, Optional.ofNullable(buffer));
        LOG.info(
                "stream {} started provider={} model={} resumable={} backpressure={} principal={}",
                ls.id(),
                request.provider(),
                modelName,
                request.resumable(),
                request.backpressure().name().toLowerCase(java.util.Locale.ROOT),
                principal);
        if (buffer != null) {
            StreamBuffer b = buffer;
            Tap tap = new Tap(ls.id(), tapFor == null ? chunk -> {} : tapFor.apply(ls.id()));
            Thread.ofVirtual().name("aistream-producer-" + ls.id()).start(() -> produce(ls, b, tap));
        }
        return ls;
    }

    private void releaseSlots(String principal, String streamId) {
        limits.release(principal);
        cluster.release(principal, streamId);
    }

    private void finished(String id, String principal) {
        LiveStream ls = live.remove(id);
        limits.release(principal);
        if (ls == null || !ls.fenced()) { // a fenced stream's cluster slot is its new node's now
            cluster.release(principal, id);
        }
        if (ls != null) {
            cluster.finished(ls);
            LOG.info(
                    "stream {} ended finish={} chunks={}{}",
                    id,
                    ls.finishReason().map(FinishReason::wireName).orElse("none"),
                    ls.chunks(),
                    ls.stopCause().map(c -> " cause=" + c).orElse(""));
        }
        signal();
    }

    /** A producer's tap: called after each append; one that throws is dropped. Producer thread only. */
    private static final class Tap {
        private final String streamId;
        private Consumer<StreamChunk> consumer;

        Tap(String streamId, Consumer<StreamChunk> consumer) {
            this.streamId = streamId;
            this.consumer = consumer;
        }

        void accept(StreamChunk chunk) {
            if (consumer == null) {
                return;
            }
            try {
                consumer.accept(chunk);
            } catch (RuntimeException e) {
                LOG.warn("stream {}: its tap failed and is dropped", streamId, e);
                consumer = null;
            }
        }
    }

    /** The producer task of a resumable stream: pulls every chunk into the buffer, then shows it to the tap. */
    private void produce(LiveStream ls, StreamBuffer buffer, Tap tap) {
        try {
            ls.pull(chunk -> {
                buffer.append(chunk);
                tap.accept(chunk);
                return true;
            });
        } catch (StreamFencedException e) {
            LOG.info("stream {} was taken over by another node; stopped here", ls.id());
            ls.fence();
        } catch (StoreUnavailableException e) {
            // the followers' reads fail too and tell them; the stream's lease lapses, and once the store is
            // back a node takes the stream over from its last stored chunk
            LOG.warn("stream {} stopped: {}", ls.id(), e.getMessage());
            ls.fence();
        } catch (RuntimeException e) {
            LOG.warn("stream {} producer failed", ls.id(), e);
        } finally { // an OutOfMemoryError goes on to the thread's uncaught handler (serve's ends the process)
            if (!ls.fenced() && !buffer.finished()) {
                // the stream was closed under the producer: followers (and the tap) still get a done
                StreamChunk done =
                        ls.fillDone(DoneChunk.of(FinishReason.ABORTED)).withPosition(ls.id(), buffer.lastSeq() + 1);
                try {
                    buffer.append(done);
                } catch (RuntimeException e) {
                    LOG.debug("stream {} could not be finished in the resume store", ls.id(), e);
                }
                tap.accept(done);
            }
            buffer.producerDone();
            ls.finish();
        }
    }

    /** What {@link #abort(String, String, String)} did. */
    public enum AbortOutcome {
        /** The stream was running (here or on another node) and was asked to stop. */
        ABORTED,
        /** The stream is known but had already ended. */
        ENDED,
        /** No stream of this principal has that id (as far as this node and the cluster know). */
        UNKNOWN
    }

    /**
     * Aborts {@code principal}'s stream wherever it runs: here, or through the cluster on the node that produces
     * it (which cancels its upstream, so every follower on every node gets {@code done(aborted)}).
     *
     * @throws io.aistream.server.resume.StoreUnavailableException when the stream is not here and the cluster's
     *     store cannot be asked
     */
    public AbortOutcome abort(String id, String principal, String cause) {
        Optional<LiveStream> local = live(id).filter(ls -> ls.owner().equals(principal));
        if (local.isPresent()) {
            return local.get().abort(cause) ? AbortOutcome.ABORTED : AbortOutcome.ENDED;
        }
        Optional<StreamCluster.Remote> remote =
                cluster.locate(id).filter(r -> r.owner().equals(principal));
        if (remote.isEmpty()) {
            return AbortOutcome.UNKNOWN;
        }
        if (remote.get().finished()) {
            return AbortOutcome.ENDED;
        }
        return cluster.abort(id, cause) ? AbortOutcome.ABORTED : AbortOutcome.ENDED;
    }

    /**
     * Whether {@code principal} has a running stream {@code id} that is not resumable, here or on another node
     * (a resume of it is answered 409).
     */
    public boolean runningNotResumable(String id, String principal) {
        Optional<LiveStream> local = live(id).filter(ls -> ls.owner().equals(principal));
        if (local.isPresent()) {
            return !local.get().resumable();
        }
        return cluster.locate(id)
                .filter(r -> r.owner().equals(principal) && !r.resumable() && !r.finished())
                .isPresent();
    }

    /** The cluster's requests to this node. */
    private final class ClusterEvents implements StreamCluster.Listener {
        @Override
        public void abortRequested(String streamId, String cause) {
            LiveStream ls = live.get(streamId);
            if (ls != null) {
                ls.abort(cause);
            }
        }

        @Override
        public void fenced(String streamId) {
            LiveStream ls = live.get(streamId);
            if (ls != null && ls.resumable()) {
                ls.fence();
            }
        }

        @Override
        public void takeOver(StreamCluster.Takeover takeover) {
            Takeovers.run(StreamService.this, takeover);
        }
    }

    /** Starts the producer of a stream taken over from another node (see {@link Takeovers}). */
    void adopt(LiveStream ls, StreamBuffer buffer) {
        live.put(ls.id(), ls);
        limits.forceAcquire(ls.owner());
        cluster.acquire(ls.owner(), ls.id(), Integer.MAX_VALUE);
        cluster.started(ls, Optional.of(buffer));
        Thread.ofVirtual()
                .name("aistream-producer-" + ls.id())
                .start(() -> produce(ls, buffer, new Tap(ls.id(), c -> {})));
    }

    /** A new live stream of this service, for a takeover. */
    LiveStream liveStream(String owner, String provider, String model, ChatStream stream, StreamBuffer buffer) {
        return new LiveStream(owner, provider, model, stream, buffer, metrics, () -> finished(stream.id(), owner));
    }

    StreamManager manager() {
        return manager;
    }

    ByteMeter readAhead() {
        return readAhead;
    }

    GatewayMetrics metrics() {
        return metrics;
    }

    /** Counts a streaming response in progress (for a graceful stop); pair with {@link #sessionEnded()}. */
    public void sessionStarted() {
        sessions.incrementAndGet();
    }

    public void sessionEnded() {
        sessions.decrementAndGet();
        signal();
    }

    private void signal() {
        idleLock.lock();
        try {
            quieter.signalAll();
        } finally {
            idleLock.unlock();
        }
    }

    /**
     * The graceful part of a stop: refuses new streams, lets running ones finish until the deadline,
     * then aborts the rest (their listeners get done(aborted) and [DONE]) and waits briefly for those
     * answers to be written. On a node of a cluster, a resumable stream still running is not aborted but
     * handed over: this node stops producing it and another node continues it (its clients resume there).
     *
     * @return how many streams had to be aborted
     */
    public int drain(Duration deadline) throws InterruptedException {
        draining = true;
        awaitQuiet(deadline, false);
        int aborted = 0;
        for (LiveStream ls : live.values()) {
            if (ls.resumable() && cluster.shared()) {
                // another node continues it: stop producing here, then give the lease up
                ls.fence();
                if (cluster.handOver(ls)) {
                    LOG.info("stream {} handed over to another node of the cluster", ls.id());
                }
            } else if (ls.abort("shutdown")) {
                aborted++;
            }
        }
        awaitQuiet(Duration.ofSeconds(5), true);
        return aborted;
    }

    private void awaitQuiet(Duration limit, boolean includeSessions) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        idleLock.lock();
        try {
            while (!live.isEmpty() || (includeSessions && sessions.get() > 0)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                quieter.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
            }
        } finally {
            idleLock.unlock();
        }
    }

    /** Aborts whatever still runs (last resort of a stop). */
    public void abortAll() {
        for (LiveStream ls : live.values()) {
            ls.abort("shutdown");
        }
    }
}
