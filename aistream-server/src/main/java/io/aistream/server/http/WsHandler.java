package io.aistream.server.http;

import java.nio.ByteBuffer;

/**
 * The inbound side of one WebSocket: what a protocol does with its events. A binding calls these
 * one at a time, from one thread at a time, and reads the next frame only when the handler calls
 * {@link WsConnection#demand()}. Handling must not block.
 */
public interface WsHandler {
    void opened(WsConnection connection);

    void text(String message);

    /** A binary frame arrived (its payload is dropped). */
    void binary();

    void ping(ByteBuffer payload);

    void pong();

    /**
     * The socket failed; {@code messageTooLarge} when an inbound message exceeded the configured limit
     * (the binding then closes with 1009).
     */
    void error(Throwable cause, boolean messageTooLarge);

    void closed(int statusCode, String reason);
}
