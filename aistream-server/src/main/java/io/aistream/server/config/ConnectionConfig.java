package io.aistream.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How slow a client may be and how many connections one client address may hold: the gateway's
 * defence against slowloris-style clients that hold connections open by trickling bytes (every byte
 * would otherwise reset the idle timeout).
 *
 * <pre>{@code
 * ServerConfig.builder()
 *         .connections(ConnectionConfig.defaults().withMaxConnectionsPerAddress(0)) // behind a proxy
 *         ...
 * }</pre>
 *
 * @param requestHeaderTimeout     a request's line and headers must arrive within this time of the first
 *                                 byte of the request (or of the connection's opening); a slower client's
 *                                 connection is answered {@code 408} and closed. {@link Duration#ZERO} = off
 * @param minRequestBodyRate       bytes per second a request body must arrive at, on average, after
 *                                 {@code requestBodyGrace}; a slower body is answered {@code 408}
 *                                 ({@code request_timeout}) and its connection closed. 0 = off
 * @param requestBodyGrace         time a body may take before the rate counts: a body of {@code n} bytes may
 *                                 take {@code requestBodyGrace + n / minRequestBodyRate} seconds
 * @param maxConnectionsPerAddress open connections one client IP address may hold; beyond it new
 *                                 connections are closed at once. Behind a reverse proxy every connection
 *                                 has the proxy's address: raise it or set 0 (off) there
 */
public record ConnectionConfig(
        Duration requestHeaderTimeout,
        int minRequestBodyRate,
        Duration requestBodyGrace,
        int maxConnectionsPerAddress) {

    public ConnectionConfig {
        notNegative(requestHeaderTimeout, "requestHeaderTimeout");
        if (minRequestBodyRate < 0) {
            throw new IllegalArgumentException("minRequestBodyRate must not be negative: " + minRequestBodyRate);
        }
        notNegative(requestBodyGrace, "requestBodyGrace");
        if (maxConnectionsPerAddress < 0) {
            throw new IllegalArgumentException(
                    "maxConnectionsPerAddress must not be negative: " + maxConnectionsPerAddress);
        }
    }

    /** Headers within 15 s, bodies at 1,024 bytes/s after a 10 s grace, 256 connections per address. */
    public static ConnectionConfig defaults() {
        return new ConnectionConfig(Duration.ofSeconds(15), 1024, Duration.ofSeconds(10), 256);
    }

    public ConnectionConfig withRequestHeaderTimeout(Duration value) {
        return new ConnectionConfig(value, minRequestBodyRate, requestBodyGrace, maxConnectionsPerAddress);
    }

    /** The minimum body rate (bytes per second) and the time before it counts. */
    public ConnectionConfig withMinRequestBodyRate(int bytesPerSecond, Duration grace) {
        return new ConnectionConfig(requestHeaderTimeout, bytesPerSecond, grace, maxConnectionsPerAddress);
    }

    public ConnectionConfig withMaxConnectionsPerAddress(int value) {
        return new ConnectionConfig(requestHeaderTimeout, minRequestBodyRate, requestBodyGrace, value);
    }

    private static void notNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
