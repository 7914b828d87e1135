package io.aistream.server.http;

import java.nio.ByteBuffer;

/**
 * The inbound side of one WebSocket: what a protocol does with its events. A binding calls these
 * one at a time, from one thread at a time, and reads the next frame only when the handler calls
 * {@link WsConnection#demand()}. Handling must not block.
 */
public interface WsHandler {
    void opened(WsConnection connection);

    /**
     * A piece of a text message, in order; {@code last} on the message's final piece. The binding
     * does not assemble messages (nor limit their size): the handler counts and bounds them, so that
     * it can answer an oversized one itself before closing. Each piece is at most one frame's payload.
     */
    void text(String fragment, boolean last);

    /** A binary frame arrived (its payload is dropped); called for each frame of a fragmented message. */
    void binary();

    void ping(ByteBuffer payload);

    void pong();

    /**
     * The socket failed; {@code messageTooLarge} when an inbound frame exceeded a limit of the binding
     * itself (the binding then closes with 1009).
     */
    void error(Throwable cause, boolean messageTooLarge);

    void closed(int statusCode, String reason);
}
