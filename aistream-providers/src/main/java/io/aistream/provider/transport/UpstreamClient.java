package io.aistream.provider.transport;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.provider.spi.DecoderContext;
import io.aistream.provider.spi.DecoderObserver;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.spi.UpstreamRequest;
import io.aistream.provider.transport.internal.Exchange;
import io.aistream.provider.transport.internal.HttpTransport;
import io.aistream.provider.transport.internal.JdkHttpTransport;
import io.aistream.provider.transport.internal.SocketHttpTransport;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChunkSource;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * Opens one provider stream over HTTP as a {@link ChunkSource}: one request, one response, no
 * retries (see {@link ProviderStreams} for those).
 *
 * <p><b>The source it returns.</b> Nothing is sent until the first {@code next()}. That call sends
 * the protocol's {@link UpstreamRequest} and waits for the response head on the calling thread
 * (a virtual thread is cheap to block); the body is then read on the thread calling
 * {@code next()}, only when it asks, and fed to the protocol's decoder as the bytes arrive, so a
 * slow consumer slows the upstream (TCP pushes back) and nothing is read ahead beyond one
 * network buffer. Chunks come out one by one, in order, ending with the decoder's {@code done}.
 * <ul>
 *   <li>A non-2xx status: up to {@link Builder#maxErrorBodyBytes(int)} of the error body are read
 *       and {@code next()} throws the protocol's {@link io.aistream.provider.spi.ProviderHttpException},
 *       its upstream parts made safe for clients by {@link io.aistream.provider.support.UpstreamText}
 *       (an HTML page is described, not quoted; addresses, keys and bytes that are not text removed;
 *       a short excerpt; the error type and request id plain tokens or dropped).</li>
 *   <li>A 2xx answer whose {@code Content-Type} is an HTML or XML document (a captive portal, a
 *       proxy's page): {@code next()} throws an {@link AIStreamException} with code
 *       {@link ErrorCode#UPSTREAM_ERROR} (not retryable: it is not a cut stream). A missing or
 *       generic type ({@code text/plain}, {@code application/octet-stream}) is read as the stream.</li>
 *   <li>Error chunks the decoder emits carry upstream text too: their message and code go through
 *       {@link io.aistream.provider.support.UpstreamText} as well.</li>
 *   <li>A failure to connect or to receive the response head: {@code next()} throws an
 *       {@link AIStreamException} with code {@link ErrorCode#UPSTREAM_CONNECTION} (retryable) —
 *       never a raw {@code IOException}. Its message names the host, never the query string
 *       (which may hold credentials).</li>
 *   <li>A connection lost mid-body (or a body whose HTTP framing is broken) ends the decoder: its
 *       {@code incomplete_stream} error (whose message names the cause) and {@code done(error)} with
 *       the usage seen so far.</li>
 *   <li>{@code cancel()} (any thread) aborts the exchange promptly: it closes the connection (or
 *       cancels the pending response), which ends a blocked connect or read at once; a blocked
 *       {@code next()} then returns empty.</li>
 *   <li>Interrupting the thread blocked in {@code next()} aborts the exchange and throws
 *       {@link InterruptedException}. (The default transport notices an interrupt while blocked only
 *       on a virtual thread: blocking socket I/O on a platform thread is not interruptible; use
 *       {@code cancel()} there.)</li>
 * </ul>
 *
 * <p><b>Transports.</b> By default requests go over <em>blocking sockets</em> speaking
 * <b>HTTP/1.1 only</b> ({@code http} and {@code https}; TLS through {@link SSLContext}, the default
 * one unless {@link Builder#sslContext} says otherwise; no proxy, as before): the thread calling
 * {@code next()} connects, writes the request and reads the body itself — no selector thread, no
 * executor task, no hand-off between threads per chunk. Connections are kept alive and reused per
 * scheme, host and port: one goes back to the pool only when its body was read to the end and
 * neither side asked to close it; at most {@link Builder#maxIdleConnectionsPerHost} idle ones are
 * kept per host, each for at most {@link Builder#idleConnectionTimeout}. A request that fails on a
 * reused connection before any response byte (the server closed it while idle) is sent once more on
 * a new connection; nothing else is retried here. Cancelling or closing a source before its body
 * ended closes its connection.
 *
 * <p>{@link Builder#httpClient(HttpClient)} or {@link Builder#useJdkHttpClient()} select
 * {@link java.net.http.HttpClient} instead (HTTP/2, a proxy selector, or anything else that client
 * offers), at the cost of its selector thread and executor hand-offs.
 *
 * <p><b>Threading and ownership.</b> An {@code UpstreamClient} is immutable and thread-safe; share
 * one (it holds the connection pool, or the {@link HttpClient}). Each source it opens is read by one
 * thread at a time and owned by the caller, who closes it (closing releases or closes its
 * connection). The pool's idle connections live until they expire, are found broken, or
 * {@link #closeIdleConnections()}; no background thread is involved. A given {@code HttpClient}
 * stays the caller's: this class never closes it.
 */
public final class UpstreamClient {
    /** Connect timeout unless configured otherwise. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How much of an error body is read unless configured otherwise. */
    public static final int DEFAULT_MAX_ERROR_BODY_BYTES = 64 * 1024;
    /** Idle keep-alive connections kept per host unless configured otherwise. */
    public static final int DEFAULT_MAX_IDLE_CONNECTIONS_PER_HOST = 256;
    /** How long an idle keep-alive connection is kept unless configured otherwise. */
    public static final Duration DEFAULT_IDLE_CONNECTION_TIMEOUT = Duration.ofSeconds(30);
    /** Read buffer per connection, and largest single body read, unless configured otherwise. */
    public static final int DEFAULT_READ_BUFFER_BYTES = 2048;

    private static final class Shared {
        static final UpstreamClient INSTANCE = builder().build();
    }

    private final HttpTransport transport;
    private final HttpClient http;
    private final int maxErrorBodyBytes;
    private final int readBufferBytes;

    private UpstreamClient(HttpTransport transport, HttpClient http, int maxErrorBodyBytes, int readBufferBytes) {
        this.transport = transport;
        this.http = http;
        this.maxErrorBodyBytes = maxErrorBodyBytes;
        this.readBufferBytes = readBufferBytes;
    }

    /** The process-wide client with default settings (socket transport), created on first use. */
    public static UpstreamClient shared() {
        return Shared.INSTANCE;
    }

    /** A client over an {@link HttpClient} of the caller's, with default settings otherwise. */
    public static UpstreamClient using(HttpClient httpClient) {
        return builder().httpClient(httpClient).build();
    }

    /** A builder; by default the client speaks HTTP/1.1 over sockets (see the class comment). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The {@link HttpClient} requests go through, when this client uses {@code java.net.http};
     * empty for the socket transport.
     */
    public Optional<HttpClient> httpClient() {
        return Optional.ofNullable(http);
    }

    /**
     * Closes the idle keep-alive connections now (e.g. before the process stops, or after a network
     * change); the client stays usable. Nothing to do for the {@code java.net.http} transport.
     */
    public void closeIdleConnections() {
        transport.closeIdleConnections();
    }

    /**
     * Prepares a stream of {@code request} to the provider {@code config} describes, spoken in
     * {@code protocol}. The request is built now (so an unsupported option fails here) and sent
     * by the first {@code next()} of the returned source.
     *
     * @param protocol the provider's wire protocol
     * @param config   the provider's configuration
     * @param request  the request, model resolved
     * @return a source the caller owns and must close
     * @throws io.aistream.provider.spi.UnsupportedOptionException if the protocol cannot express the request
     * @throws AIStreamException                                if the protocol's request is unusable
     *                                                          (e.g. a header value with a line break:
     *                                                          the message names the header, not the value)
     */
    public ChunkSource open(ProviderProtocol protocol, ProviderConfig config, ChatRequest request) {
        return open(protocol, config, request, DecoderObserver.NONE);
    }

    /**
     * Like {@link #open(ProviderProtocol, ProviderConfig, ChatRequest)}, with {@code observer} hearing
     * the event types the decoder skips because it does not know them.
     */
    public ChunkSource open(
            ProviderProtocol protocol, ProviderConfig config, ChatRequest request, DecoderObserver observer) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(config, "config");
        String model = request.model()
                .orElseThrow(() -> new AIStreamException(ErrorCode.INVALID_REQUEST, "the request has no model"));
        UpstreamRequest upstream = protocol.toRequest(request, config);
        Exchange exchange = transport.newExchange(upstream, config.name());
        return new HttpChunkSource(
                exchange,
                upstream.uri(),
                protocol,
                config,
                protocol.newDecoder(new DecoderContext(config.name(), model, observer)),
                model,
                maxErrorBodyBytes,
                readBufferBytes);
    }

    @Override
    public String toString() {
        return "UpstreamClient[" + (http != null ? "java.net.http" : "HTTP/1.1 sockets") + "]";
    }

    /** Configures an {@link UpstreamClient}. Not thread-safe. */
    public static final class Builder {
        private HttpClient http;
        private boolean jdk;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int maxErrorBodyBytes = DEFAULT_MAX_ERROR_BODY_BYTES;
        private int readBufferBytes = DEFAULT_READ_BUFFER_BYTES;
        private SSLContext sslContext;
        private int maxIdlePerHost = DEFAULT_MAX_IDLE_CONNECTIONS_PER_HOST;
        private Duration idleTimeout = DEFAULT_IDLE_CONNECTION_TIMEOUT;

        private Builder() {}

        /**
         * Send through this {@code java.net.http} client (selects that transport); the connect timeout,
         * TLS context and pool settings here are then ignored: the client has its own. The caller
         * keeps owning it.
         */
        public Builder httpClient(HttpClient client) {
            this.http = Objects.requireNonNull(client, "httpClient");
            this.jdk = true;
            return this;
        }

        /**
         * Send through a {@code java.net.http} client this builder makes instead of the socket
         * transport: for HTTP/2, or a JVM-wide proxy configuration. See {@link #build()}.
         */
        public Builder useJdkHttpClient() {
            this.jdk = true;
            return this;
        }

        /** The connect timeout (default 10 s); the socket transport bounds the TLS handshake by it too. */
        public Builder connectTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "connectTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive: " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** The TLS context for {@code https} (default {@link SSLContext#getDefault()}). */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "sslContext");
            return this;
        }

        /** Idle keep-alive connections kept per scheme, host and port (default 256: a gateway keeps many streams open to few hosts; 0 disables reuse). */
        public Builder maxIdleConnectionsPerHost(int connections) {
            if (connections < 0) {
                throw new IllegalArgumentException("maxIdleConnectionsPerHost must not be negative: " + connections);
            }
            this.maxIdlePerHost = connections;
            return this;
        }

        /** How long an idle keep-alive connection is kept (default 30 s). */
        public Builder idleConnectionTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "idleConnectionTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idleConnectionTimeout must be positive: " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /** How many bytes of a non-2xx body are read for the error (default 64 KiB). */
        public Builder maxErrorBodyBytes(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxErrorBodyBytes must not be negative: " + bytes);
            }
            this.maxErrorBodyBytes = bytes;
            return this;
        }

        /**
         * The largest single read from the response body, and the socket transport's read buffer per
         * connection (default 2 KiB: a gateway holds one per open stream, and stream events are small).
         */
        public Builder readBufferBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("readBufferBytes must be positive: " + bytes);
            }
            this.readBufferBytes = bytes;
            return this;
        }

        /**
         * Builds the client. By default the socket transport (HTTP/1.1, see the class comment). With
         * {@link #useJdkHttpClient()} and no client given, makes an {@link HttpClient} that prefers
         * HTTP/2 (negotiated over TLS, falling back to HTTP/1.1; plain {@code http://} endpoints are
         * always spoken to in HTTP/1.1, without an h2c upgrade attempt), follows no redirects (a
         * provider endpoint does not move), uses the configured connect timeout and TLS context and
         * runs its tasks on virtual threads.
         */
        public UpstreamClient build() {
            if (!jdk) {
                SocketHttpTransport sockets = new SocketHttpTransport(
                        sslContext, connectTimeout, readBufferBytes, maxIdlePerHost, idleTimeout, userAgent());
                return new UpstreamClient(sockets, null, maxErrorBodyBytes, readBufferBytes);
            }
            HttpClient client = http;
            if (client == null) {
                HttpClient.Builder b = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_2)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(connectTimeout)
                        .executor(Executors.newVirtualThreadPerTaskExecutor());
                if (sslContext != null) {
                    b.sslContext(sslContext);
                }
                client = b.build();
            }
            return new UpstreamClient(new JdkHttpTransport(client), client, maxErrorBodyBytes, readBufferBytes);
        }

        private static String userAgent() {
            String version = UpstreamClient.class.getPackage().getImplementationVersion();
            return version == null ? "aistream" : "aistream/" + version;
        }
    }
}
