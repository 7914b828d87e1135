package io.aistream.servlet;

import io.aistream.server.http.ClientGone;
import io.aistream.server.http.HttpResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A {@link HttpServletResponse} as the gateway's {@link HttpResponse}: headers straight to the container,
 * the body through {@link ResponseBody} (flush per event), the client watched by {@link ClientWatch}.
 * Written by one thread at a time.
 */
final class ServletHttpResponse implements HttpResponse {
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final ClientWatch watch;
    private OutputStream body;

    ServletHttpResponse(HttpServletRequest request, HttpServletResponse response, ClientWatch watch) {
        this.request = request;
        this.response = response;
        this.watch = watch;
    }

    @Override
    public void status(int status) {
        response.setStatus(status);
    }

    @Override
    public void setHeader(String name, String value) {
        response.setHeader(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        response.addHeader(name, value);
    }

    @Override
    public boolean committed() {
        return response.isCommitted();
    }

    @Override
    public OutputStream body() {
        if (body == null) {
            try {
                body = new ResponseBody(response.getOutputStream(), watch);
            } catch (IOException e) {
                watch.clientGone();
                body = new FailedBody(e);
            }
        }
        return body;
    }

    @Override
    public void write(byte[] content) throws IOException {
        OutputStream out = body();
        out.write(content);
        out.close();
    }

    @Override
    public ClientGone watchClient(Runnable onGone) {
        Runnable jetty = JettyCoreWatch.watch(request, watch::clientGone);
        Runnable tomcat = TomcatChannelWatch.watch(request, watch::clientGone);
        return watch.arm(onGone, () -> {
            jetty.run();
            tomcat.run();
        });
    }

    /** The body of a response whose stream the container would not give: every write fails. */
    private static final class FailedBody extends OutputStream {
        private final IOException cause;

        FailedBody(IOException cause) {
            this.cause = cause;
        }

        @Override
        public void write(int b) throws IOException {
            throw new IOException("the response cannot be written", cause);
        }
    }
}
