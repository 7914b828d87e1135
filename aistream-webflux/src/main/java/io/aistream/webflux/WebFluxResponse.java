package io.aistream.webflux;

import io.aistream.server.http.ClientGone;
import io.aistream.server.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

/**
 * A WebFlux {@link ServerHttpResponse} as an {@link HttpResponse}, written by the one (virtual) thread
 * handling the exchange, which blocks while the server writes.
 *
 * <ul>
 *   <li>{@link #body()}: each {@code flush()} hands the bytes written since the last one to an
 *       {@link EventPublisher} as one buffer, which {@code writeAndFlushWith} writes and flushes at once;
 *       bytes written without a flush are bounded ({@value #MAX_UNFLUSHED} bytes, then they go out);
 *   <li>{@link #write(byte[])}: one {@code writeWith} of the whole body;
 *   <li>{@link #finish()}: the end of the exchange — ends the stream, or completes an empty response.
 * </ul>
 *
 * <p>{@link #committed()} is true from the first write on: the server commits the status and headers
 * asynchronously, and a change made after that point would be lost.
 */
final class WebFluxResponse implements HttpResponse {
    /** Bytes written between two flushes that are sent without waiting for the flush. */
    static final int MAX_UNFLUSHED = 64 * 1024;

    private final ServerHttpResponse response;
    private final Duration writeTimeout;
    private final ClientWatch watch;
    private EventStream body;
    private volatile boolean committed;
    private CompletableFuture<Void> written; // completes when the server has written the whole response

    WebFluxResponse(ServerHttpResponse response, Duration writeTimeout, ClientWatch watch) {
        this.response = response;
        this.writeTimeout = writeTimeout;
        this.watch = watch;
    }

    @Override
    public void status(int status) {
        if (!committed) {
            response.setStatusCode(HttpStatusCode.valueOf(status));
        }
    }

    @Override
    public void setHeader(String name, String value) {
        if (!committed) {
            response.getHeaders().set(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (!committed) {
            response.getHeaders().add(name, value);
        }
    }

    @Override
    public boolean committed() {
        return committed || response.isCommitted();
    }

    @Override
    public OutputStream body() {
        if (body == null) {
            body = new EventStream();
        }
        return body;
    }

    @Override
    public void write(byte[] content) throws IOException {
        if (committed) {
            throw new IOException("the response was already written");
        }
        committed = true;
        byte[] copy = content.clone();
        written = response.writeWith(
                        Mono.fromSupplier(() -> response.bufferFactory().wrap(copy)))
                .toFuture();
        await(written);
    }

    @Override
    public ClientGone watchClient(Runnable onGone) {
        return watch.watch(onGone);
    }

    /**
     * Ends the exchange's response after the dispatcher returned: closes an open event stream, or
     * completes a response nothing was written to.
     *
     * @return completes when the server has written the response
     */
    CompletableFuture<Void> finish() throws IOException {
        if (body != null) {
            body.close();
        } else if (!committed) {
            committed = true;
            written = response.setComplete().toFuture();
        }
        return written == null ? CompletableFuture.completedFuture(null) : written;
    }

    /**
     * Aborts the response after the dispatcher failed: a stream that has begun ends with an error, so
     * the server closes the connection instead of ending the body normally.
     *
     * @return completes when the server has given up the response; null when nothing was written
     */
    CompletableFuture<Void> abort(Throwable cause) {
        if (body != null && body.publisher != null) {
            body.publisher.fail(cause);
            return written;
        }
        return null;
    }

    private void await(CompletableFuture<Void> future) throws IOException {
        try {
            future.get(writeTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the response");
        } catch (ExecutionException e) {
            watch.gone();
            throw new IOException("the response could not be written (the client is gone?)", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the client read nothing for " + writeTimeout.toMillis() + " ms");
        }
    }

    /** The event-by-event body: bytes collect until a flush, which hands them over as one event. */
    private final class EventStream extends OutputStream {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream(1024);
        private EventPublisher publisher;
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            open();
            pending.write(b);
            if (pending.size() >= MAX_UNFLUSHED) {
                flush();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            open();
            pending.write(b, off, len);
            if (pending.size() >= MAX_UNFLUSHED) {
                flush();
            }
        }

        @Override
        public void flush() throws IOException {
            open();
            if (publisher != null && pending.size() == 0) {
                return; // nothing new; the headers are out already
            }
            start();
            byte[] event = pending.toByteArray();
            pending.reset();
            publisher.offer(event);
        }

        private void open() throws IOException {
            if (closed) {
                throw new IOException("the response body is closed");
            }
        }

        /** Commits the response on the first flush: the server subscribes and takes the first event. */
        private void start() {
            if (publisher != null) {
                return;
            }
            committed = true;
            publisher = new EventPublisher(response.bufferFactory(), writeTimeout, watch::gone);
            written = response.writeAndFlushWith(publisher).toFuture();
            written.whenComplete((ok, failure) -> {
                if (failure != null) {
                    publisher.failed();
                    watch.gone();
                }
            });
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            if (pending.size() > 0 || publisher == null) {
                flush();
            }
            closed = true;
            publisher.complete();
            await(written);
        }
    }
}
