package io.aistream.webflux;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.lang.Nullable;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.adapter.ReactorNettyWebSocketSession;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * The WebSocket frames of Reactor Netty, read raw: Spring's messages carry no "final fragment" flag
 * and refuse continuation frames, so on Reactor Netty the binding reads Netty's frames itself (text
 * fragments in order, their flag, pings). Every method checks that Reactor Netty is present before
 * touching its types. Stateless.
 */
final class NettyFrames {
    private static final boolean PRESENT =
            ClassUtils.isPresent("reactor.netty.http.server.WebsocketServerSpec", NettyFrames.class.getClassLoader());

    private NettyFrames() {}

    /**
     * Reactor Netty's upgrade with this frame size limit and pings handed to the application (the
     * gateway answers them itself); null when Reactor Netty is absent (Spring then picks the strategy).
     */
    static RequestUpgradeStrategy upgradeStrategy(int maxFramePayloadBytes) {
        return PRESENT ? Impl.upgradeStrategy(maxFramePayloadBytes) : null;
    }

    /** The session's frames as handler calls, when it is Reactor Netty's. */
    static Optional<Flux<Runnable>> receive(WebSocketSession session, SocketBridge bridge) {
        return PRESENT ? Impl.receive(session, bridge) : Optional.empty();
    }

    /** Drops the session's connection without a close handshake; false when it is not Reactor Netty's. */
    static boolean dispose(WebSocketSession session) {
        return PRESENT && Impl.dispose(session);
    }

    /** The close status Netty meant by a frame it refused (1009 for one over the size limit), else -1. */
    static int closeStatus(Throwable failure) {
        return PRESENT ? Impl.closeStatus(failure) : -1;
    }

    /** Loaded only when Reactor Netty is present: the only code here that names its types. */
    private static final class Impl {
        private Impl() {}

        static RequestUpgradeStrategy upgradeStrategy(int maxFramePayloadBytes) {
            return new Upgrade(maxFramePayloadBytes);
        }

        static Optional<Flux<Runnable>> receive(WebSocketSession session, SocketBridge bridge) {
            if (!(session instanceof FrameSession netty)) {
                return Optional.empty();
            }
            boolean[] inText = {false};
            return Optional.of(netty.frames().map(frame -> event(frame, bridge, inText)));
        }

        private static Runnable event(WebSocketFrame frame, SocketBridge bridge, boolean[] inText) {
            if (frame instanceof TextWebSocketFrame) {
                inText[0] = !frame.isFinalFragment();
                return bridge.textFrame(frame.content().nioBuffer(), frame.isFinalFragment());
            }
            if (frame instanceof ContinuationWebSocketFrame) {
                if (inText[0]) {
                    inText[0] = !frame.isFinalFragment();
                    return bridge.textFrame(frame.content().nioBuffer(), frame.isFinalFragment());
                }
                return bridge.binaryFrame();
            }
            if (frame instanceof BinaryWebSocketFrame) {
                return bridge.binaryFrame();
            }
            if (frame instanceof PingWebSocketFrame) {
                return bridge.pingFrame(frame.content().nioBuffer());
            }
            if (frame instanceof PongWebSocketFrame) {
                return bridge.pongFrame();
            }
            return () -> {}; // a close frame: Reactor Netty answers it and ends the inbound flux
        }

        static boolean dispose(WebSocketSession session) {
            if (!(session instanceof FrameSession netty)) {
                return false;
            }
            netty.dispose();
            return true;
        }

        static int closeStatus(Throwable failure) {
            if (failure instanceof CorruptedWebSocketFrameException corrupted) {
                return corrupted.closeStatus().code();
            }
            return -1;
        }
    }

    /**
     * Spring's upgrade on Reactor Netty, done the same way as Spring's own strategy (the WebFlux
     * response committed first, then Reactor Netty's handshake with this frame limit, pings passed
     * through), but with a session that also gives the raw frames. A WebFlux app served by another
     * server (Tomcat, Jetty) that merely has Reactor Netty on its class path is upgraded by the
     * strategy Spring picks for that server.
     */
    private static final class Upgrade implements RequestUpgradeStrategy {
        private final int maxFramePayloadBytes;
        private volatile RequestUpgradeStrategy otherServers;

        Upgrade(int maxFramePayloadBytes) {
            this.maxFramePayloadBytes = maxFramePayloadBytes;
        }

        private RequestUpgradeStrategy otherServers() {
            RequestUpgradeStrategy s = otherServers;
            if (s == null) {
                s = new HandshakeWebSocketService().getUpgradeStrategy();
                otherServers = s;
            }
            return s;
        }

        @Override
        public Mono<Void> upgrade(
                ServerWebExchange exchange,
                WebSocketHandler handler,
                @Nullable String subProtocol,
                Supplier<HandshakeInfo> handshakeInfoFactory) {
            ServerHttpResponse response = exchange.getResponse();
            if (!(ServerHttpResponseDecorator.getNativeResponse(response)
                    instanceof HttpServerResponse nettyResponse)) {
                return otherServers().upgrade(exchange, handler, subProtocol, handshakeInfoFactory);
            }
            HandshakeInfo info = handshakeInfoFactory.get();
            NettyDataBufferFactory buffers = (NettyDataBufferFactory) response.bufferFactory();
            WebsocketServerSpec.Builder spec = WebsocketServerSpec.builder()
                    .maxFramePayloadLength(maxFramePayloadBytes)
                    .handlePing(true);
            if (subProtocol != null) {
                spec.protocols(subProtocol);
            }
            WebsocketServerSpec built = spec.build();
            Mono<Void> handshake = response.setComplete()
                    .then(Mono.defer(() -> nettyResponse.sendWebsocket(
                            (in, out) -> handler.handle(new FrameSession(in, out, info, buffers, maxFramePayloadBytes)),
                            built)));
            // The gateway asks for the upgrade from a virtual thread. Done from there, Reactor Netty may
            // finish the handshake and read the client's first frame before the session's receiver is in
            // place, and drop it: the handshake runs on the connection's own event loop instead.
            EventLoop[] loop = {null};
            nettyResponse.withConnection(
                    connection -> loop[0] = connection.channel().eventLoop());
            return loop[0] == null || loop[0].inEventLoop()
                    ? handshake
                    : handshake.subscribeOn(Schedulers.fromExecutor(loop[0]));
        }
    }

    /** Reactor Netty's session, with its raw inbound frames and its connection reachable. */
    private static final class FrameSession extends ReactorNettyWebSocketSession {
        FrameSession(
                WebsocketInbound in,
                WebsocketOutbound out,
                HandshakeInfo info,
                NettyDataBufferFactory buffers,
                int maxFramePayloadBytes) {
            super(in, out, info, buffers, maxFramePayloadBytes);
        }

        Flux<WebSocketFrame> frames() {
            return getDelegate().getInbound().receiveFrames();
        }

        void dispose() {
            getDelegate().getInbound().withConnection(c -> c.dispose());
        }
    }
}
