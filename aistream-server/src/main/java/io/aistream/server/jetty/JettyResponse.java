package io.aistream.server.jetty;

import io.aistream.server.http.ClientGone;
import io.aistream.server.http.HttpResponse;
import io.aistream.server.http.NonBlockingBody;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty core {@link Response} as an {@link HttpResponse}. The event stream is a {@link JettyBody}: in its
 * default blocking mode Jetty's own output stream over the response (each flush a write to the connection, no
 * copy of ours), and a {@link NonBlockingBody} for the event-loop relay; whole bodies are one last write,
 * blocking the calling (virtual) thread.
 */
final class JettyResponse implements HttpResponse {
    private final Request request;
    private final Response response;
    private JettyBody body;

    JettyResponse(Request request, Response response) {
        this.request = request;
        this.response = response;
    }

    @Override
    public void status(int status) {
        response.setStatus(status);
    }

    @Override
    public void setHeader(String name, String value) {
        HttpHeader known = HttpHeader.CACHE.get(name);
        if (known != null) {
            response.getHeaders().put(known, value);
        } else {
            response.getHeaders().put(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        HttpHeader known = HttpHeader.CACHE.get(name);
        if (known != null) {
            response.getHeaders().add(known, value);
        } else {
            response.getHeaders().add(name, value);
        }
    }

    @Override
    public boolean committed() {
        return response.isCommitted();
    }

    @Override
    public JettyBody body() {
        if (body == null) {
            body = new JettyBody(response);
        }
        return body;
    }

    @Override
    public Optional<NonBlockingBody> nonBlockingBody() {
        return Optional.of(body());
    }

    @Override
    public void write(byte[] content) throws IOException {
        Callback.Completable done = new Callback.Completable();
        response.write(true, ByteBuffer.wrap(content), done);
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing the response", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    @Override
    public ClientGone watchClient(Runnable onGone) {
        return DisconnectWatcher.watch(request, onGone);
    }
}
