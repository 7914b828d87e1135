package io.aistream.provider.transport.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One exchange through {@link HttpClient#sendAsync} with an {@code InputStream} body. The reading
 * thread waits for the head; {@link #abort()} cancels the pending response and closes the body,
 * which tears the connection (or HTTP/2 stream) down.
 */
final class JdkExchange implements Exchange {
    private final HttpClient http;
    private final HttpRequest request;

    private final Object lock = new Object();
    private CompletableFuture<HttpResponse<InputStream>> pending;
    private InputStream body;
    private boolean aborted;

    private HttpResponse<InputStream> response;

    JdkExchange(HttpClient http, HttpRequest request) {
        this.http = http;
        this.request = request;
    }

    @Override
    public void start() throws IOException, InterruptedException {
        if (isAborted()) {
            throw new ExchangeAbortedException();
        }
        CompletableFuture<HttpResponse<InputStream>> f =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        synchronized (lock) {
            pending = f;
        }
        if (isAborted()) {
            f.cancel(true);
            throw new ExchangeAbortedException();
        }
        HttpResponse<InputStream> r;
        try {
            r = f.get();
        } catch (CancellationException e) {
            throw new ExchangeAbortedException();
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (InterruptedException e) {
            abort();
            throw e;
        }
        InputStream in = r.body();
        boolean abortedMeanwhile;
        synchronized (lock) {
            abortedMeanwhile = aborted;
            body = in;
        }
        if (abortedMeanwhile) {
            closeQuietly(in);
            throw new ExchangeAbortedException();
        }
        response = r;
    }

    private static IOException unwrap(Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException re) {
            throw re;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IOException(cause);
    }

    @Override
    public int statusCode() {
        return response.statusCode();
    }

    @Override
    public HttpHeaders headers() {
        return response.headers();
    }

    @Override
    public InputStream body() {
        return response.body();
    }

    private boolean isAborted() {
        synchronized (lock) {
            return aborted;
        }
    }

    @Override
    public void abort() {
        CompletableFuture<HttpResponse<InputStream>> f;
        InputStream in;
        synchronized (lock) {
            if (aborted) {
                return;
            }
            aborted = true;
            f = pending;
            in = body;
        }
        if (f != null) {
            f.cancel(true);
        }
        if (in != null) {
            closeQuietly(in);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
