package io.aistream.server.jetty;

import io.aistream.server.config.ConnectionConfig;
import io.aistream.server.http.BadHttpRequestException;
import io.aistream.server.http.HttpRequest;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * A Jetty core {@link Request} as an {@link HttpRequest}. One thread, one exchange. Jetty's framing
 * failures (an undecodable query, a broken or cut-short body) surface as
 * {@link BadHttpRequestException}; the body enforces the minimum data rate of {@link ConnectionConfig}.
 */
final class JettyRequest implements HttpRequest {
    private final Request request;
    private final ConnectionConfig limits;
    private Fields query;

    JettyRequest(Request request, ConnectionConfig limits) {
        this.request = request;
        this.limits = limits;
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
        return Optional.ofNullable(query().getValue(name));
    }

    /** The decoded query parameters, decoded once. */
    Fields query() {
        if (query == null) {
            try {
                query = Request.extractQueryParameters(request);
            } catch (RuntimeException e) {
                if (e instanceof HttpException) {
                    throw BadHttpRequestException.malformed(
                            "the query string cannot be decoded (an invalid %-escape, or not UTF-8)");
                }
                throw e;
            }
        }
        return query;
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
        return new RequestBody(request, limits.minRequestBodyRate(), limits.requestBodyGrace());
    }
}
