package io.aistream.server.jetty;

import io.aistream.server.http.HttpRequest;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/** A Jetty core {@link Request} as an {@link HttpRequest}. One thread, one exchange. */
final class JettyRequest implements HttpRequest {
    private final Request request;
    private Fields query;

    JettyRequest(Request request) {
        this.request = request;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String path() {
        String path = Request.getPathInContext(request);
        return path == null || path.isEmpty() ? "/" : path;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeaders().get(name));
    }

    @Override
    public List<String> headers(String name) {
        return request.getHeaders().getValuesList(name);
    }

    @Override
    public Optional<String> queryParameter(String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return Optional.ofNullable(query.getValue(name));
    }

    @Override
    public String scheme() {
        String scheme = request.getHttpURI().getScheme();
        return scheme == null ? "http" : scheme;
    }

    @Override
    public String host() {
        HttpURI uri = request.getHttpURI();
        return String.valueOf(uri.getHost());
    }

    @Override
    public int port() {
        return request.getHttpURI().getPort();
    }

    @Override
    public int localPort() {
        return Request.getLocalPort(request);
    }

    @Override
    public String remoteAddress() {
        return Request.getRemoteAddr(request);
    }

    @Override
    public long contentLength() {
        return request.getLength();
    }

    @Override
    public InputStream body() {
        return Content.Source.asInputStream(request);
    }
}
