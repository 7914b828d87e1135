package io.aistream.servlet;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import java.lang.reflect.Field;
import java.nio.channels.SocketChannel;

/**
 * On Tomcat (its NIO connector, HTTP/1.1), the client's close is watched on the connection's socket
 * channel: Tomcat reads an async request's connection only while the application reads its body, so
 * without this a client that leaves while the upstream is silent would be seen only at the next
 * write. The channel is reached through Tomcat's request objects reflectively (the binding needs no
 * Tomcat class, and does nothing on other containers, with another connector, on HTTP/2, or when
 * Tomcat's classes are not open to it) and handed to the {@link ChannelWatcher}.
 *
 * <p>Bytes arriving on the connection while a response streams count as the client going away: an
 * HTTP/1.1 client sends its next request only once the response has ended (nobody pipelines behind an
 * event stream), and over TLS what arrives is the client's close_notify.
 */
final class TomcatChannelWatch {
    private static final String FACADE = "org.apache.catalina.connector.RequestFacade";
    private static final String HTTP11 = "org.apache.coyote.http11.Http11Processor";
    private static final Runnable NOTHING = () -> {};

    private TomcatChannelWatch() {}

    /** Starts watching if {@code request} is Tomcat's; returns the handle that stops it (a no-op elsewhere). */
    static Runnable watch(ServletRequest request, Runnable gone) {
        SocketChannel channel = channelOf(request);
        return channel == null ? NOTHING : ChannelWatcher.shared().watch(channel, gone);
    }

    /** The socket channel under a Tomcat HTTP/1.1 request, or null. */
    static SocketChannel channelOf(ServletRequest request) {
        ServletRequest r = request;
        while (r instanceof ServletRequestWrapper wrapper) {
            r = wrapper.getRequest();
        }
        if (!r.getClass().getName().equals(FACADE)) {
            return null;
        }
        try {
            Object catalina = field(r, "request");
            Object coyote = catalina.getClass().getMethod("getCoyoteRequest").invoke(catalina);
            Object processor = field(coyote, "hook");
            if (processor == null || !processor.getClass().getName().equals(HTTP11)) {
                return null;
            }
            Object wrapper = field(processor, "socketWrapper");
            Object socket = wrapper.getClass().getMethod("getSocket").invoke(wrapper);
            return socket.getClass().getMethod("getIOChannel").invoke(socket) instanceof SocketChannel channel
                    ? channel
                    : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null; // another Tomcat layout, or its classes closed to us: writes still show the close
        }
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field f = type.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(target);
            } catch (NoSuchFieldException e) {
                // declared higher up
            }
        }
        throw new NoSuchFieldException(name);
    }
}
