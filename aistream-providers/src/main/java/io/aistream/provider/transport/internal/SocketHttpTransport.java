package io.aistream.provider.transport.internal;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.provider.spi.UpstreamRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * The {@link HttpTransport} over blocking sockets: HTTP/1.1 only, {@code http} and {@code https},
 * no proxy, a keep-alive pool per scheme, host and port.
 *
 * <p>Everything happens on the thread that starts the exchange and reads its body — connect, TLS
 * handshake, request write, head and body reads — which suits virtual threads: a blocked read parks
 * the virtual thread and costs no carrier. Aborting closes the socket, which ends any of those at
 * once. Once the head is read, the body of a plain (non-TLS) exchange may instead be read without
 * blocking ({@link Exchange#nonBlockingBody()}), woken by the shared {@link IoLoops}.
 *
 * <p>Thread-safe; one instance serves every stream of an {@code UpstreamClient}.
 */
public final class SocketHttpTransport implements HttpTransport {
    private final SSLContext sslContext;
    private final int connectTimeoutMillis;
    private final int readBufferBytes;
    private final String userAgent;
    private final ConnectionPool pool;
    private volatile SSLSocketFactory tlsFactory;

    /**
     * @param sslContext         the TLS context, or null for {@link SSLContext#getDefault()} (looked up
     *                           on the first {@code https} request)
     * @param connectTimeout     for the TCP connect, and again for the TLS handshake
     * @param readBufferBytes    each connection's read buffer
     * @param maxIdlePerEndpoint idle connections kept per scheme, host and port (0: no reuse)
     * @param idleTimeout        how long an idle connection is kept
     * @param userAgent          sent unless the provider's request has a {@code User-Agent}
     */
    public SocketHttpTransport(
            SSLContext sslContext,
            Duration connectTimeout,
            int readBufferBytes,
            int maxIdlePerEndpoint,
            Duration idleTimeout,
            String userAgent) {
        this(sslContext, connectTimeout, readBufferBytes, maxIdlePerEndpoint, idleTimeout, userAgent, System::nanoTime);
    }

    SocketHttpTransport(
            SSLContext sslContext,
            Duration connectTimeout,
            int readBufferBytes,
            int maxIdlePerEndpoint,
            Duration idleTimeout,
            String userAgent,
            LongSupplier nanoTime) {
        this.sslContext = sslContext;
        this.connectTimeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        if (readBufferBytes < 1 || maxIdlePerEndpoint < 0) {
            throw new IllegalArgumentException("readBufferBytes must be positive and maxIdlePerEndpoint not negative");
        }
        this.readBufferBytes = readBufferBytes;
        this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
        this.pool = new ConnectionPool(maxIdlePerEndpoint, idleTimeout, nanoTime);
        if (maxIdlePerEndpoint > 0) {
            // the pool, not this transport, is what the sweeper holds (weakly): a dropped transport is collected
            IdleSweeper.every(pool.sweepPeriod(), pool, ConnectionPool::sweep);
        }
    }

    @Override
    public Exchange newExchange(UpstreamRequest request, String provider) {
        Endpoint endpoint;
        try {
            endpoint = Endpoint.of(request.uri());
        } catch (IllegalArgumentException e) {
            throw new AIStreamException(ErrorCode.INTERNAL, provider + ": cannot send to this URI: " + e.getMessage());
        }
        RequestEncoder.Encoded encoded = RequestEncoder.encode(request, endpoint, userAgent, provider);
        return new SocketExchange(this, endpoint, encoded);
    }

    @Override
    public void closeIdleConnections() {
        pool.closeIdle();
    }

    ConnectionPool pool() {
        return pool;
    }

    int connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    int readBufferBytes() {
        return readBufferBytes;
    }

    /** The TLS socket factory, made on first use. */
    SSLSocketFactory tlsFactory() throws java.io.IOException {
        SSLSocketFactory f = tlsFactory;
        if (f == null) {
            try {
                f = (sslContext != null ? sslContext : SSLContext.getDefault()).getSocketFactory();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new java.io.IOException("no default TLS context", e);
            }
            tlsFactory = f;
        }
        return f;
    }
}
