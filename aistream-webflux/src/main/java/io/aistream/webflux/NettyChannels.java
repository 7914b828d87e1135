package io.aistream.webflux;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.ClassUtils;

/**
 * What only Reactor Netty offers, reached without a hard dependency: this class touches Netty types
 * only after checking that Reactor Netty is on the class path. Stateless.
 */
final class NettyChannels {
    private static final boolean PRESENT =
            ClassUtils.isPresent("reactor.netty.Connection", NettyChannels.class.getClassLoader());

    private NettyChannels() {}

    /**
     * Runs {@code onClose} when the connection of {@code request} closes, on Reactor Netty.
     *
     * @return what removes the listener; null when the request is not Reactor Netty's
     */
    static AutoCloseable onClose(ServerHttpRequest request, Runnable onClose) {
        if (!PRESENT) {
            return null;
        }
        return Hook.onClose(ServerHttpRequestDecorator.getNativeRequest(request), onClose);
    }

    /** Loaded only when Reactor Netty is present. */
    private static final class Hook {
        static AutoCloseable onClose(Object nativeRequest, Runnable onClose) {
            if (!(nativeRequest instanceof reactor.netty.Connection connection)) {
                return null;
            }
            Channel channel = connection.channel();
            ChannelFutureListener listener = future -> onClose.run();
            channel.closeFuture().addListener(listener);
            return () -> channel.closeFuture().removeListener(listener);
        }
    }
}
