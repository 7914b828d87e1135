package io.aistream.provider.transport;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.provider.DecoderContext;
import io.aistream.provider.ProviderConfig;
import io.aistream.provider.ProviderProtocol;
import io.aistream.provider.UpstreamRequest;
import io.aistream.request.ChatRequest;
import io.aistream.stream.ChunkSource;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;

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
 *       and {@code next()} throws the protocol's {@link io.aistream.provider.ProviderHttpException}.</li>
 *   <li>A failure to connect or to receive the response head: {@code next()} throws an
 *       {@link AIStreamException} with code {@link ErrorCode#UPSTREAM_CONNECTION} (retryable) —
 *       never a raw {@code IOException}. Its message names the host, never the query string
 *       (which may hold credentials).</li>
 *   <li>A connection lost mid-body ends the decoder: its {@code incomplete_stream} error (whose
 *       message names the cause) and {@code done(error)} with the usage seen so far.</li>
 *   <li>{@code cancel()} (any thread) aborts the exchange promptly: it cancels the pending response
 *       and closes the body stream, which tears the connection down; a blocked {@code next()}
 *       then returns empty.</li>
 *   <li>Interrupting the thread blocked in {@code next()} aborts the exchange and throws
 *       {@link InterruptedException}.</li>
 * </ul>
 *
 * <p><b>Threading.</b> An {@code UpstreamClient} is immutable and thread-safe; share one (it holds
 * one {@link HttpClient} and its connection pool). The client's executor runs only the HTTP
 * client's own non-blocking tasks; nothing here blocks in it or in the common pool.
 */
public final class UpstreamClient {
    /** Connect timeout unless configured otherwise. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How much of an error body is read unless configured otherwise. */
    public static final int DEFAULT_MAX_ERROR_BODY_BYTES = 64 * 1024;

    private static final class Shared {
        static final UpstreamClient INSTANCE = builder().build();
    }

    private final HttpClient http;
    private final int maxErrorBodyBytes;
    private final int readBufferBytes;

    private UpstreamClient(HttpClient http, int maxErrorBodyBytes, int readBufferBytes) {
        this.http = http;
        this.maxErrorBodyBytes = maxErrorBodyBytes;
        this.readBufferBytes = readBufferBytes;
    }

    /** The process-wide client with default settings, created on first use. */
    public static UpstreamClient shared() {
        return Shared.INSTANCE;
    }

    /** A client over an {@link HttpClient} of the caller's, with default settings otherwise. */
    public static UpstreamClient using(HttpClient httpClient) {
        return builder().httpClient(httpClient).build();
    }

    /** A builder; by default it makes its own {@link HttpClient} (see {@link Builder#build()}). */
    public static Builder builder() {
        return new Builder();
    }

    /** The HTTP client requests go through. */
    public HttpClient httpClient() {
        return http;
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
     * @throws io.aistream.provider.UnsupportedOptionException if the protocol cannot express the request
     * @throws AIStreamException                                if the protocol's request is unusable
     */
    public ChunkSource open(ProviderProtocol protocol, ProviderConfig config, ChatRequest request) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(config, "config");
        String model = request.model().orElseThrow(
                () -> new AIStreamException(ErrorCode.INVALID_REQUEST, "the request has no model"));
        UpstreamRequest upstream = protocol.toRequest(request, config);
        HttpRequest httpRequest = toHttpRequest(upstream, config);
        return new HttpChunkSource(http, httpRequest, protocol, config,
                protocol.newDecoder(new DecoderContext(config.name(), model)), maxErrorBodyBytes, readBufferBytes);
    }

    private static HttpRequest toHttpRequest(UpstreamRequest upstream, ProviderConfig config) {
        HttpRequest.Builder b = HttpRequest.newBuilder(upstream.uri())
                .POST(HttpRequest.BodyPublishers.ofByteArray(upstream.body()));
        if ("http".equalsIgnoreCase(upstream.uri().getScheme())) {
            // No h2c upgrade attempt on cleartext: local model servers and proxies handle it badly.
            b.version(HttpClient.Version.HTTP_1_1);
        }
        for (Map.Entry<String, List<String>> header : upstream.headers().entrySet()) {
            for (String value : header.getValue()) {
                try {
                    b.header(header.getKey(), value);
                } catch (IllegalArgumentException e) {
                    // the value is never echoed: it may be a credential
                    throw new AIStreamException(ErrorCode.INTERNAL, config.name()
                            + ": the HTTP client refuses the request header '" + header.getKey() + "'");
                }
            }
        }
        return b.build();
    }

    /** Configures an {@link UpstreamClient}. Not thread-safe. */
    public static final class Builder {
        private HttpClient http;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int maxErrorBodyBytes = DEFAULT_MAX_ERROR_BODY_BYTES;
        private int readBufferBytes = 2048;

        private Builder() {
        }

        /** Use this HTTP client instead of making one; {@link #connectTimeout} is then ignored. */
        public Builder httpClient(HttpClient client) {
            this.http = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        /** The connect timeout of the HTTP client this builder makes (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "connectTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive: " + timeout);
            }
            this.connectTimeout = timeout;
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

        /** The largest single read from the response body (default 2 KiB: a gateway holds one per open stream, and stream events are small). */
        public Builder readBufferBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("readBufferBytes must be positive: " + bytes);
            }
            this.readBufferBytes = bytes;
            return this;
        }

        /**
         * Builds the client. Unless an {@link HttpClient} was given, makes one that prefers HTTP/2
         * (negotiated over TLS, falling back to HTTP/1.1; plain {@code http://} endpoints are always
         * spoken to in HTTP/1.1, without an h2c upgrade attempt), follows no redirects (a provider endpoint does not move), uses
         * the configured connect timeout and runs its tasks on virtual threads.
         */
        public UpstreamClient build() {
            HttpClient client = http != null ? http : HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_2)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(connectTimeout)
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .build();
            return new UpstreamClient(client, maxErrorBodyBytes, readBufferBytes);
        }
    }
}
