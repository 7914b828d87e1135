package io.aistream.server.ws;

import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.server.config.WebSocketConfig;
import io.aistream.server.http.ApiError;
import io.aistream.server.http.WsConnection;
import io.aistream.server.http.WsHandler;
import io.aistream.server.memory.MemoryBudget;
import io.aistream.server.metrics.GatewayMetrics;
import io.aistream.server.resume.ChunksEvictedException;
import io.aistream.server.resume.ResumeStore;
import io.aistream.server.resume.StoreUnavailableException;
import io.aistream.server.resume.StreamBuffer;
import io.aistream.server.streams.LiveStream;
import io.aistream.server.streams.StreamRequest;
import io.aistream.server.streams.StreamService;
import io.aistream.stream.TimeSource;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's WebSocket on {@code /v1/ws}: several streams, each delivered by a virtual thread of
 * its own into the socket's bounded {@link WsOutbox}.
 *
 * <p><b>Threading.</b> The binding calls the {@link WsHandler} methods one at a time; the next frame is
 * read once the previous one was handled (handling never blocks). Each stream
 * task runs on its own virtual thread: a non-resumable stream's task pulls the {@code ChatStream}
 * itself (a full outbox blocks the pull); a resumable stream's producer runs in the
 * {@link StreamService} and the task follows its {@link StreamBuffer}.
 *
 * <p><b>Closing.</b> When the socket closes, non-resumable streams are closed at once (their
 * upstream is cancelled on the closing thread) and followers stop; resumable streams keep
 * generating into the resume store.
 */
final class WsSocket implements WsHandler {
    private static final Logger LOG = LoggerFactory.getLogger(WsSocket.class);

    private final StreamService streams;
    private final GatewayMetrics metrics;
    private final WsNames names;
    private final WebSocketConfig config;
    private final TimeSource time;
    private final String principal;
    private final WsEndpoint endpoint;
    private final ConcurrentHashMap<String, Task> tasks = new ConcurrentHashMap<>();
    private final AtomicInteger missedPongs = new AtomicInteger();
    private final WsMessageAssembler assembler;
    private final CountDownLatch gone = new CountDownLatch(1);
    private volatile WsConnection session;
    private volatile WsOutbox outbox;
    private volatile boolean closed;
    private volatile TimeSource.Cancellable pingTimer;

    WsSocket(
            WsEndpoint endpoint,
            StreamService streams,
            GatewayMetrics metrics,
            WsNames names,
            WebSocketConfig config,
            String principal) {
        this.endpoint = endpoint;
        this.streams = streams;
        this.metrics = metrics;
        this.names = names;
        this.config = config;
        this.time = streams.time();
        this.principal = principal;
        this.assembler = new WsMessageAssembler(config.maxMessageBytes());
    }

    WsOutbox outbox() {
        return outbox;
    }

    int streamCount() {
        return tasks.size();
    }

    /** Test probe: pings sent since the last pong. */
    int missedPongs() {
        return missedPongs.get();
    }

    // ---- socket events ------------------------------------------------------------------------

    @Override
    public void opened(WsConnection s) {
        session = s;
        MemoryBudget budget = streams.budget();
        outbox = new WsOutbox(
                s,
                config.sendQueueBytes(),
                config.sendQueueMessages(),
                delta -> budget.add(MemoryBudget.Pool.WEBSOCKET, delta));
        schedulePing();
        endpoint.opened(this);
        s.demand();
    }

    @Override
    public void text(String fragment, boolean last) {
        switch (assembler.add(fragment, last)) {
            case MESSAGE -> message(assembler.take());
            case TOO_LARGE ->
                // our own limit, so the client learns why before the 1009 (Jetty's would only close)
                fatal(
                        WsMessages.error(
                                Optional.empty(),
                                "message_too_large",
                                "a message may have at most " + assembler.maxBytes() + " bytes (UTF-8)",
                                Optional.empty(),
                                0),
                        WsConnection.MESSAGE_TOO_BIG,
                        "message_too_large");
            case MORE, SKIPPED -> {}
        }
        demand();
    }

    private void message(String message) {
        try {
            handle(WsMessages.parse(message));
        } catch (WsMessages.Refusal r) {
            String error = WsMessages.error(r.stream, r.code, r.getMessage(), r.field, 0);
            if (r.closeCode > 0) {
                fatal(error, r.closeCode, r.code);
            } else {
                reply(error);
            }
        } catch (ApiError.Failure f) {
            reply(WsMessages.error(Optional.empty(), f.error()));
        }
    }

    @Override
    public void binary() {
        fatal(
                WsMessages.error(
                        Optional.empty(),
                        "binary_not_supported",
                        "this endpoint takes JSON text messages, not binary ones",
                        Optional.empty(),
                        0),
                WsConnection.UNSUPPORTED_DATA,
                "binary_not_supported");
        demand(); // keeps reading, so that the client's answer to the close is seen
    }

    @Override
    public void ping(ByteBuffer payload) {
        missedPongs.set(0);
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining())
                .put(payload.duplicate())
                .flip();
        if (!outbox.pong(copy)) {
            notReading();
        }
        demand();
    }

    @Override
    public void pong() {
        missedPongs.set(0);
        demand();
    }

    @Override
    public void error(Throwable cause, boolean messageTooLarge) {
        if (messageTooLarge && outbox != null) {
            // the binding closes with 1009 next; the typed error goes first if the socket can still take it
            String error = WsMessages.error(
                    Optional.empty(),
                    "message_too_large",
                    "a message may have at most " + config.maxMessageBytes() + " bytes",
                    Optional.empty(),
                    0);
            outbox.control(error, WsMessages.utf8Length(error));
        }
        LOG.debug("websocket error principal={}: {}", principal, cause.toString());
    }

    @Override
    public void closed(int statusCode, String reason) {
        closed = true;
        TimeSource.Cancellable t = pingTimer;
        if (t != null) {
            t.cancel();
        }
        WsOutbox o = outbox;
        if (o != null) {
            o.shutdown();
        }
        for (Task task : tasks.values()) {
            task.socketGone();
        }
        endpoint.closed(this);
        gone.countDown();
        LOG.debug("websocket closed principal={} code={} reason={}", principal, statusCode, reason);
    }

    /**
     * The gateway is stopping: after what is queued (the streams' last chunks, their
     * {@code done(aborted)} among them), a close frame 1001 with a reason. Never blocks.
     */
    void goAway() {
        WsOutbox o = outbox;
        if (o != null) {
            o.closeAfterQueued(WsConnection.GOING_AWAY, "the gateway is shutting down");
        }
    }

    /** Waits until the socket has closed (the close handshake done, or the connection lost). */
    boolean awaitClosed(long nanos) throws InterruptedException {
        return gone.await(nanos, TimeUnit.NANOSECONDS);
    }

    // ---- client messages ------------------------------------------------------------------------

    private void handle(WsMessages.ClientMessage message) {
        try {
            switch (message) {
                case WsMessages.Start s -> start(s);
                case WsMessages.Abort a -> abort(a.stream());
                case WsMessages.Resume r -> resume(r);
            }
        } catch (StoreUnavailableException e) { // a cluster's Redis is out of reach: a typed answer, not a close
            LOG.warn("websocket {}: {}", message.stream(), e.getMessage());
            reply(WsMessages.error(
                    Optional.of(message.stream()),
                    StoreUnavailableException.CODE,
                    "the stream store is unavailable; retry later",
                    Optional.empty(),
                    503));
        }
    }

    private void start(WsMessages.Start s) {
        String name = s.stream();
        if (!admit(name)) {
            return;
        }
        Task task = new Task(name);
        tasks.put(name, task);
        streams.sessionStarted();
        Thread.ofVirtual().name("aistream-ws-stream").start(() -> task.runStart(s.request()));
    }

    private void resume(WsMessages.Resume r) {
        String name = r.stream();
        if (!admit(name)) {
            return;
        }
        Optional<String> id = resolve(name);
        if (id.isEmpty()) {
            unknownStream(name);
            return;
        }
        if (streams.runningNotResumable(id.get(), principal)) {
            metrics.resumeRequest("not_resumable");
            reply(WsMessages.error(
                    Optional.of(name),
                    "not_resumable",
                    "stream " + name + " was not started with \"resumable\": true",
                    Optional.of("stream"),
                    409));
            return;
        }
        switch (streams.store().lookup(id.get())) {
            case ResumeStore.Lookup.Found(StreamBuffer buffer)
            when buffer.owner().equals(principal) -> {
                long last = buffer.lastSeq();
                if (r.after() > last) {
                    // a client cannot have a chunk that was never produced: its bug, named, not a silent done
                    metrics.resumeRequest("invalid_position");
                    reply(WsMessages.error(
                            Optional.of(name),
                            "invalid_position",
                            "after " + r.after() + " is past the last chunk of stream " + name + ": its last seq is "
                                    + last + (buffer.finished() ? " (its done)" : " so far"),
                            Optional.of("after"),
                            400));
                    return;
                }
                // after <= last < Long.MAX_VALUE here, so after + 1 cannot overflow
                if (r.after() + 1 < buffer.oldestSeq()) {
                    metrics.resumeRequest("gone");
                    reply(WsMessages.error(
                            Optional.of(name),
                            "chunks_evicted",
                            "stream " + name
                                    + " no longer keeps the chunks after " + r.after() + "; the oldest kept is "
                                    + buffer.oldestSeq(),
                            Optional.of("after"),
                            410));
                    return;
                }
                metrics.resumeRequest("ok");
                Task task = new Task(name);
                task.streamId = buffer.streamId();
                tasks.put(name, task);
                streams.sessionStarted();
                Thread.ofVirtual().name("aistream-ws-follow").start(() -> task.runFollow(buffer, r.after()));
            }
            case ResumeStore.Lookup.Expired(String owner)
            when owner.equals(principal) -> {
                metrics.resumeRequest("expired");
                reply(WsMessages.error(
                        Optional.of(name),
                        "stream_expired",
                        "stream " + name + " has finished and its chunks have expired",
                        Optional.of("stream"),
                        410));
            }
            default -> {
                unknownStream(name);
            }
        }
    }

    private void abort(String name) {
        Task task = tasks.get(name);
        if (task != null) {
            task.abort();
            return;
        }
        Optional<String> id = resolve(name);
        if (id.isEmpty()) {
            reply(WsMessages.error(
                    Optional.of(name),
                    "unknown_stream",
                    "no stream " + name + " to abort",
                    Optional.of("stream"),
                    404));
            return;
        }
        // a stream of this key running elsewhere (a socket that dropped): stop it; if it has already
        // ended there is nothing left to do
        // (or on another node of the cluster)
        streams.abort(id.get(), principal, "client_abort");
    }

    /** Whether a new stream may be delivered under {@code name} on this socket; answers if not. */
    private boolean admit(String name) {
        if (tasks.containsKey(name)) {
            reply(WsMessages.error(
                    Optional.of(name),
                    "duplicate_stream",
                    "a stream named " + name + " is already running on this socket",
                    Optional.of("stream"),
                    409));
            return false;
        }
        if (tasks.size() >= config.maxStreamsPerSocket()) {
            reply(WsMessages.error(
                    Optional.of(name),
                    "too_many_streams",
                    "at most " + config.maxStreamsPerSocket() + " streams may run on one socket",
                    Optional.empty(),
                    429));
            return false;
        }
        return true;
    }

    /** A server stream id this key may use: the name itself when it is one of its streams, else the name's mapping. */
    private Optional<String> resolve(String name) {
        if (name.startsWith("st_")) {
            boolean mine =
                    streams.live(name).map(ls -> ls.owner().equals(principal)).orElse(false)
                            || switch (streams.store().lookup(name)) {
                                case ResumeStore.Lookup.Found(StreamBuffer b) ->
                                    b.owner().equals(principal);
                                case ResumeStore.Lookup.Expired(String owner) -> owner.equals(principal);
                                case ResumeStore.Lookup.Unknown u -> false;
                            };
            if (mine) {
                return Optional.of(name);
            }
        }
        return names.lookup(principal, name);
    }

    // ---- output ---------------------------------------------------------------------------------

    /** A resume that names no stream of this caller: counted, and answered 404. */
    private void unknownStream(String name) {
        metrics.resumeRequest("not_found");
        reply(WsMessages.error(
                Optional.of(name), "unknown_stream", "no stream " + name + " to resume", Optional.of("stream"), 404));
    }

    private void reply(String message) {
        if (!outbox.control(message, WsMessages.utf8Length(message))) {
            notReading();
        }
    }

    /** The client keeps sending but leaves our answers unread: stop it before its replies pile up. */
    private void notReading() {
        fatal(null, WsConnection.POLICY_VIOLATION, "not_reading");
    }

    private void fatal(String message, int closeCode, String reason) {
        LOG.debug("websocket principal={} closed by the server: {} {}", principal, closeCode, reason);
        outbox.closeWith(message, message == null ? 0 : WsMessages.utf8Length(message), closeCode, reason);
    }

    private void demand() {
        WsConnection s = session;
        if (!closed && s.isOpen()) {
            s.demand();
        }
    }

    private void schedulePing() {
        if (closed) {
            return;
        }
        pingTimer = time.schedule(config.pingInterval(), this::pingDue);
        if (closed) {
            pingTimer.cancel();
        }
    }

    /** On the time source's thread: must not block. */
    private void pingDue() {
        if (closed) {
            return;
        }
        if (missedPongs.getAndIncrement() >= config.maxMissedPongs()) {
            fatal(
                    WsMessages.error(
                            Optional.empty(),
                            "ping_timeout",
                            "no pong for " + config.maxMissedPongs() + " pings",
                            Optional.empty(),
                            0),
                    WsConnection.GOING_AWAY,
                    "ping_timeout");
            // a peer that reads nothing never sees the close either: drop the connection after one more interval
            WsConnection s = session;
            time.schedule(config.pingInterval(), () -> {
                if (s.isOpen()) {
                    s.disconnect();
                }
            });
            return;
        }
        outbox.ping();
        schedulePing();
    }

    // ---- one stream on this socket --------------------------------------------------------------

    /** A stream delivered on this socket under the client's name. */
    private final class Task {
        final String name;
        final WsMessages.ChunkEncoder encoder;
        volatile String streamId;
        private LiveStream live;
        private StreamBuffer.Follower follower;
        private boolean gone;
        private boolean abortRequested;

        Task(String name) {
            this.name = name;
            this.encoder = new WsMessages.ChunkEncoder(name);
        }

        /** Starts the stream, then pulls it (or follows it, when resumable). */
        void runStart(StreamRequest request) {
            try {
                LiveStream ls;
                try {
                    ls = streams.start(request, principal);
                } catch (ApiError.Failure f) {
                    sendError(f.error());
                    return;
                }
                streamId = ls.id();
                attach(ls);
                if (ls.resumable()) {
                    names.register(principal, name, ls.id());
                    follow(ls.buffer().orElseThrow(), -1);
                } else {
                    pull(ls);
                }
            } catch (RuntimeException e) {
                LOG.warn("websocket stream {} failed", streamId, e);
            } finally {
                tasks.remove(name, this);
                streams.sessionEnded();
            }
        }

        void runFollow(StreamBuffer buffer, long after) {
            try {
                follow(buffer, after);
            } catch (StoreUnavailableException e) {
                // the client has every chunk up to here; a resume after the last one it got continues it
                LOG.warn("websocket follower of {}: {}", streamId, e.getMessage());
                reply(WsMessages.error(
                        Optional.of(name),
                        StoreUnavailableException.CODE,
                        "the stream store is unavailable; resume after the last chunk received when it is back",
                        Optional.empty(),
                        503));
            } catch (RuntimeException e) {
                LOG.warn("websocket follower of {} failed", streamId, e);
            } finally {
                tasks.remove(name, this);
                streams.sessionEnded();
            }
        }

        private synchronized void attach(LiveStream ls) {
            live = ls;
            if (abortRequested) {
                ls.abort("client_abort");
            }
            if (gone && !ls.resumable()) {
                ls.clientGone();
            }
        }

        private synchronized boolean attach(StreamBuffer.Follower f) {
            follower = f;
            return !gone;
        }

        /** The client's abort: the stream ends with done(aborted), here and for every other listener. */
        synchronized void abort() {
            abortRequested = true;
            LiveStream ls = live;
            if (ls != null) {
                ls.abort("client_abort");
            } else if (streamId != null) { // a follower: the stream may run on another node
                try {
                    streams.abort(streamId, principal, "client_abort");
                } catch (StoreUnavailableException e) {
                    LOG.warn("websocket abort of {} not delivered: {}", streamId, e.getMessage());
                }
            }
        }

        /** The socket closed: a non-resumable stream stops now (its upstream is cancelled); a follower stops. */
        synchronized void socketGone() {
            gone = true;
            if (live != null && !live.resumable()) {
                live.clientGone();
            }
            if (follower != null) {
                follower.close();
            }
        }

        /** Pulls a non-resumable stream on this thread: a full outbox blocks the pull. */
        private void pull(LiveStream ls) {
            try {
                ls.pull(this::send);
            } finally {
                ls.finish();
            }
        }

        private void follow(StreamBuffer buffer, long after) {
            StreamBuffer.Follower f = buffer.follow(after);
            try {
                if (!attach(f)) {
                    return;
                }
                for (Optional<StreamChunk> next = f.next(); next.isPresent(); next = f.next()) {
                    StreamChunk chunk = next.get();
                    if (!send(chunk) || chunk instanceof DoneChunk) {
                        return;
                    }
                }
            } catch (ChunksEvictedException e) {
                sendError(ApiError.of(410, "chunks_evicted", e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                f.close();
            }
        }

        private boolean send(StreamChunk chunk) {
            if (chunk instanceof DoneChunk) {
                // the name is free from the moment the client can see the done: a client that reuses
                // it right away must not be refused as a duplicate
                tasks.remove(name, this);
            }
            String text = encoder.encode(chunk);
            try {
                return outbox.put(text, encoder.length());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private void sendError(ApiError error) {
            String text = WsMessages.error(Optional.of(name), error);
            try {
                outbox.put(text, WsMessages.utf8Length(text));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static Duration idleTimeout(WebSocketConfig config) {
        return config.pingInterval().multipliedBy(config.maxMissedPongs() + 2L);
    }
}
