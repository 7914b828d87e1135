package io.aistream.server.jetty.ws;

import io.aistream.server.http.WsHandler;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.MessageTooLargeException;

/**
 * Not API: hands Jetty's WebSocket events to a gateway {@link WsHandler}, with the Jetty
 * {@link Session} as its {@link io.aistream.server.http.WsConnection}. Explicitly demanding: the next
 * frame is read only when the handler calls {@code demand()}, so a socket whose client does not read
 * its answers stops being read as well.
 */
public final class WsListener implements Session.Listener {
    private final WsHandler handler;

    public WsListener(WsHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    @Override
    public void onWebSocketOpen(Session session) {
        handler.opened(new JettyWsConnection(session));
    }

    /**
     * Pieces, not whole messages: with a whole-message listener Jetty itself would enforce the size
     * limit and close with 1009 before the handler could say why; the handler bounds the size instead.
     */
    @Override
    public void onWebSocketPartialText(String payload, boolean fin) {
        handler.text(payload, fin);
    }

    /** Pieces too, so that no binary message is ever assembled (the handler refuses binary anyway). */
    @Override
    public void onWebSocketPartialBinary(ByteBuffer payload, boolean fin, Callback callback) {
        callback.succeed();
        handler.binary();
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        handler.ping(payload);
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        handler.pong();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        handler.error(cause, cause instanceof MessageTooLargeException);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        try {
            handler.closed(statusCode, reason);
        } finally {
            callback.succeed();
        }
    }
}
