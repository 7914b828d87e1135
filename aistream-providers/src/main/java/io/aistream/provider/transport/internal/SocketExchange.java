package io.aistream.provider.transport.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpHeaders;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 exchange of {@link SocketHttpTransport}, run on the thread that calls
 * {@link #start()} and reads the body.
 *
 * <p><b>Connections.</b> A pooled connection to the endpoint is used if there is one, else a new
 * one is opened (TCP_NODELAY, connect timeout; for https a TLS socket over it with SNI, HTTPS
 * host-name verification and ALPN offering only {@code http/1.1}, the handshake bounded by the
 * connect timeout too). If a <em>reused</em> connection fails before a single response byte arrives
 * (the server closed it while it was idle), the request is sent once more on a new connection;
 * nothing is ever retried otherwise.
 *
 * <p><b>Abort.</b> The connection this exchange holds (or the socket it is connecting) is published
 * under {@code lock}; {@link #abort()} closes it from any thread. Once the body has handed the
 * connection back (see {@link ResponseBody}) the exchange no longer holds it, so a late abort never
 * touches a connection another exchange now uses.
 */
final class SocketExchange implements Exchange, ResponseBody.Owner {
    private final SocketHttpTransport transport;
    private final Endpoint endpoint;
    private final RequestEncoder.Encoded request;

    private final Object lock = new Object();
    /** Written under {@code lock}; volatile for {@link #isAborted()}, checked after every body read. */
    private volatile boolean aborted;

    private Socket connecting;
    private HttpConnection held;

    private ResponseHead head;
    private ResponseBody body;

    SocketExchange(SocketHttpTransport transport, Endpoint endpoint, RequestEncoder.Encoded request) {
        this.transport = transport;
        this.endpoint = endpoint;
        this.request = request;
    }

    @Override
    public void start() throws IOException, InterruptedException {
        try {
            HttpConnection pooled = transport.pool().checkout(endpoint);
            if (pooled != null) {
                hold(pooled);
                try {
                    exchangeOn(pooled);
                    return;
                } catch (IOException e) {
                    if (!serverClosedWhileIdle(pooled, e)) {
                        throw e;
                    }
                    discard(pooled);
                }
            }
            exchangeOn(connect());
        } catch (IOException e) {
            abort();
            if (Thread.interrupted()) {
                InterruptedException ie =
                        new InterruptedException("interrupted while waiting for the upstream response");
                ie.initCause(e);
                throw ie;
            }
            throw e;
        }
    }

    /** A reused connection that failed before any response byte: stale, so worth one fresh try. */
    private boolean serverClosedWhileIdle(HttpConnection c, IOException e) {
        return c.received() == 0
                && !(e instanceof HttpProtocolException)
                && !(e instanceof SocketTimeoutException)
                && !isAborted()
                && !Thread.currentThread().isInterrupted();
    }

    private void exchangeOn(HttpConnection c) throws IOException {
        c.startResponse();
        c.write(request.head());
        if (request.body() != null) {
            c.write(request.body());
        }
        ResponseHead h = ResponseHead.read(c);
        head = h;
        body = ResponseBody.of(h, c, this);
    }

    private HttpConnection connect() throws IOException {
        // plain TCP on a channel, so the body can also be read without blocking; TLS on a plain socket
        Socket tcp = endpoint.secure() ? new Socket() : SocketChannel.open().socket();
        synchronized (lock) {
            if (aborted) {
                throw new ExchangeAbortedException();
            }
            connecting = tcp;
        }
        HttpConnection c;
        try {
            tcp.setTcpNoDelay(true);
            InetSocketAddress address = new InetSocketAddress(endpoint.socketHost(), endpoint.port());
            if (address.isUnresolved()) {
                throw new UnknownHostException(endpoint.socketHost());
            }
            tcp.connect(address, transport.connectTimeoutMillis());
            c = new HttpConnection(endpoint, tcp, endpoint.secure() ? tls(tcp) : tcp, transport.readBufferBytes());
        } catch (IOException | RuntimeException e) {
            closeQuietly(tcp);
            throw e;
        }
        synchronized (lock) {
            connecting = null;
        }
        hold(c);
        return c;
    }

    private SSLSocket tls(Socket tcp) throws IOException {
        SSLSocket ssl =
                (SSLSocket) transport.tlsFactory().createSocket(tcp, endpoint.socketHost(), endpoint.port(), true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        params.setApplicationProtocols(new String[] {"http/1.1"});
        if (!endpoint.isIpLiteral()) {
            try {
                params.setServerNames(List.of(new SNIHostName(endpoint.socketHost())));
            } catch (IllegalArgumentException e) {
                // not a valid SNI name (e.g. it has an underscore): connect without SNI
            }
        }
        ssl.setSSLParameters(params);
        ssl.setSoTimeout(transport.connectTimeoutMillis());
        ssl.startHandshake();
        ssl.setSoTimeout(0);
        String protocol = ssl.getApplicationProtocol();
        if (protocol != null && !protocol.isEmpty() && !protocol.equals("http/1.1")) {
            throw new IOException(
                    "the server chose the application protocol '" + protocol + "' (only http/1.1 was offered)");
        }
        return ssl;
    }

    /** Makes {@code c} the connection abort closes (closing it at once if already aborted). */
    private void hold(HttpConnection c) throws ExchangeAbortedException {
        synchronized (lock) {
            if (!aborted) {
                held = c;
                return;
            }
        }
        c.close();
        throw new ExchangeAbortedException();
    }

    @Override
    public boolean isAborted() {
        return aborted;
    }

    @Override
    public void release(HttpConnection c) {
        boolean reuse;
        synchronized (lock) {
            reuse = held == c && !aborted;
            if (held == c) {
                held = null;
            }
        }
        if (reuse) {
            // after non-blocking reads the pool gets it back only in blocking mode, off its I/O loop
            c.whenBlocking(() -> transport.pool().checkin(c));
        } else {
            c.close();
        }
    }

    @Override
    public boolean detach(HttpConnection c) {
        synchronized (lock) {
            if (aborted || held != c) {
                return false;
            }
            held = null;
            return true;
        }
    }

    @Override
    public void reuseDetached(HttpConnection c) {
        transport.pool().checkin(c);
    }

    @Override
    public void discard(HttpConnection c) {
        synchronized (lock) {
            if (held == c) {
                held = null;
            }
        }
        c.close();
    }

    @Override
    public int statusCode() {
        return head.status();
    }

    @Override
    public HttpHeaders headers() {
        return head.headers();
    }

    @Override
    public InputStream body() {
        return body;
    }

    /** The body as a {@link NonBlockingBody} on a plain connection; empty over TLS. */
    @Override
    public Optional<NonBlockingBody> nonBlockingBody() {
        ResponseBody b = body;
        return b != null && b.conn.supportsNonBlocking() ? Optional.of(b) : Optional.empty();
    }

    @Override
    public void abort() {
        Socket s;
        HttpConnection c;
        synchronized (lock) {
            aborted = true;
            s = connecting;
            c = held;
            connecting = null;
            held = null;
        }
        if (s != null) {
            closeQuietly(s);
        }
        if (c != null) {
            c.close();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closed anyway
        }
    }

    @Override
    public String toString() {
        return "SocketExchange[" + endpoint + "]";
    }
}
