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
import io.aistream.stream.ChunkSource;
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
                if (cancelled) {
                    return Optional.empty();
                }
                if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
                    Thread.interrupted();
                    cancel();
                    throw interrupted(e);
                }
                endDecoder(e);
                break;
            }
            if (cancelled) {
                // whatever a read returns once the exchange is aborted means nothing
                return Optional.empty();
            }
            if (n < 0) {
                endDecoder(null);
                break;
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
        }
        StreamChunk chunk = pending.poll();
        return Optional.ofNullable(chunk);
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
