package io.aistream.provider.transport;

import io.aistream.AIStreamException;
import io.aistream.ErrorCode;
import io.aistream.chunk.ChunkError;
import io.aistream.chunk.DoneChunk;
import io.aistream.chunk.ErrorChunk;
import io.aistream.chunk.StreamChunk;
import io.aistream.chunk.Usage;
import io.aistream.provider.spi.ProviderConfig;
import io.aistream.provider.spi.ProviderHttpException;
import io.aistream.provider.spi.ProviderProtocol;
import io.aistream.provider.spi.StreamDecoder;
import io.aistream.provider.support.UpstreamText;
import io.aistream.provider.transport.internal.Exchange;
import io.aistream.provider.transport.internal.NonBlockingBody;
import io.aistream.stream.ArmedCallback;
import io.aistream.stream.ChunkSource;
import io.aistream.stream.SourceReadiness;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link UpstreamClient#open}: one HTTP exchange read as chunks on the consumer's thread.
 *
 * <p>The {@link Exchange} does the HTTP; this class adds the error contract of
 * {@link UpstreamClient} and the decoding. State touched only by the consuming thread:
 * {@code pending}, {@code finished}, {@code body}, {@code buffer}. Shared with {@link #cancel()}:
 * {@code cancelled}, and the exchange (whose abort is thread-safe). Shared with {@link #fillDone}:
 * {@code usageSoFar}, a volatile copy of the decoder's {@link StreamDecoder#usageSoFar()} taken on
 * the consuming thread after every feed (the decoder itself is not thread-safe; an abort fills its
 * done from another thread).
 *
 * <p><b>Without blocking.</b> Once the head was read, a plain (non-TLS) exchange of the socket transport
 * offers {@link #readiness()}: the consumer may then pull through {@code poll()}/{@code onReady} from an
 * event loop, the body read without blocking on the consumer's thread (still one consumer at a time) and
 * the wait for more bytes left to the transport's I/O loop threads.
 */
final class HttpChunkSource implements ChunkSource {
    private static final String PROVIDER_ERROR = "provider_error";

    private final Exchange exchange;
    private final URI uri;
    private final ProviderProtocol protocol;
    private final ProviderConfig config;
    private final StreamDecoder decoder;
    private final String model;
    private final int maxErrorBodyBytes;
    private final byte[] buffer;

    private final ArrayDeque<StreamChunk> pending = new ArrayDeque<>();
    /** What the decoder hands its chunks to (made once: the hot path feeds it every read). */
    private final Consumer<StreamChunk> emitter = this::emit;

    private boolean finished;
    private InputStream body;
    /** A decoder failure a readiness poll met: the next {@link #next()} throws it. */
    private RuntimeException decodeFailure;

    private volatile LoopReadiness readiness;

    private volatile boolean cancelled;
    private volatile Optional<Usage> usageSoFar = Optional.empty();

    HttpChunkSource(
            Exchange exchange,
            URI uri,
            ProviderProtocol protocol,
            ProviderConfig config,
            StreamDecoder decoder,
            String model,
            int maxErrorBodyBytes,
            int readBufferBytes) {
        this.exchange = exchange;
        this.uri = uri;
        this.protocol = protocol;
        this.config = config;
        this.decoder = decoder;
        this.model = model;
        this.maxErrorBodyBytes = maxErrorBodyBytes;
        this.buffer = new byte[readBufferBytes];
    }

    @Override
    public Optional<StreamChunk> next() throws InterruptedException {
        StreamChunk queued = pending.poll();
        if (queued != null) {
            return Optional.of(queued);
        }
        RuntimeException failed = decodeFailure;
        if (failed != null) { // met by a poll(): thrown here, where the blocking path would have thrown it
            decodeFailure = null;
            throw failed;
        }
        if (finished || cancelled) {
            return Optional.empty();
        }
        InputStream in = body;
        if (in == null) {
            in = connect();
            if (in == null) {
                return Optional.empty();
            }
        }
        while (pending.isEmpty() && !finished) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                if (!readFailed(e, true)) {
                    return Optional.empty();
                }
                break;
            }
            if (!took(n)) {
                return Optional.empty();
            }
        }
        StreamChunk chunk = pending.poll();
        return Optional.ofNullable(chunk);
    }

    /**
     * Takes the outcome of one read of the body (shared by {@link #next()} and the readiness poll):
     * {@code n > 0} bytes go to the decoder, {@code n < 0} ends it. A decoder failure ends the source
     * and is thrown.
     *
     * @return false when the source was cancelled (what the read returned then means nothing)
     */
    private boolean took(int n) {
        if (cancelled) {
            // whatever a read returns once the exchange is aborted means nothing
            return false;
        }
        if (n < 0) {
            endDecoder(null);
            return true;
        }
        try {
            decoder.feed(buffer, 0, n, emitter);
        } catch (RuntimeException e) {
            finish();
            throw e;
        } finally {
            publishUsage();
        }
        if (decoder.isDone()) {
            finish();
        }
        return true;
    }

    /**
     * A read of the body failed: the decoder ends with the cause (an incomplete stream, explained).
     *
     * @param blocking whether a blocking read failed: only those can be an interrupt of the reader
     * @return false when the source was cancelled (the failure is the abort)
     * @throws InterruptedException when the reading thread was interrupted (the source is then cancelled)
     */
    private boolean readFailed(IOException e, boolean blocking) throws InterruptedException {
        if (cancelled) {
            return false;
        }
        if (blocking && (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException)) {
            Thread.interrupted();
            cancel();
            throw interrupted(e);
        }
        endDecoder(e);
        return true;
    }

    /**
     * Present once the exchange's head was read (the first {@link #next()} returned) when the transport can
     * read its body without blocking: plain HTTP/1.1 on {@code SocketHttpTransport}. See
     * {@link LoopReadiness}.
     */
    @Override
    public Optional<SourceReadiness> readiness() {
        if (body == null || finished || cancelled) {
            return Optional.empty();
        }
        Optional<NonBlockingBody> nb = exchange.nonBlockingBody();
        if (nb.isEmpty()) {
            return Optional.empty();
        }
        LoopReadiness r = readiness;
        if (r == null) {
            r = new LoopReadiness(nb.get());
            readiness = r;
        }
        return Optional.of(r);
    }

    /**
     * The body read without blocking: {@code poll()} takes what arrived through the same decoding as
     * {@link #next()} ({@link #took}, {@link #readFailed}); {@code onReady} arms the connection's I/O loop (and
     * a {@link #cancel()} runs the callback at once); {@code release()} waits for the loop to give the
     * connection back in blocking mode.
     */
    private final class LoopReadiness implements SourceReadiness {
        private final NonBlockingBody nb;
        private final ArmedCallback armed = new ArmedCallback();

        LoopReadiness(NonBlockingBody nb) {
            this.nb = nb;
        }

        @Override
        public State poll() {
            while (true) {
                if (!pending.isEmpty() || finished || cancelled || decodeFailure != null) {
                    return State.READY;
                }
                int n;
                try {
                    n = nb.readNow(buffer, 0, buffer.length);
                } catch (IOException e) {
                    try {
                        readFailed(e, false);
                    } catch (InterruptedException impossible) {
                        throw new IllegalStateException(impossible); // not thrown for a non-blocking read
                    }
                    return State.READY;
                }
                if (n == 0) {
                    return State.WAIT;
                }
                try {
                    if (!took(n)) {
                        return State.READY;
                    }
                } catch (RuntimeException e) {
                    decodeFailure = e;
                    return State.READY;
                }
                // bytes without a whole event yet: read on
            }
        }

        @Override
        public void onReady(Runnable callback) {
            armed.arm(callback);
            if (cancelled || finished || !pending.isEmpty()) {
                armed.wake();
                return;
            }
            nb.onReadable(armed.waker()); // one object: the body's disarm recognises its own arming by it
            if (cancelled) { // cancelled while arming: cancel() may have run before the callback was set
                armed.wake();
            }
        }

        void wake() {
            armed.wake();
        }

        @Override
        public void release() {
            armed.disarm();
            nb.disarm();
            try {
                nb.toBlocking();
            } catch (IOException e) {
                // the connection is closed or unusable: the next blocking read reports it
            }
        }
    }

    /** Sends the request and waits for the head; null if cancelled meanwhile. */
    private InputStream connect() throws InterruptedException {
        try {
            exchange.start();
        } catch (InterruptedException e) {
            finished = true;
            cancel();
            throw e;
        } catch (IOException | RuntimeException e) {
            finished = true;
            exchange.abort();
            if (cancelled) {
                return null;
            }
            throw connectionError(e);
        }
        if (cancelled) {
            finished = true;
            return null;
        }
        InputStream in = exchange.body();
        body = in;
        int status = exchange.statusCode();
        if (status < 200 || status > 299) {
            byte[] errorBody = readErrorBody(in);
            finish();
            if (cancelled) {
                return null;
            }
            throw httpError(exchange.headers(), status, errorBody);
        }
        Optional<String> notAStream = notAStream(exchange.headers());
        if (notAStream.isPresent()) {
            byte[] page = readErrorBody(in);
            finish();
            if (cancelled) {
                return null;
            }
            UpstreamText.logWithheld(page, config); // the client gets only the media type
            // not a cut stream (retrying would get the same page): a provider error, the next target's turn
            throw new AIStreamException(
                    ErrorCode.UPSTREAM_ERROR,
                    config.name() + " answered " + status + " with " + notAStream.get() + ", not a stream");
        }
        return in;
    }

    /**
     * The media type of a 2xx answer that clearly is no stream of any wire format (SSE, NDJSON, a
     * JSON array, an AWS event stream): an HTML or XML document, as a captive portal, a proxy's
     * login page or a misrouted base URL answers. A missing or generic type ({@code text/plain},
     * {@code application/octet-stream}) is let through: some servers send those for SSE and NDJSON.
     */
    static Optional<String> notAStream(HttpHeaders headers) {
        Optional<String> type = headers.firstValue("content-type").map(UpstreamText::mediaType);
        return type.filter(t -> t.equals("text/html")
                || t.equals("application/xhtml+xml")
                || t.equals("text/xml")
                || t.equals("application/xml")
                || (t.endsWith("+xml") && t.matches("[a-z0-9.+-]{1,40}/[a-z0-9.+-]{1,60}")));
    }

    private byte[] readErrorBody(InputStream in) throws InterruptedException {
        try {
            return in.readNBytes(maxErrorBodyBytes);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
                Thread.interrupted();
                cancel();
                throw interrupted(e);
            }
            return new byte[0]; // the status alone still makes a clear error
        }
    }

    private ProviderHttpException httpError(HttpHeaders headers, int status, byte[] errorBody) {
        ProviderHttpException raw;
        try {
            raw = protocol.toException(status, headers, errorBody, config);
        } catch (RuntimeException e) {
            raw = new ProviderHttpException(
                    config.name(),
                    status,
                    PROVIDER_ERROR,
                    "the error response could not be read (" + e.getClass().getSimpleName() + ")",
                    headers.firstValue("x-request-id"),
                    Optional.empty());
        }
        return sanitized(raw, headers, errorBody);
    }

    /**
     * The protocol's exception with its upstream parts made safe for a client, whatever the
     * protocol did: an HTML page or binary body is described, not quoted; the provider's message
     * goes through {@link UpstreamText}; the error type and request id must be plain tokens.
     */
    private ProviderHttpException sanitized(ProviderHttpException raw, HttpHeaders headers, byte[] errorBody) {
        String prefix = raw.provider() + " returned HTTP " + raw.status() + " (" + raw.providerErrorType() + "): ";
        String full = String.valueOf(raw.getMessage());
        String reported = full.startsWith(prefix) ? full.substring(prefix.length()) : full;
        String message = UpstreamText.notAMessage(errorBody, raw.status(), headers.firstValue("content-type"), config)
                .orElseGet(() -> UpstreamText.excerpt(reported, config));
        String type = UpstreamText.code(raw.providerErrorType(), PROVIDER_ERROR);
        Optional<String> requestId = raw.requestId().map(id -> UpstreamText.code(id, null));
        if (message.equals(reported) && type.equals(raw.providerErrorType()) && requestId.equals(raw.requestId())) {
            return raw;
        }
        return new ProviderHttpException(raw.provider(), raw.status(), type, message, requestId, raw.retryAfter());
    }

    private AIStreamException connectionError(Throwable cause) {
        String where = config.name() + " at " + safeAddress(uri);
        if (cause instanceof HttpConnectTimeoutException || cause instanceof SocketTimeoutException) {
            return new AIStreamException(
                    ErrorCode.UPSTREAM_CONNECTION,
                    "could not connect to " + where + " within the connect timeout",
                    cause);
        }
        if (cause instanceof IOException) {
            return new AIStreamException(
                    ErrorCode.UPSTREAM_CONNECTION, "connection to " + where + " failed: " + describe(cause), cause);
        }
        return new AIStreamException(
                ErrorCode.UPSTREAM_CONNECTION, "request to " + where + " failed: " + describe(cause), cause);
    }

    /** Copies the decoder's usage so far where {@link #fillDone} (any thread) can read it. */
    private void publishUsage() {
        Optional<Usage> now = decoder.usageSoFar();
        if (now != null && !now.equals(usageSoFar)) {
            usageSoFar = now;
        }
    }

    /**
     * The usage the decoder reported before the stream ended (empty = unknown), the provider's
     * configured name and the requested model, where {@code done} lacks them.
     */
    @Override
    public DoneChunk fillDone(DoneChunk done) {
        return done.withMetadata(
                done.usage().or(() -> usageSoFar),
                done.provider().or(() -> Optional.of(config.name())),
                done.model().or(() -> Optional.of(model)));
    }

    /** The body ended, cleanly or not: the decoder emits what is pending, and its done. */
    private void endDecoder(IOException cause) {
        publishUsage();
        finish();
        if (decoder.isDone()) {
            return;
        }
        if (cause == null) {
            decoder.end(emitter);
            return;
        }
        decoder.end(chunk -> emit(
                chunk instanceof ErrorChunk e && e.error().code().equals(ErrorCode.INCOMPLETE_STREAM.wireName())
                        ? explain(e, cause)
                        : chunk));
    }

    /**
     * Queues a decoded chunk; an error chunk's message and code are upstream text, so they go
     * through {@link UpstreamText} first (the original is logged when it had to be shortened).
     */
    private void emit(StreamChunk chunk) {
        if (chunk instanceof ErrorChunk e) {
            ChunkError err = e.error();
            String message = UpstreamText.excerpt(err.message(), config);
            String code = UpstreamText.code(err.code(), PROVIDER_ERROR);
            if (!message.equals(err.message()) || !code.equals(err.code())) {
                chunk = ErrorChunk.of(new ChunkError(code, message, err.retryable(), err.provider(), err.status()))
                        .withPosition(e.id(), e.seq());
            }
        }
        pending.add(chunk);
    }

    private ErrorChunk explain(ErrorChunk e, IOException cause) {
        ChunkError err = e.error();
        return ErrorChunk.of(new ChunkError(
                err.code(),
                err.message() + " (connection to " + config.name() + " lost: " + describe(cause) + ")",
                err.retryable(),
                err.provider(),
                err.status()));
    }

    private static InterruptedException interrupted(IOException e) {
        InterruptedException ie = new InterruptedException("interrupted while reading the upstream response");
        ie.initCause(e);
        return ie;
    }

    /** The body is done with: release the connection (to the pool, if it was read to its end). */
    private void finish() {
        finished = true;
        InputStream in = body;
        if (in != null) {
            closeQuietly(in);
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        exchange.abort();
        LoopReadiness r = readiness;
        if (r != null) {
            r.wake(); // an event loop waiting for this source's bytes polls again (and finds it cancelled)
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }

    /** Scheme, host and port: never the query, which some providers use for credentials. */
    static String safeAddress(URI uri) {
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return uri.getScheme() + "://" + uri.getHost() + port;
    }

    static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank()
                ? t.getClass().getSimpleName()
                : t.getClass().getSimpleName() + ": " + message;
    }

    @Override
    public String toString() {
        return "HttpChunkSource[" + config.name() + " " + safeAddress(uri) + "]";
    }
}
