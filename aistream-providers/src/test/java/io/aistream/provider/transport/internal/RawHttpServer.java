package io.aistream.provider.transport.internal;

import io.aistream.provider.testing.FakeUpstream;
import io.aistream.provider.testing.FakeUpstream.RecordedRequest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A raw HTTP/1.1 server on 127.0.0.1 for the socket transport's tests: it answers each request with
 * the next queued {@link Reply} — bytes written as given (so a test controls every byte of framing)
 * — and keeps the connection open for the next request unless the reply says otherwise. It records
 * the requests per connection and sees when the client closes a connection.
 *
 * <p>Threading: a virtual thread accepts, one serves each connection. Accessors are thread-safe.
 */
final class RawHttpServer implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ServerSocket server;
    private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    private final List<Conn> connections = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Conn> arrivals = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    private RawHttpServer(ServerSocket server) {
        this.server = server;
        Thread.ofVirtual().name("raw-http-accept").start(this::acceptLoop);
    }

    /** A plain-text server. */
    static RawHttpServer plain() {
        try {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new RawHttpServer(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TLS server with the key of {@code context}, offering ALPN {@code http/1.1}. */
    static RawHttpServer tls(SSLContext context) {
        try {
            SSLServerSocket s = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
            SSLParameters params = s.getSSLParameters();
            params.setApplicationProtocols(new String[] {"http/1.1"});
            s.setSSLParameters(params);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new RawHttpServer(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /** {@code scheme://host:port} with the given host name (which must resolve to 127.0.0.1). */
    URI uri(String host) {
        return URI.create((server instanceof SSLServerSocket ? "https://" : "http://") + host + ":" + port());
    }

    /** {@code scheme://127.0.0.1:port}. */
    URI uri() {
        return uri("127.0.0.1");
    }

    RawHttpServer enqueue(Reply reply) {
        replies.add(reply);
        return this;
    }

    List<Conn> connections() {
        return List.copyOf(connections);
    }

    /** Waits (up to 10 s) for the {@code index}-th connection (from 0). */
    Conn awaitConnection(int index) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (connections.size() <= index) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || arrivals.poll(left, TimeUnit.NANOSECONDS) == null && connections.size() <= index) {
                    throw new AssertionError("connection " + index + " did not arrive; got " + connections.size());
                }
            }
            return connections.get(index);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Conn c : connections) {
            c.closeFromServer();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            Conn c = new Conn(socket);
            connections.add(c);
            arrivals.add(c);
            Thread.ofVirtual().name("raw-http-conn").start(c::serve);
        }
    }

    /** What the connection does once a reply is written. */
    enum After {
        /** Read the next request (the client may reuse the connection). */
        KEEP_OPEN,
        /** Close the connection. */
        CLOSE,
        /** Send nothing more and wait until the client closes the connection. */
        HOLD
    }

    /**
     * What to answer one request with: {@code pieces} written in order (a flush after each), then,
     * if {@code more} is set, the bytes it completes with; then {@code after}.
     */
    record Reply(List<byte[]> pieces, CompletableFuture<String> more, After after) {
        static Reply of(String text, After after) {
            return new Reply(List.of(text.getBytes(StandardCharsets.UTF_8)), null, after);
        }

        /** A keep-alive 200 with a chunked SSE body: all of it in one write. */
        static Reply chunkedSse(String body) {
            return of(CHUNKED_SSE_HEAD + chunk(body) + "0\r\n\r\n", After.KEEP_OPEN);
        }

        /** A keep-alive 200 with an SSE body of a {@code Content-Length}. */
        static Reply lengthSse(String body) {
            return of("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body, After.KEEP_OPEN);
        }

        /** This reply, then the text {@code more} completes with (waiting up to 10 s for it). */
        Reply then(CompletableFuture<String> rest) {
            return new Reply(pieces, rest, after);
        }
    }

    static final String CHUNKED_SSE_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

    /** One chunk of {@code text} (UTF-8). */
    static String chunk(String text) {
        return Integer.toHexString(text.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + text + "\r\n";
    }

    /** One accepted connection. */
    final class Conn {
        private final Socket socket;
        private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
        private final LinkedBlockingQueue<RecordedRequest> requestArrivals = new LinkedBlockingQueue<>();
        private final CompletableFuture<Long> closedByClient = new CompletableFuture<>();
        private final CompletableFuture<Void> ended = new CompletableFuture<>();
        private final AtomicBoolean serverClosing = new AtomicBoolean();
        private volatile String applicationProtocol;
        private volatile List<SNIServerName> serverNames = List.of();

        private Conn(Socket socket) {
            this.socket = socket;
        }

        /** The requests read on this connection so far. */
        List<RecordedRequest> requests() {
            return List.copyOf(requests);
        }

        /** Waits (up to 10 s) until this connection has read {@code count} requests; returns the last. */
        RecordedRequest awaitRequest(int count) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            try {
                while (requests.size() < count) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || requestArrivals.poll(left, TimeUnit.NANOSECONDS) == null && requests.size() < count) {
                        throw new AssertionError("request " + count + " did not arrive; got " + requests.size());
                    }
                }
                return requests.get(count - 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        /** Completes with the {@link System#nanoTime()} at which the client was seen closing the connection. */
        CompletableFuture<Long> closedByClient() {
            return closedByClient;
        }

        /** Completes when the server is done with the connection, whoever closed it. */
        CompletableFuture<Void> ended() {
            return ended;
        }

        /** The ALPN protocol agreed (TLS only). */
        String applicationProtocol() {
            return applicationProtocol;
        }

        /** SNI names the client sent (TLS only). */
        List<String> serverNames() {
            return serverNames.stream().map(n -> n instanceof SNIHostName h ? h.getAsciiName() : n.toString()).toList();
        }

        /** Closes the connection from the server's side (as a server does with an idle connection). */
        void closeFromServer() {
            serverClosing.set(true);
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }

        private void serve() {
            try {
                if (socket instanceof SSLSocket ssl) {
                    ssl.startHandshake();
                    applicationProtocol = ssl.getApplicationProtocol();
                    if (ssl.getSession() instanceof ExtendedSSLSession session) {
                        serverNames = session.getRequestedServerNames();
                    }
                }
                socket.setTcpNoDelay(true);
                InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                while (true) {
                    RecordedRequest request = FakeUpstream.readRequest(in);
                    if (request == null) {
                        clientClosed();
                        return;
                    }
                    requests.add(request);
                    requestArrivals.add(request);
                    Reply reply = replies.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    if (reply == null) {
                        reply = Reply.of("HTTP/1.1 500 No Script\r\nContent-Length: 0\r\n\r\n", After.CLOSE);
                    }
                    for (byte[] piece : reply.pieces()) {
                        out.write(piece);
                        out.flush();
                    }
                    if (reply.more() != null) {
                        out.write(reply.more().get(WAIT.toMillis(), TimeUnit.MILLISECONDS).getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    switch (reply.after()) {
                        case KEEP_OPEN -> { }
                        case CLOSE -> {
                            closeFromServer();
                            return;
                        }
                        case HOLD -> {
                            while (in.read() >= 0) {
                                // the client sends nothing more; wait for its close
                            }
                            clientClosed();
                            return;
                        }
                    }
                }
            } catch (IOException | InterruptedException | ExecutionException | TimeoutException e) {
                clientClosed();
            } finally {
                closeFromServerQuietly();
                ended.complete(null);
            }
        }

        private void clientClosed() {
            long now = System.nanoTime();
            if (!serverClosing.get()) {
                closedByClient.complete(now);
            }
        }

        private void closeFromServerQuietly() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
