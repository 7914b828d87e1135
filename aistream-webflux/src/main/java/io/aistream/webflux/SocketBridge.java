package io.aistream.webflux;

import io.aistream.server.http.WsConnection;
import io.aistream.server.http.WsHandler;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * One upgraded WebSocket: Spring's {@link WebSocketSession} as the gateway's {@link WsConnection}, its
 * inbound frames fed to a {@link WsHandler}.
 *
 * <ul>
 *   <li>Inbound frames are requested one at a time, on {@link #demand()} only. On Reactor Netty the
 *       raw frames are read ({@link NettyFrames}): text fragments with their final flag, pings; on
 *       another server Spring's whole messages, each as one final piece.
 *   <li>Sends are one frame at a time (the caller waits for the callback), each its own
 *       {@code session.send}, completed once the server wrote it.
 *   <li>The idle timeout is this class's own (Spring has no such setting for every server): a socket
 *       without inbound or outbound traffic for that long is closed with 1001.
 * </ul>
 *
 * <p>The handler is called one event at a time (a lock), on the server's threads. {@link #run()} gives
 * the {@code Mono} the {@code WebSocketHandler} returns: it completes when the socket is over.
 */
final class SocketBridge implements WsConnection {
    private static final Logger LOG = LoggerFactory.getLogger(SocketBridge.class);

    /** Reactor Netty's "frame too large" close status. */
    private static final int TOO_BIG = 1009;

    private final WebSocketSession session;
    private final WsHandler handler;
    private final Duration idleTimeout;
    private final Sinks.Empty<Void> ended = Sinks.empty();
    private final AtomicBoolean over = new AtomicBoolean();
    private final Object events = new Object();
    private final Inbound inbound = new Inbound();
    private final Utf8Fragments text = new Utf8Fragments();
    private volatile long lastActivity = System.nanoTime();
    private volatile CloseStatus sentClose;
    private Disposable idleCheck;

    SocketBridge(WebSocketSession session, WsHandler handler, Duration idleTimeout) {
        this.session = session;
        this.handler = handler;
        this.idleTimeout = idleTimeout;
    }

    /** Starts reading (on demand) and tells the handler; the result completes when the socket is over. */
    Mono<Void> run() {
        NettyFrames.receive(session, this).orElseGet(this::springMessages).subscribe(inbound);
        if (idleTimeout != null && !idleTimeout.isZero()) {
            long period = Math.max(10, idleTimeout.toMillis() / 4);
            idleCheck = Schedulers.parallel()
                    .schedulePeriodically(this::checkIdle, period, period, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        synchronized (events) {
            handler.opened(this);
        }
        return ended.asMono();
    }

    private reactor.core.publisher.Flux<Runnable> springMessages() {
        return session.receive().map(message -> {
            Runnable event = toEvent(message);
            return event;
        });
    }

    /** One of Spring's messages as a handler call; its payload is read now (the server frees it after). */
    private Runnable toEvent(WebSocketMessage message) {
        DataBuffer payload = message.getPayload();
        switch (message.getType()) {
            case TEXT -> {
                String t = message.getPayloadAsText();
                return () -> handler.text(t, true);
            }
            case BINARY -> {
                return handler::binary;
            }
            case PING -> {
                byte[] bytes = new byte[payload.readableByteCount()];
                payload.read(bytes);
                return () -> handler.ping(ByteBuffer.wrap(bytes));
            }
            default -> {
                return handler::pong;
            }
        }
    }

    /** A text frame's payload as a handler call; invalid UTF-8 closes with 1007. */
    Runnable textFrame(ByteBuffer payload, boolean last) {
        try {
            String fragment = text.decode(payload, last);
            return () -> handler.text(fragment, last);
        } catch (CharacterCodingException e) {
            return () -> {
                handler.error(e, false);
                close(1007, "invalid UTF-8", NO_CALLBACK);
            };
        }
    }

    /** A ping frame's payload as a handler call. */
    Runnable pingFrame(ByteBuffer payload) {
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
        return () -> handler.ping(copy);
    }

    /** A binary frame as a handler call. */
    Runnable binaryFrame() {
        return handler::binary;
    }

    /** A pong frame as a handler call. */
    Runnable pongFrame() {
        return handler::pong;
    }

    private void checkIdle() {
        if (!over.get() && System.nanoTime() - lastActivity > idleTimeout.toNanos()) {
            LOG.debug("websocket idle for {} ms: closing", idleTimeout.toMillis());
            synchronized (events) {
                handler.error(new TimeoutException("idle for " + idleTimeout.toMillis() + " ms"), false);
            }
            close(WsConnection.GOING_AWAY, "idle timeout", NO_CALLBACK);
        }
    }

    private void end(Throwable failure) {
        if (!over.compareAndSet(false, true)) {
            return;
        }
        if (idleCheck != null) {
            idleCheck.dispose();
        }
        Mono<CloseStatus> status = failure == null
                ? session.closeStatus()
                : Mono.justOrEmpty(tooBig(failure) ? new CloseStatus(TOO_BIG, "message too big") : null);
        status.defaultIfEmpty(sentClose != null ? sentClose : new CloseStatus(1006, "connection lost"))
                .onErrorReturn(new CloseStatus(1006, "connection lost"))
                .subscribe(s -> {
                    synchronized (events) {
                        if (failure != null) {
                            handler.error(failure, tooBig(failure));
                        }
                        handler.closed(s.getCode(), s.getReason() == null ? "" : s.getReason());
                    }
                    ended.tryEmitEmpty();
                });
    }

    /** Whether the server refused a frame over its size limit (Netty reports it with the close status 1009). */
    private static boolean tooBig(Throwable failure) {
        return NettyFrames.closeStatus(failure) == TOO_BIG;
    }

    // ---- WsConnection ----------------------------------------------------------------------------

    @Override
    public boolean isOpen() {
        return !over.get() && session.isOpen();
    }

    @Override
    public void demand() {
        inbound.demandOne();
    }

    @Override
    public void sendText(String message, SendCallback done) {
        send(session.textMessage(message), done);
    }

    @Override
    public void sendPing(SendCallback done) {
        send(session.pingMessage(f -> f.allocateBuffer(0)), done);
    }

    @Override
    public void sendPong(ByteBuffer payload, SendCallback done) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        send(session.pongMessage(f -> f.wrap(bytes)), done);
    }

    @Override
    public void close(int code, String reason, SendCallback done) {
        CloseStatus status = new CloseStatus(code, reason);
        if (sentClose == null) {
            sentClose = status;
        }
        session.close(status).subscribe(null, done::failed, done::succeeded);
    }

    @Override
    public void disconnect() {
        if (!NettyFrames.dispose(session)) {
            session.close(CloseStatus.GOING_AWAY).subscribe(null, e -> {}, () -> {});
        }
        end(null);
    }

    private void send(WebSocketMessage message, SendCallback done) {
        session.send(Mono.just(message)).subscribe(null, done::failed, () -> {
            lastActivity = System.nanoTime();
            done.succeeded();
        });
    }

    private static final SendCallback NO_CALLBACK = new SendCallback() {
        @Override
        public void succeeded() {}

        @Override
        public void failed(Throwable cause) {}
    };

    /**
     * The inbound frames, requested one by one; each runs as one handler call. A demand that comes
     * before the subscription does (Reactor Netty may subscribe on its event loop later) is kept and
     * requested once it has come: without that the handler's first demand is lost and the socket
     * never reads the client's first message.
     */
    private final class Inbound extends BaseSubscriber<Runnable> {
        private final AtomicLong early = new AtomicLong();

        void demandOne() {
            if (upstream() != null) {
                request(1);
                return;
            }
            early.incrementAndGet();
            if (upstream() != null) { // subscribed meanwhile: whoever takes the count requests it
                long n = early.getAndSet(0);
                if (n > 0) {
                    request(n);
                }
            }
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            // the handler asks for each frame; only what it asked for before now is requested here
            long n = early.getAndSet(0);
            if (n > 0) {
                subscription.request(n);
            }
        }

        @Override
        protected void hookOnNext(Runnable event) {
            lastActivity = System.nanoTime();
            synchronized (events) {
                event.run();
            }
        }

        @Override
        protected void hookOnComplete() {
            end(null);
        }

        @Override
        protected void hookOnError(Throwable failure) {
            LOG.debug("websocket failed: {}", failure.toString());
            end(failure);
        }
    }
}
