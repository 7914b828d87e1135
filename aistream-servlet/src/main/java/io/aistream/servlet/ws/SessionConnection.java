package io.aistream.servlet.ws;

import io.aistream.server.http.WsConnection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jakarta WebSocket {@link Session} as the gateway's {@link WsConnection}. Text goes through the
 * session's async remote (its {@code SendHandler} completes the callback); pings, pongs and the close
 * are blocking calls in Jakarta WebSocket, so they run on a virtual thread of their own and complete
 * the callback from there (the caller — often a send callback — must not block). Demand is
 * {@link WsDemand}'s.
 */
final class SessionConnection implements WsConnection {
    private static final Logger LOG = LoggerFactory.getLogger(SessionConnection.class);

    private final Session session;
    private final WsDemand demand;

    SessionConnection(Session session, WsDemand demand) {
        this.session = session;
        this.demand = demand;
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public void demand() {
        demand.demand();
    }

    @Override
    public void sendText(String text, SendCallback done) {
        try {
            session.getAsyncRemote().sendText(text, result -> {
                if (result.isOK()) {
                    done.succeeded();
                } else {
                    done.failed(result.getException());
                }
            });
        } catch (RuntimeException e) {
            done.failed(e);
        }
    }

    @Override
    public void sendPing(SendCallback done) {
        blocking(() -> session.getAsyncRemote().sendPing(ByteBuffer.allocate(0)), done);
    }

    @Override
    public void sendPong(ByteBuffer payload, SendCallback done) {
        blocking(() -> session.getAsyncRemote().sendPong(payload), done);
    }

    @Override
    public void close(int code, String reason, SendCallback done) {
        blocking(() -> session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason)), done);
    }

    /**
     * Jakarta WebSocket has no abort: the closest is a close with 1006, which the containers take as
     * "close the socket without a close frame" (and Tomcat and Jetty do so); a container that refuses
     * it gets a 1001 close instead.
     */
    @Override
    public void disconnect() {
        Thread.ofVirtual().name("aistream-ws-disconnect").start(() -> {
            try {
                session.close(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, ""));
            } catch (IOException | RuntimeException e) {
                try {
                    session.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, ""));
                } catch (IOException | RuntimeException again) {
                    LOG.debug("websocket could not be dropped", again);
                }
            }
        });
    }

    private interface Send {
        void run() throws IOException;
    }

    private static void blocking(Send send, SendCallback done) {
        Thread.ofVirtual().name("aistream-ws-send").start(() -> {
            try {
                send.run();
            } catch (IOException | RuntimeException e) {
                done.failed(e);
                return;
            }
            done.succeeded();
        });
    }
}
