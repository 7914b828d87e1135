package io.aistream.server.jetty.ws;

import io.aistream.server.http.WsConnection;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** A Jetty WebSocket {@link Session} as a {@link WsConnection}; Jetty's callbacks complete the sends. */
final class JettyWsConnection implements WsConnection {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Session session;

    JettyWsConnection(Session session) {
        this.session = session;
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public void demand() {
        session.demand();
    }

    @Override
    public void sendText(String text, SendCallback done) {
        session.sendText(text, callback(done));
    }

    @Override
    public void sendPing(SendCallback done) {
        session.sendPing(EMPTY.duplicate(), callback(done));
    }

    @Override
    public void sendPong(ByteBuffer payload, SendCallback done) {
        session.sendPong(payload, callback(done));
    }

    @Override
    public void close(int code, String reason, SendCallback done) {
        session.close(code, reason, callback(done));
    }

    @Override
    public void disconnect() {
        session.disconnect();
    }

    private static Callback callback(SendCallback done) {
        return Callback.from(done::succeeded, done::failed);
    }
}
