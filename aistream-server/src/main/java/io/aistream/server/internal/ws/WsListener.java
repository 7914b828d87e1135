package io.aistream.server.internal.ws;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Not API: hands Jetty's WebSocket events to the gateway's socket logic. Explicitly demanding: the
 * next frame is read only when the {@link Events} implementation calls {@link Session#demand()}, so
 * a socket whose client does not read its answers stops being read as well.
 */
public final class WsListener implements Session.Listener {
    /** What the gateway does with a socket's events; called by one Jetty thread at a time. */
    public interface Events {
        void opened(Session session);

        void text(String message);

        void binary();

        void ping(ByteBuffer payload);

        void pong();

        void error(Throwable cause);

        void closed(int statusCode, String reason);
    }

    private final Events events;

    public WsListener(Events events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    @Override
    public void onWebSocketOpen(Session session) {
        events.opened(session);
    }

    @Override
    public void onWebSocketText(String message) {
        events.text(message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        events.binary();
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        events.ping(payload);
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        events.pong();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        events.error(cause);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        try {
            events.closed(statusCode, reason);
        } finally {
            callback.succeed();
        }
    }
}
