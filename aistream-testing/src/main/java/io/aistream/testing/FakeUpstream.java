package io.aistream.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;

/**
 * A scripted HTTP/1.1 upstream on 127.0.0.1 over raw sockets (plain, or TLS with a given
 * {@link SSLContext}), for every test that needs a provider, a gateway's upstream or any HTTP peer
 * whose every byte and every pause the test controls.
 *
 * <p>Each request, on whatever connection it comes, is answered with the next {@link Script} of the
 * queue ({@link #enqueue}); with none left it is answered with a 500 whose JSON body says so (or, if
 * built with {@link Builder#waitForScripts}, after waiting that long for one). A script chooses its
 * framing and whether the connection is kept for the next request; every request and connection is
 * recorded ({@link #requests()}, {@link #connections()}), and each {@link UpstreamConnection} reports
 * as events when the client closed it, when a script stalled, when it ended.
 *
 * <p>Tests wait on those events with a guard timeout ({@link Builder#guard}, 10 s by default) that
 * only bounds a failing test; nothing here asserts a wall-clock window.
 *
 * <pre>{@code
 * try (FakeUpstream upstream = FakeUpstream.start()) {
 *     upstream.enqueue(Script.sse().send("data: \"Hel\"\n\n").stall());
 *     ... open a stream to upstream.baseUri(), read "Hel", cancel it at cancelledAt ...
 *     long closedAt = upstream.awaitConnection(0).awaitClosedByClient();
 * }
 * }</pre>
 *
 * <p>Threading: a virtual thread accepts; each connection has a reader and a responder thread (see
 * {@link UpstreamConnection}). All methods are thread-safe. {@link #close()} closes the listening
 * socket and every connection, and releases every stall.
 */
public final class FakeUpstream implements AutoCloseable {
    /** The default guard timeout: how long a test waits for an event before it fails. */
    public static final Duration DEFAULT_GUARD = Duration.ofSeconds(10);

    private final ServerSocket server;
    private final boolean tls;
    private final Duration guard;
    private final Duration waitForScripts;
    private final LinkedBlockingQueue<Script> scripts = new LinkedBlockingQueue<>();
    private final Arrivals<UpstreamConnection> connections = new Arrivals<>("connection");
    private final Arrivals<RecordedRequest> requests = new Arrivals<>("request");
    private volatile boolean closed;

    private FakeUpstream(Builder b) throws IOException {
        if (b.tls == null) {
            server = new ServerSocket();
        } else {
            SSLServerSocket s = (SSLServerSocket) b.tls.getServerSocketFactory().createServerSocket();
            SSLParameters params = s.getSSLParameters();
            params.setApplicationProtocols(new String[] {"http/1.1"});
            s.setSSLParameters(params);
            server = s;
        }
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        tls = b.tls != null;
        guard = b.guard;
        waitForScripts = b.waitForScripts;
        Thread.ofVirtual().name("fake-upstream-accept").start(this::acceptLoop);
    }

    /** Starts a plain-text upstream on an ephemeral port of 127.0.0.1. */
    public static FakeUpstream start() {
        return builder().start();
    }

    /** Starts a TLS upstream with the key of {@code context}, offering ALPN {@code http/1.1}. */
    public static FakeUpstream startTls(SSLContext context) {
        return builder().tls(context).start();
    }

    /** A builder for an upstream with other settings. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * An {@code http://127.0.0.1:port} URI nobody listens on (a port that was free a moment ago), for
     * connection-refused tests.
     */
    public static URI refusingUri() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port. */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code http://127.0.0.1:port}, or {@code https://…} for a TLS upstream. */
    public URI baseUri() {
        return uri("127.0.0.1");
    }

    /** {@code scheme://host:port} with the given host name (which must resolve to the loopback address). */
    public URI uri(String host) {
        return URI.create((tls ? "https://" : "http://") + host + ":" + port());
    }

    /** Queues the answer for a coming request; scripts are used in order, one per request. */
    public FakeUpstream enqueue(Script script) {
        scripts.add(script.validated());
        return this;
    }

    /** The number of scripts not used yet. */
    public int pendingScripts() {
        return scripts.size();
    }

    /** The connections accepted so far, in order. */
    public List<UpstreamConnection> connections() {
        return connections.snapshot();
    }

    /** Every request received so far, over all connections, in the order they were read. */
    public List<RecordedRequest> requests() {
        return requests.snapshot();
    }

    /**
     * The {@code index}-th connection (from 0), waiting up to the guard timeout for it to be accepted.
     * (It may not have sent a request yet: {@link UpstreamConnection#request()} waits for that.)
     *
     * @throws AssertionError if it is not accepted in time
     */
    public UpstreamConnection awaitConnection(int index) {
        return connections.await(index, guard);
    }

    /**
     * The {@code index}-th request (from 0) over all connections, waiting up to the guard timeout.
     *
     * @throws AssertionError if it does not arrive in time
     */
    public RecordedRequest awaitRequest(int index) {
        return requests.await(index, guard);
    }

    /** The guard timeout of this upstream's waits. */
    public Duration guard() {
        return guard;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (UpstreamConnection c : connections.snapshot()) {
            c.release();
            c.closeByServer(false);
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
            UpstreamConnection c = new UpstreamConnection(socket, this);
            connections.add(c);
            if (closed) {
                c.closeByServer(false);
            }
            Thread.ofVirtual().name("fake-upstream-conn").start(c::serve);
        }
    }

    void recorded(RecordedRequest request) {
        requests.add(request);
    }

    /** The script for the next request. */
    Script nextScript() throws InterruptedException {
        Script script =
                waitForScripts.isZero() ? scripts.poll() : scripts.poll(waitForScripts.toNanos(), TimeUnit.NANOSECONDS);
        return Optional.ofNullable(script)
                .orElseGet(
                        () -> Script.json(
                                500,
                                "{\"error\":{\"type\":\"no_script\",\"message\":\"the fake upstream has no script for this request\"}}"));
    }

    /** Settings of a {@link FakeUpstream}. Not thread-safe. */
    public static final class Builder {
        private SSLContext tls;
        private Duration guard = DEFAULT_GUARD;
        private Duration waitForScripts = Duration.ZERO;

        private Builder() {}

        /** Serves TLS with the key of {@code context} (ALPN {@code http/1.1}). */
        public Builder tls(SSLContext context) {
            this.tls = Objects.requireNonNull(context);
            return this;
        }

        /**
         * How long waits for a test's events and signals may take before they fail (default 10 s):
         * {@code awaitConnection}, {@code awaitRequest}, {@code awaitClosedByClient}, a script's
         * {@code await} and {@code sendLater}.
         */
        public Builder guard(Duration value) {
            this.guard = Objects.requireNonNull(value);
            return this;
        }

        /**
         * How long a request waits for a script when the queue is empty (default zero: it gets the
         * "no script" 500 at once). Lets a test enqueue after it has seen the request.
         */
        public Builder waitForScripts(Duration value) {
            this.waitForScripts = Objects.requireNonNull(value);
            return this;
        }

        /** Binds an ephemeral port of 127.0.0.1 and starts accepting. */
        public FakeUpstream start() {
            try {
                return new FakeUpstream(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
