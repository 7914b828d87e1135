package io.aistream.servlet.ws;

import io.aistream.server.http.WsHandler;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upgraded socket: the container's Jakarta WebSocket events handed to the gateway's
 * {@link WsHandler}, with the session as its {@link SessionConnection}. Text and binary arrive in
 * pieces ({@link MessageHandler.Partial}), so the container assembles nothing and the handler bounds
 * the message size itself (and answers an oversized message before its 1009). Each text or binary
 * piece waits for the handler's demand ({@link WsDemand}). Pings are answered by the container
 * (Jakarta WebSocket does not hand them to the application); pongs go to the handler.
 *
 * <p>Not API: public because the containers refuse a non-public endpoint class.
 */
public final class GatewayEndpoint extends Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayEndpoint.class);

    private final WsHandler handler;
    private final int maxMessageBytes;
    private final Duration idleTimeout;
    private final WsDemand demand;

    GatewayEndpoint(WsHandler handler, int maxMessageBytes, Duration idleTimeout) {
        this.handler = handler;
        this.maxMessageBytes = maxMessageBytes;
        this.idleTimeout = idleTimeout;
        this.demand = new WsDemand(idleTimeout);
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        session.setMaxTextMessageBufferSize(maxMessageBytes);
        session.setMaxBinaryMessageBufferSize(maxMessageBytes);
        session.setMaxIdleTimeout(WsDemand.millis(idleTimeout));
        session.addMessageHandler(String.class, (MessageHandler.Partial<String>) (text, last) -> {
            if (waitForDemand()) {
                handler.text(text, last);
            }
        });
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (bytes, last) -> {
            if (waitForDemand()) {
                handler.binary();
            }
        });
        session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> handler.pong());
        handler.opened(new SessionConnection(session, demand));
    }

    /** False when the socket closed while waiting, or the handler demanded nothing within the bound (then the piece is dropped). */
    private boolean waitForDemand() {
        if (demand.take()) {
            return true;
        }
        LOG.debug("websocket: no demand within {} ms, frame dropped", idleTimeout.toMillis());
        return false;
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        demand.close();
        handler.closed(reason.getCloseCode().getCode(), reason.getReasonPhrase());
    }

    @Override
    public void onError(Session session, Throwable cause) {
        handler.error(cause, tooBig(cause));
    }

    /**
     * Whether a limit of the container's own refused a frame. Jakarta WebSocket names no exception for
     * it: Jetty throws a {@code MessageTooLargeException}, Tomcat reports the 1009 it closes with.
     */
    static boolean tooBig(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName().toLowerCase(Locale.ROOT);
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (name.contains("toolarge") || name.contains("toobig") || message.contains("1009")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
