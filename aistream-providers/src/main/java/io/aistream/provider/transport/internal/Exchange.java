package io.aistream.provider.transport.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * One HTTP request and its response, prepared by {@link HttpTransport#newExchange} and driven by
 * one reading thread.
 *
 * <p><b>Life cycle.</b> Created first, so that {@link #abort()} can reach it at any time; then
 * {@link #start()} (once) connects, sends the request and reads the response head on the calling
 * thread; then {@link #statusCode()}, {@link #headers()} and {@link #body()} describe the response.
 * Closing the body releases the connection: to a keep-alive pool when the transport has one and the
 * body was read to its end, otherwise by closing it.
 *
 * <p><b>Threading.</b> {@code start()}, the accessors and the body belong to the reading thread.
 * {@link #abort()} may be called from any thread, any number of times, at any point: it tears the
 * connection down at once, so that a blocked connect, write or read ends promptly with an
 * {@link IOException}; the caller, which knows it aborted, treats that as cancelled, not failed.
 */
public interface Exchange {

    /**
     * Connects (or takes a pooled connection), sends the request and reads the response head.
     *
     * @throws IOException          if connecting, sending or reading the head fails (also when
     *                              aborted meanwhile); {@link java.net.http.HttpConnectTimeoutException}
     *                              or {@link java.net.SocketTimeoutException} when the connect timeout
     *                              passed
     * @throws InterruptedException if the calling thread was interrupted; the exchange is then aborted
     * @throws RuntimeException     if the underlying client fails otherwise
     */
    void start() throws IOException, InterruptedException;

    /** The final (non-1xx) status; only after {@link #start()} returned. */
    int statusCode();

    /** The response headers (names case-insensitive); only after {@link #start()} returned. */
    HttpHeaders headers();

    /**
     * The response body, at the pace of its reader; only after {@link #start()} returned. The caller
     * closes it. A connection lost mid-body is an {@link IOException} from {@code read}, never a
     * silent end.
     */
    InputStream body();

    /**
     * The body again, readable without blocking by a consumer driven by an event loop; only after
     * {@link #start()} returned. Empty (the default) when the transport cannot: over TLS, and for
     * {@link JdkExchange}.
     */
    default Optional<NonBlockingBody> nonBlockingBody() {
        return Optional.empty();
    }

    /** Tears the exchange down now; thread-safe, idempotent, never blocks on the network. */
    void abort();
}
