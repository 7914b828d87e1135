package io.aistream.server.http;

import java.nio.ByteBuffer;

/**
 * The outbound side of one WebSocket, as a binding presents it: text frames, pings, pongs and the
 * close, each completed through a {@link SendCallback}. At most one frame is sent at a time (the
 * caller waits for the previous one's callback); the callback may run on the calling thread.
 * Inbound frames are read only on {@link #demand()}: a handler that does not ask reads nothing.
 */
public interface WsConnection {
    /** Close code: the endpoint is going away (RFC 6455 1001). */
    int GOING_AWAY = 1001;
    /** Close code: a data type the endpoint does not take (RFC 6455 1003). */
    int UNSUPPORTED_DATA = 1003;
    /** Close code: the peer broke the endpoint's policy (RFC 6455 1008). */
    int POLICY_VIOLATION = 1008;
    /** Close code: a message too big to process (RFC 6455 1009). */
    int MESSAGE_TOO_BIG = 1009;

    /** How a frame's write ended. */
    interface SendCallback {
        void succeeded();

        void failed(Throwable cause);
    }

    boolean isOpen();

    /** Asks for the next inbound frame. */
    void demand();

    void sendText(String text, SendCallback done);

    void sendPing(SendCallback done);

    void sendPong(ByteBuffer payload, SendCallback done);

    /** Sends the close frame. */
    void close(int code, String reason, SendCallback done);

    /** Drops the connection without a close handshake. */
    void disconnect();
}
