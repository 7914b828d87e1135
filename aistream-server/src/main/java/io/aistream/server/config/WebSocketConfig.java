package io.aistream.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timing of the gateway's WebSocket endpoint, {@code GET /v1/ws}.
 *
 * <pre>{@code
 * ServerConfig.builder()
 *         .webSocket(WebSocketConfig.defaults().withPingInterval(Duration.ofSeconds(10)))
 *         ...
 * }</pre>
 *
 * @param maxMessageBytes     largest client message accepted (UTF-8 bytes, fragments counted together); a
 *                            bigger one is answered with an {@code error} message ({@code message_too_large},
 *                            naming the limit), then the socket is closed with 1009
 * @param maxStreamsPerSocket streams one socket may run at once (the per-key limit applies as well)
 * @param pingInterval        how often the server pings every socket
 * @param maxMissedPongs      pings in a row that may go unanswered; at the next one the socket is closed
 *                            (1001), so a dead peer is noticed within {@code pingInterval × (maxMissedPongs + 1)}
 * @param sendQueueBytes      outbound bytes a socket may have queued (including the message being
 *                            written); a stream whose next message does not fit waits, which stops
 *                            its pull, so the stream's backpressure strategy decides what happens upstream;
 *                            a single larger message (a {@code coalesce} stream's merged delta may reach
 *                            64K characters) is sent alone when the queue is empty
 * @param sendQueueMessages   outbound messages a socket may have queued, likewise
 */
public record WebSocketConfig(
        int maxMessageBytes,
        int maxStreamsPerSocket,
        Duration pingInterval,
        int maxMissedPongs,
        int sendQueueBytes,
        int sendQueueMessages) {

    public WebSocketConfig {
        positive(maxMessageBytes, "maxMessageBytes");
        positive(maxStreamsPerSocket, "maxStreamsPerSocket");
        Objects.requireNonNull(pingInterval, "pingInterval");
        if (pingInterval.isNegative() || pingInterval.isZero()) {
            throw new IllegalArgumentException("pingInterval must be positive: " + pingInterval);
        }
        positive(maxMissedPongs, "maxMissedPongs");
        positive(sendQueueBytes, "sendQueueBytes");
        positive(sendQueueMessages, "sendQueueMessages");
    }

    /** 1 MiB messages, 32 streams per socket, a ping every 30 s (2 may be missed), 1 MiB / 1,024 messages queued. */
    public static WebSocketConfig defaults() {
        return new WebSocketConfig(1 << 20, 32, Duration.ofSeconds(30), 2, 1 << 20, 1024);
    }

    public WebSocketConfig withMaxMessageBytes(int value) {
        return new WebSocketConfig(
                value, maxStreamsPerSocket, pingInterval, maxMissedPongs, sendQueueBytes, sendQueueMessages);
    }

    public WebSocketConfig withMaxStreamsPerSocket(int value) {
        return new WebSocketConfig(
                maxMessageBytes, value, pingInterval, maxMissedPongs, sendQueueBytes, sendQueueMessages);
    }

    public WebSocketConfig withPingInterval(Duration value) {
        return new WebSocketConfig(
                maxMessageBytes, maxStreamsPerSocket, value, maxMissedPongs, sendQueueBytes, sendQueueMessages);
    }

    public WebSocketConfig withMaxMissedPongs(int value) {
        return new WebSocketConfig(
                maxMessageBytes, maxStreamsPerSocket, pingInterval, value, sendQueueBytes, sendQueueMessages);
    }

    public WebSocketConfig withSendQueue(int bytes, int messages) {
        return new WebSocketConfig(maxMessageBytes, maxStreamsPerSocket, pingInterval, maxMissedPongs, bytes, messages);
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
